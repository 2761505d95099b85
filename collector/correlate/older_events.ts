/**
 * The join's way to what an earlier collector indexed: an open whose user login, or a close
 * whose open, the memory cache no longer holds may still be completed from an
 * {@linkcode OlderEventsLookup}. Each such miss costs a promise, a timer and closures, and the
 * document waits for the answer, so it is kept out of the join (`correlate.ts`), whose
 * per-record path only asks {@linkcode OlderEvents.canLookUp} on a miss.
 *
 * @module
 */
import { type CloseState, joinCloseFromLookup } from "./close_join.ts";
import { Part, withoutMeta } from "./document.ts";
import { LookupQueue } from "./lookup_queue.ts";
import type { OlderEventsLookup } from "./sink_contracts.ts";

/** Options for {@linkcode OlderEvents}. */
export interface OlderEventsOptions {
  /** Where older opens and logins are searched; without it nothing is looked up. */
  readonly lookup?: OlderEventsLookup;
  /** Most lookups in flight (default 10 000). */
  readonly maxPending?: number;
  /** Give up on one lookup after this many milliseconds (default 5 000). */
  readonly timeoutMs?: number;
  /** Hears about failed or timed-out lookups. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Lookups of older events for documents the cache could not complete; a document whose lookup
 * fails or times out goes out as it is.
 *
 * @example
 * ```ts
 * import { OlderEvents } from "./older_events.ts";
 * import { Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const older = new OlderEvents({
 *   lookup: {
 *     findOpen: () => Promise.resolve(undefined),
 *     findUser: () => Promise.resolve({ xrd_user: "root", xrd_server: "vm" }),
 *   },
 * });
 * const users: (Part[] | undefined)[] = [];
 * const server = "10.1.2.3:41000-1795389000";
 * if (older.canLookUp()) older.findUser(server, 1, (user) => users.push(user));
 * await older.drain();
 * assert.deepEqual(users[0]?.[0].fields, { xrd_user: "root" }); // the open names its server
 * ```
 */
export class OlderEvents {
  readonly #lookup: OlderEventsLookup | undefined;
  readonly #queue: LookupQueue;

  constructor(options: OlderEventsOptions) {
    this.#lookup = options.lookup;
    this.#queue = new LookupQueue({
      maxPending: options.maxPending,
      timeoutMs: options.timeoutMs,
      onError: options.onError,
    });
  }

  /** Lookups in flight. */
  get pending(): number {
    return this.#queue.size;
  }

  /** Lookups skipped because too many were in flight. */
  get skipped(): number {
    return this.#queue.skipped;
  }

  /** Whether a lookup may start: there is a lookup and room for one more (else counts a skip). */
  canLookUp(): boolean {
    return this.#lookup !== undefined && this.#queue.hasRoom();
  }

  /**
   * Looks up the login of an open's user (after {@linkcode OlderEvents.canLookUp}); `emit`
   * gets its parts, or undefined when it was not found or the lookup failed.
   */
  findUser(server: string, userDict: number, emit: (user: Part[] | undefined) => void): void {
    const lookup = this.#lookup!;
    this.#queue.run(async () => {
      const found = await lookup.findUser({ serverId: server, dictId: userDict });
      // The indexed login carries its own id and server name, which the open already has.
      const fields = found === undefined ? undefined : withoutMeta(found);
      if (fields !== undefined) delete fields.xrd_user_uniq_id, delete fields.xrd_server;
      return () => emit(fields === undefined ? undefined : [Part.found(fields)]);
    }, () => emit(undefined));
  }

  /**
   * Completes a close missing its open or user (after {@linkcode OlderEvents.canLookUp}; see
   * `joinCloseFromLookup`), then `emit`s it; as it is when the lookup failed.
   */
  completeClose(
    state: CloseState,
    fileId: number,
    userDict: number | undefined,
    server: string,
    emit: (state: CloseState) => void,
  ): void {
    const lookup = this.#lookup!;
    this.#queue.run(
      () => joinCloseFromLookup({ lookup, state, fileId, userDict, server, emit }),
      () => emit(state),
    );
  }

  /** Waits until every lookup in flight has finished and its document was emitted. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }
}
