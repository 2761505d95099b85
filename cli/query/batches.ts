/**
 * Groups an async stream into arrays, so per-batch work (host-name lookups) runs concurrently
 * while output still starts early.
 *
 * @module
 */

/**
 * Yields arrays of up to `size` items of `source`.
 *
 * @example
 * ```ts
 * import { batches } from "./batches.ts";
 * import assert from "node:assert/strict";
 * async function* numbers() { yield 1; yield 2; yield 3; }
 * const seen: number[][] = [];
 * for await (const batch of batches(numbers(), 2)) seen.push(batch);
 * assert.deepEqual(seen, [[1, 2], [3]]);
 * ```
 */
export async function* batches<T>(source: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
