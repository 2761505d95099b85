/**
 * Slots of the control array shared by {@linkcode OutputRing} and its output thread. `HEAD`
 * and `TAIL` are byte counters that wrap at 2³² (the ring's size is a power of two, so
 * `counter & (size - 1)` is the offset and `(tail - head) >>> 0` the bytes waiting).
 *
 * @module
 */

/** Bytes written out so far (moved by the output thread). */
export const HEAD = 0;
/** Bytes put in so far (moved by the main thread). */
export const TAIL = 1;
/** Failed writes so far. */
export const ERRORS = 2;
/** 1 while the last write failed (until one succeeds). */
export const FAILING = 3;
/** Flushes asked for so far: a failed write waits for the next one to retry. */
export const FLUSH = 4;
/** 1 once the main thread asked the output thread to write what is left and stop. */
export const STOP = 5;
/** Slots in the control array. */
export const SLOTS = 6;
