/**
 * The correlate stage: turns decoded packets into documents. User logins and opens are cached
 * (TTL + size bound) under server identity + dictid so a close gains its open's and user's
 * fields; a cache miss may be answered later by an {@linkcode OlderEventsLookup}, without
 * holding up the packets behind it. Documents are assembled from shared, lazily built parts
 * ({@linkcode Part}), so repeating the open's and user's fields in a close costs no copying.
 * This module is the join alone: the open files, and every way one ends but its close, are
 * kept by `open_files.ts`; the lookups of older events run in `older_events.ts`.
 *
 * @module
 */
import type { FStreamPacket, GStreamPacket, TextPacket } from "../decode/packet.ts";
import type { CloseRecord, OpenRecord, TimeWindow } from "../decode/fstream.ts";
import { parseKeyValues } from "../decode/text.ts";
import { TtlCache } from "./cache.ts";
import { AssembledDocument, type Fields, Part } from "./document.ts";
import { applyUserExtra } from "./fields.ts";
import { CloseRecipe, OpenRecipe, UserRecipe } from "./part_recipes.ts";
import { uniqId } from "./identity.ts";
import { ServerRegistry } from "./servers.ts";
import { isoSeconds, recordTiming } from "./timestamps.ts";
import { appendCloseParts, closeFlags, type CloseState } from "./close_join.ts";
import type { CorrelatorOptions, PacketContext } from "./correlate_options.ts";
import { DictKeys } from "./dict_keys.ts";
import { expiredFields, type ExpiryReason } from "./expiry.ts";
import { KeyIndex } from "./key_index.ts";
import { gstreamDocuments } from "./gstream_documents.ts";
import { type OpenEntry, OpenFiles } from "./open_files.ts";
import { OlderEvents } from "./older_events.ts";

export type { CorrelatorOptions, PacketContext } from "./correlate_options.ts";

interface UserEntry {
  readonly part: Part;
  readonly userid: string;
}

/** Users awaited once (f-stream packets do not wait for them again). */
const MAX_AWAITED = 100_000;

/**
 * Joins records into documents.
 *
 * @example
 * ```ts
 * import { Correlator } from "./correlate.ts";
 * const docs: unknown[] = [];
 * const correlator = new Correlator({
 *   emit: (doc) => docs.push(doc.body), evtType: "xrd_fstream", cacheSeconds: 3600,
 *   maxEntries: 100_000,
 * });
 * ```
 */
export class Correlator {
  #options: CorrelatorOptions;
  #users: TtlCache<UserEntry, number>;
  #opens: OpenFiles;
  #paths: TtlCache<string, number>;
  #apps: TtlCache<string>;
  #servers: ServerRegistry;
  #older: OlderEvents;
  #sawAppInfo = false;
  /** Cache keys of dictids (`number × 2³² + dictid`, see {@linkcode DictKeys}). */
  #keys: DictKeys;
  /** Documents emitted. */
  emitted = 0;
  /** Closes whose open was not found (after any lookup). */
  closesWithoutOpen = 0;
  /** Opens that expired into `fstream_open_expired` documents. */
  openExpired = 0;
  /** g-stream events of unknown providers, skipped. */
  gstreamUnknown = 0;
  /** g-stream events decoded into documents. */
  gstreamEvents = 0;
  #awaited = new Set<number>();
  /** Cache keys of each server's logins and paths (a server that ends drops them). */
  #userKeys = new KeyIndex();
  #pathKeys = new KeyIndex();

