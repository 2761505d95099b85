/**
 * Folding the event types of one esmond metadata into runs: each event type is read as its own
 * time-ordered stream of pages, all streams at once, and merged by `ts`; the points of every
 * stream at the same `ts` become one {@linkcode Fold}. At most two pages per stream are held
 * (the current one and the one being fetched), so memory does not grow with series length.
 *
 * @module
 */

/** One point as the merge needs it. */
export interface TimedPoint {
  /** Epoch seconds. */
  readonly tsEpoch: number;
  /** The value. */
  readonly val: unknown;
}

/** The points of one metadata at one `ts`: event type → value. */
export interface Fold {
  /** Epoch seconds. */
  readonly ts: number;
  /** Value per event type, in the order the streams were given. */
  readonly values: Map<string, unknown>;
}

interface Cursor {
  readonly name: string;
  readonly iterator: AsyncIterator<readonly TimedPoint[]>;
  page: readonly TimedPoint[];
  index: number;
  next: Promise<IteratorResult<readonly TimedPoint[]>> | undefined;
  done: boolean;
}

async function advancePage(cursor: Cursor): Promise<void> {
  while (!cursor.done && cursor.index >= cursor.page.length) {
    const result = await (cursor.next ?? cursor.iterator.next());
    cursor.next = undefined;
    if (result.done) {
      cursor.done = true;
      cursor.page = [];
      return;
    }
    cursor.page = result.value;
    cursor.index = 0;
    // Fetch the following page while this one is consumed.
    cursor.next = cursor.iterator.next();
    cursor.next.catch(() => {}); // surfaced when awaited
  }
}

/**
 * Merges time-ordered page streams by `ts`. A stream that fails makes the merge fail.
 *
 * @example
 * ```ts
 * import { mergeByTs } from "./merge.ts";
 * async function* pages(points: [number, unknown][]) {
 *   yield points.map(([tsEpoch, val]) => ({ tsEpoch, val }));
 * }
 * const folds = [];
 * for await (const fold of mergeByTs(new Map([
 *   ["throughput", pages([[10, 1e9], [20, 2e9]])],
 *   ["packet-retransmits", pages([[20, 7]])],
 * ]))) folds.push([fold.ts, Object.fromEntries(fold.values)]);
 * if (JSON.stringify(folds) !== '[[10,{"throughput":1000000000}],[20,{"throughput":2000000000,"packet-retransmits":7}]]') {
 *   throw new Error(JSON.stringify(folds));
 * }
 * ```
 */
export async function* mergeByTs(
  streams: ReadonlyMap<string, AsyncIterable<readonly TimedPoint[]>>,
): AsyncGenerator<Fold> {
  const cursors: Cursor[] = [...streams].map(([name, stream]) => ({
    name,
    iterator: stream[Symbol.asyncIterator](),
    page: [],
    index: 0,
    next: undefined,
    done: false,
  }));
  try {
    await Promise.all(cursors.map(advancePage));
    while (true) {
      let ts = Infinity;
      for (const c of cursors) {
        if (!c.done && c.page[c.index].tsEpoch < ts) ts = c.page[c.index].tsEpoch;
      }
      if (ts === Infinity) return;
      const values = new Map<string, unknown>();
      const refill: Promise<void>[] = [];
      for (const c of cursors) {
        // A stream repeating a ts (not esmond's behaviour) keeps its last value.
        while (!c.done && c.index < c.page.length && c.page[c.index].tsEpoch === ts) {
          values.set(c.name, c.page[c.index].val);
          c.index++;
        }
        if (!c.done && c.index >= c.page.length) refill.push(advancePage(c));
      }
      if (refill.length > 0) await Promise.all(refill);
      yield { ts, values };
    }
  } finally {
    await Promise.all(cursors.map(async (c) => {
      if (!c.done) await c.iterator.return?.();
    })).catch(() => {});
  }
}