  constructor(options: CorrelatorOptions) {
    this.#options = options;
    this.#servers = new ServerRegistry({
      // A quiet server must keep its name: `=` records may come only every few hours or never.
      forgetAfterSeconds: Math.max(options.cacheSeconds, 86400),
      onCollision: options.onServerCollision,
    });
    const bound = { ttlSeconds: options.cacheSeconds, maxEntries: options.maxEntries };
    this.#users = new TtlCache({ ...bound, onDrop: (key) => this.#userKeys.remove(key) });
    this.#opens = new OpenFiles({
      ttlSeconds: options.openTimeoutSeconds ?? options.cacheSeconds,
      maxEntries: options.maxEntries,
      onExpire: (entry, reason, at) => this.#expireOpen(entry, reason, at),
    });
    this.#paths = new TtlCache({ ...bound, onDrop: (key) => this.#pathKeys.remove(key) });
    this.#apps = new TtlCache(bound);
    this.#keys = new DictKeys({
      onRenumber: () => {
        for (const cache of [this.#users, this.#opens, this.#paths]) cache.clear();
        for (const index of [this.#userKeys, this.#pathKeys]) index.clear();
      },
    });
    this.#older = new OlderEvents({
      lookup: options.lookup,
      maxPending: options.maxPendingLookups,
      timeoutMs: options.lookupTimeoutMs,
      onError: options.onLookupError,
    });
  }

  /** Entries in the memory cache. */
  get cacheSize(): number {
    return this.#caches().reduce((n, cache) => n + cache.size, 0);
  }

  /** Entries evicted because the cache was full. */
  get cacheEvictions(): number {
    return this.#caches().reduce((n, cache) => n + cache.evictions, 0);
  }

  /** Entries that expired. */
  get cacheExpirations(): number {
    return this.#caches().reduce((n, cache) => n + cache.expirations, 0);
  }

  /** Opens still waiting for their close. */
  get openFiles(): number {
    return this.#opens.size;
  }

  /** Lookups in flight. */
  get pendingLookups(): number {
    return this.#older.pending;
  }

  /** Lookups skipped because too many were in flight. */
  get lookupsSkipped(): number {
    return this.#older.skipped;
  }

  /** Handles a decoded text packet (`=`, `u`, `i`, `U`, `T`, `d`; others are ignored). */
  handleText(packet: TextPacket, ctx: PacketContext): void {
    const { body } = packet;
    this.#servers.touch(ctx.server, ctx.sender, ctx.now, ctx.stod);
    switch (packet.header.code) {
      case "=":
        if (body.userid.host !== "") this.#servers.setHost(ctx.server, body.userid.host);
        return;
      case "u":
        return this.#userLogin(packet, ctx);
      case "i":
        if (body.payload === undefined) return;
        this.#sawAppInfo = true;
        this.#apps.set(`${ctx.server}|${body.userid.raw}`, body.payload, ctx.now);
        return;
      case "d":
        if (body.payload === undefined) return;
        return this.#setPath(this.#keys.key(ctx.server, body.dictId), body.payload, ctx.now);
      case "U":
      case "T":
        return this.#userExtra(packet, ctx);
    }
  }

  /** Handles a decoded f-stream packet. */
  handleFStream(packet: FStreamPacket, ctx: PacketContext): void {
    const { window, records } = packet;
    this.#servers.touch(ctx.server, ctx.sender, ctx.now, ctx.stod);
    for (const record of records) {
      switch (record.type) {
        case "open":
          this.#open(record, window, records.length, ctx);
          break;
        case "close":
          this.#close(record, window, records.length, ctx);
          break;
        case "xfr": {
          const entry = this.#opens.get(this.#keys.key(ctx.server, record.fileId), ctx.now);
          if (entry !== undefined) entry.xfr = record.xfr;
          break;
        }
        case "disc":
          // Forced closes come before the disconnect, so nothing still needs this login, and
          // a file of this user still open lost its close.
          if (record.userId !== 0) {
            const key = this.#keys.key(ctx.server, record.userId);
            this.#opens.userDisconnected(key, ctx.now);
            this.#users.delete(key);
            this.#userKeys.remove(key);
          }
          break;
      }
    }
  }

  /**
   * Whether an f-stream packet has what it refers to: every open's user login is cached (or
   * was waited for once already). A packet that is not ready may wait in the reorder window.
   */
  fstreamReady(packet: FStreamPacket, server: string): boolean {
    for (const record of packet.records) {
      if (record.type !== "open" || record.userId === 0) continue;
      const key = this.#keys.key(server, record.userId);
      if (!this.#users.has(key) && !this.#awaited.has(key)) return false;
    }
    return true;
  }

  /** Handles a decoded g-stream packet: one document per event. */
  handleGStream(packet: GStreamPacket, ctx: PacketContext): void {
    this.#servers.touch(ctx.server, ctx.sender, ctx.now, ctx.stod);
    const result = gstreamDocuments(packet, {
      server: this.#serverName(ctx),
      serverId: ctx.server,
      addTime: ctx.now,
      evtType: this.#options.evtType,
    });
    this.gstreamUnknown += result.unknown;
    for (const doc of result.documents) {
      this.gstreamEvents++;
      this.#emit(doc.id, [Part.of(doc.fields)]);
    }
  }

  /**
   * A server process ended (restart, eviction, silence): its open files expire at `now` into
   * `fstream_open_expired` documents with `reason`; its logins and paths are dropped.
   */
  serverGone(server: string, reason: ExpiryReason, now: number): void {
    const number = this.#keys.numberOf(server);
    if (number !== undefined) {
      this.#opens.serverGone(number, reason, now);
      for (const key of this.#userKeys.take(number) ?? []) this.#users.delete(key);
      for (const key of this.#pathKeys.take(number) ?? []) this.#paths.delete(key);
    }
    this.#servers.forget(server);
  }

  /** Drops expired cache entries and forgets servers silent for a day (or the cache time). */
  sweep(now: number): void {
    for (const cache of this.#caches()) cache.sweep(now);
    this.#servers.sweep(now);
    // A forgotten server was silent longer than the cache time: none of its keys is live.
    this.#keys.forget((server) => this.#servers.knows(server));
  }

  /** Waits until every lookup in flight has finished and its document was emitted. */
  drain(): Promise<void> {
    return this.#older.drain();
  }

  #caches(): {
    readonly size: number;
    readonly evictions: number;
    readonly expirations: number;
    sweep(now: number): number;
  }[] {
    return [this.#users, this.#opens.cache, this.#paths, this.#apps];
  }

  #serverName(ctx: PacketContext): string {
    return this.#servers.name(ctx.server, ctx.sender);
  }

  #emit(docId: string, parts: Part[]): void {
    this.emitted++;
    this.#options.emit(new AssembledDocument(docId, parts));
  }

  #meta(timestamp: number, msgType: string, extra: Fields): Part {
    // Always serialised, so built at once: a closure and an object spread per document cost
    // more than the few fields.
    const fields: Fields = {
      "@timestamp": isoSeconds(timestamp),
      type: this.#options.evtType,
      xrd_msg_type: msgType,
    };
    for (const key in extra) fields[key] = extra[key];
    return Part.of(fields);
  }

  #userLogin(packet: TextPacket, ctx: PacketContext): void {
    const id = uniqId(ctx.server, packet.body.dictId);
    const part = Part.from(new UserRecipe(packet.body));
    const key = this.#keys.key(ctx.server, packet.body.dictId);
    this.#users.set(key, { part, userid: packet.body.userid.raw }, ctx.now);
    this.#userKeys.add(key);
    const server = this.#serverName(ctx);
    this.#emit(`user:${id}`, [
      this.#meta(ctx.now, "user_connection", { xrd_user_uniq_id: id }),
      part,
      Part.of({
        xrd_server: server,
        xrd_record_add_time: ctx.now,
        xrd_seq_lost_packets: ctx.lost ?? 0,
      }),
    ]);
  }

  #userExtra(packet: TextPacket, ctx: PacketContext): void {
    const kv = parseKeyValues(packet.body.payload ?? "");
    const userDict = Number(kv.get("Uc"));
    // Cache keys hold a dictid in 32 bits: an out-of-range `Uc` must not reach another server.
    if (!Number.isInteger(userDict) || userDict < 0 || userDict > 0xffffffff) return;
    const entry = this.#users.get(this.#keys.key(ctx.server, userDict), ctx.now);
    if (entry === undefined) return;
    applyUserExtra(entry.part.fields, packet.header.code, kv);
    entry.part.invalidate();
  }

  /** The parts of a cached login (and its app info), if the login is still cached. */
  #userParts(userDict: number | undefined, server: string, now: number): Part[] | undefined {
    if (userDict === undefined) return undefined;
    const entry = this.#users.get(this.#keys.key(server, userDict), now);
    if (entry === undefined) return undefined;
    if (!this.#sawAppInfo) return [entry.part];
    const app = this.#apps.get(`${server}|${entry.userid}`, now);
    return typeof app === "string" ? [entry.part, Part.of({ xrd_appinfo: app })] : [entry.part];
  }

  #open(record: OpenRecord, window: TimeWindow, seen: number, ctx: PacketContext): void {
    const timing = recordTiming(window, record.pos, seen);
    const fileUniqId = uniqId(ctx.server, record.fileId);
    const fileKey = this.#keys.key(ctx.server, record.fileId);
    const userUniqId = record.userId !== 0 ? uniqId(ctx.server, record.userId) : undefined;
    const dictPath = record.lfn === undefined ? this.#paths.get(fileKey, ctx.now) : undefined;
    const server = this.#serverName(ctx);
    const part = Part.from(
      new OpenRecipe({
        record,
        timing,
        fileUniqId,
        userUniqId,
        server,
        pathFromDictionary: typeof dictPath === "string" ? dictPath : undefined,
      }),
    );
    const userDict = record.userId !== 0 ? record.userId : undefined;
    const user = this.#userParts(userDict, ctx.server, ctx.now);
    if (user === undefined && userDict !== undefined) this.#awaitedOnce(ctx.server, userDict);
    const entry: OpenEntry = {
      part,
      openTime: timing.derived,
      userDict,
      user,
      server: ctx.server,
      fileUniqId,
      openedAt: ctx.now,
      xfr: undefined,
      key: fileKey,
      // The user's key has the file's server number: no second lookup of the server string.
      userKey: userDict === undefined ? -1 : fileKey - record.fileId + userDict,
      prevOfUser: undefined,
      nextOfUser: undefined,
    };
    this.#opens.add(entry, ctx.now);
    const emit = (user: Part[] | undefined) =>
      this.#emit(`open:${fileUniqId}`, [
        this.#meta(timing.derived, "fstream_open", {
          xrd_hasOpenInfo: true,
          xrd_hasUserInfo: user !== undefined,
          xrd_hasDerivedStats: false,
        }),
        part,
        ...(user ?? []),
        Part.of({ xrd_record_add_time: ctx.now, xrd_seq_lost_packets: ctx.lost ?? 0 }),
      ]);
    if (user !== undefined || record.userId === 0 || !this.#older.canLookUp()) return emit(user);
    this.#older.findUser(ctx.server, record.userId, emit);
  }

  #close(record: CloseRecord, window: TimeWindow, seen: number, ctx: PacketContext): void {
    const timing = recordTiming(window, record.pos, seen);
    const fileUniqId = uniqId(ctx.server, record.fileId);
    const now = ctx.now;
    const lost = ctx.lost ?? 0;
    const state: CloseState = {
      closeTime: timing.derived,
      fileUniqId,
      close: Part.from(new CloseRecipe(record, timing, now, lost)),
      xfr: record.xfr,
    };
    const fileKey = this.#keys.key(ctx.server, record.fileId);
    const entry = this.#opens.take(fileKey, now);
    let userDict: number | undefined;
    if (entry !== undefined) {
      state.open = entry.part;
      state.openTime = entry.openTime;
      userDict = entry.userDict;
      state.user = this.#userParts(userDict, ctx.server, now);
    }
    const needsOpen = state.open === undefined;
    const needsUser = !needsOpen && state.user === undefined && userDict !== undefined;
    if (!(needsOpen || needsUser) || !this.#older.canLookUp()) return this.#emitClose(state);
    this.#older.completeClose(
      state,
      record.fileId,
      userDict,
      ctx.server,
      (s) => this.#emitClose(s),
    );
  }

  #emitClose(state: CloseState): void {
    if (state.open === undefined) this.closesWithoutOpen++;
    const parts = [this.#meta(state.closeTime, "fstream_close", closeFlags(state))];
    appendCloseParts(state, parts);
    this.#emit(`close:${state.fileUniqId}`, parts);
  }

  #setPath(key: number, path: string, now: number): void {
    this.#paths.set(key, path, now);
    this.#pathKeys.add(key);
  }

  #awaitedOnce(server: string, userDict: number): void {
    if (this.#awaited.size >= MAX_AWAITED) this.#awaited.clear();
    this.#awaited.add(this.#keys.key(server, userDict));
  }

  #expireOpen(entry: OpenEntry, reason: ExpiryReason, at: number): void {
    this.openExpired++;
    const user = entry.user ?? this.#userParts(entry.userDict, entry.server, at);
    this.#emit(`expired:${entry.fileUniqId}`, [
      this.#meta(at, "fstream_open_expired", {
        xrd_hasOpenInfo: true,
        xrd_hasUserInfo: user !== undefined,
        xrd_hasDerivedStats: false,
      }),
      entry.part,
      ...(user ?? []),
      Part.of(expiredFields({ reason, at, openedAt: entry.openedAt, xfr: entry.xfr })),
    ]);
  }
}
