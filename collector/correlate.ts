/**
 * The correlate stage: turns decoded packets into documents. User logins and opens are cached
 * (TTL + size bound) under server identity + dictid so a close gains its open's and user's
 * fields; a cache miss may be answered later by an {@linkcode OlderEventsLookup}, without
 * holding up the packets behind it.
 *
 * @module
 */
import type { FStreamPacket, TextPacket } from "./decode/packet.ts";
import type { CloseRecord, OpenRecord, TimeWindow, XfrTotals } from "./decode/fstream.ts";
import { parseKeyValues } from "./decode/text.ts";
import { TtlCache } from "./cache.ts";
import { closeFields, type Fields, openFields, userFields } from "./fields.ts";
import { deriveStats } from "./derive.ts";
import { type Sender, uniqId } from "./identity.ts";
import { isoSeconds, recordTiming } from "./timestamps.ts";
import type { CollectorDocument, OlderEventsLookup } from "./sink/types.ts";

/** Options for {@linkcode Correlator}. */
export interface CorrelatorOptions {
  /** Receives every finished document. */
  readonly emit: (doc: CollectorDocument) => void;
  /** The `type` field of every document (`--evt-type`). */
  readonly evtType: string;
  /** Seconds a login or open stays in memory (`--cache-time`). */
  readonly cacheSeconds: number;
  /** Most cached entries (`--cache-max-entries`). */
  readonly maxEntries: number;
  /** Asked when the cache misses; optional. */
  readonly lookup?: OlderEventsLookup;
  /** Most lookups in flight; beyond that documents go out without waiting (default 10 000). */
  readonly maxPendingLookups?: number;
  /** Give up on one lookup after this many milliseconds (default 5 000). */
  readonly lookupTimeoutMs?: number;
  /** Called when a lookup fails (to log it). */
  readonly onLookupError?: (error: unknown) => void;
}

/** Where and when a packet arrived, and what the pipeline knows about its server. */
export interface PacketContext {
  readonly sender: Sender;
  /** The server key ({@linkcode serverKey}). */
  readonly server: string;
  /** Arrival time, Unix seconds (float). */
  readonly now: number;
}

interface UserEntry {
  readonly fields: Fields;
  readonly userid: string;
}

interface OpenEntry {
  readonly fields: Fields;
  readonly userKey?: string;
  lastXfr?: XfrTotals;
}

interface ServerInfo {
  host?: string;
  lastSeen: number;
}

/** Fields of a found open document that are not part of the open itself. */
const DOC_META = new Set([
  "@timestamp",
  "type",
  "xrd_msg_type",
  "xrd_hasOpenInfo",
  "xrd_hasUserInfo",
  "xrd_hasDerivedStats",
  "xrd_record_add_time",
]);

function withoutMeta(body: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(body)) if (!DOC_META.has(key)) out[key] = value;
  return out;
}

/** Parts of a close document, assembled once everything known has arrived. */
interface CloseParts {
  readonly closeTime: number;
  readonly fileUniqId: string;
  readonly close: Fields;
  readonly xfr: XfrTotals;
  open?: Fields;
  user?: Fields;
}

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
  #cache: TtlCache<UserEntry | OpenEntry | string>;
  #servers = new Map<string, ServerInfo>();
  #inflight = new Set<Promise<void>>();
  /** Documents emitted. */
  emitted = 0;
  /** Closes whose open was not found (after any lookup). */
  closesWithoutOpen = 0;
  /** Lookups skipped because too many were in flight. */
  lookupsSkipped = 0;

  constructor(options: CorrelatorOptions) {
    this.#options = options;
    this.#cache = new TtlCache({
      ttlSeconds: options.cacheSeconds,
      maxEntries: options.maxEntries,
    });
  }

  /** Entries in the memory cache. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** Entries evicted because the cache was full. */
  get cacheEvictions(): number {
    return this.#cache.evictions;
  }

  /** Entries that expired. */
  get cacheExpirations(): number {
    return this.#cache.expirations;
  }

  /** Opens still waiting for their close (a linear count; for tests and metrics). */
  get openFiles(): number {
    let n = 0;
    for (const key of this.#cache.keys()) if (key.startsWith("o|")) n++;
    return n;
  }

  /** Lookups in flight. */
  get pendingLookups(): number {
    return this.#inflight.size;
  }

  /** Handles a decoded text packet (`=`, `u`, `i`, `U`, `T`, `d`; others are ignored). */
  handleText(packet: TextPacket, ctx: PacketContext): void {
    const { body } = packet;
    const server = this.#server(ctx);
    switch (packet.header.code) {
      case "=":
        if (body.userid.host !== "") server.host = body.userid.host;
        return;
      case "u":
        return this.#userLogin(packet, ctx);
      case "i":
        if (body.payload !== undefined) {
          this.#cache.set(`i|${ctx.server}|${body.userid.raw}`, body.payload, ctx.now);
        }
        return;
      case "d":
        if (body.payload !== undefined) {
          this.#cache.set(`d|${uniqId(ctx.server, body.dictId)}`, body.payload, ctx.now);
        }
        return;
      case "U":
      case "T":
        return this.#userExtra(packet, ctx);
    }
  }

  /** Handles a decoded f-stream packet. */
  handleFStream(packet: FStreamPacket, ctx: PacketContext): void {
    const { window, records } = packet;
    this.#server(ctx);
    for (const record of records) {
      switch (record.type) {
        case "open":
          this.#open(record, window, records.length, ctx);
          break;
        case "close":
          this.#close(record, window, records.length, ctx);
          break;
        case "xfr": {
          const entry = this.#cache.get(`o|${uniqId(ctx.server, record.fileId)}`, ctx.now);
          if (entry !== undefined && typeof entry !== "string" && !("userid" in entry)) {
            entry.lastXfr = record.xfr;
          }
          break;
        }
        case "disc":
          // Forced closes come before the disconnect, so nothing still needs this login.
          if (record.userId !== 0) this.#cache.delete(`u|${uniqId(ctx.server, record.userId)}`);
          break;
      }
    }
  }

  /** Drops expired cache entries and forgets servers silent for longer than the cache time. */
  sweep(now: number): void {
    this.#cache.sweep(now);
    for (const [key, info] of this.#servers) {
      if (info.lastSeen + this.#options.cacheSeconds < now) this.#servers.delete(key);
    }
  }

  /** Waits until every lookup in flight has finished and its document was emitted. */
  async drain(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  #server(ctx: PacketContext): ServerInfo {
    let info = this.#servers.get(ctx.server);
    if (info === undefined) {
      info = { lastSeen: ctx.now };
      this.#servers.set(ctx.server, info);
    }
    info.lastSeen = ctx.now;
    return info;
  }

  #serverName(ctx: PacketContext): string {
    return this.#servers.get(ctx.server)?.host ?? ctx.sender.hostname;
  }

  #emit(docId: string, body: Record<string, unknown>): void {
    this.emitted++;
    this.#options.emit({ docId, body });
  }

  #userLogin(packet: TextPacket, ctx: PacketContext): void {
    const id = uniqId(ctx.server, packet.body.dictId);
    const fields = userFields(packet.body);
    fields.xrd_server = this.#serverName(ctx);
    this.#cache.set(`u|${id}`, { fields, userid: packet.body.userid.raw }, ctx.now);
    this.#emit(`user:${id}`, {
      "@timestamp": isoSeconds(ctx.now),
      type: this.#options.evtType,
      xrd_msg_type: "user_connection",
      xrd_user_uniq_id: id,
      ...fields,
      xrd_record_add_time: ctx.now,
    });
  }

  #userExtra(packet: TextPacket, ctx: PacketContext): void {
    const kv = parseKeyValues(packet.body.payload ?? "");
    const userDict = Number(kv.get("Uc"));
    if (!Number.isInteger(userDict)) return;
    const entry = this.#cache.get(`u|${uniqId(ctx.server, userDict)}`, ctx.now);
    if (entry === undefined || typeof entry === "string" || !("userid" in entry)) return;
    if (packet.header.code === "U") {
      entry.fields.xrd_exp_code = kv.get("Ec") ?? "";
      entry.fields.xrd_act_code = kv.get("Ac") ?? "";
    } else {
      for (const [key, name] of [["s", "subject"], ["n", "user"], ["o", "org"], ["r", "role"]]) {
        if (kv.has(key)) entry.fields[`xrd_token_${name}`] = kv.get(key);
      }
      if (kv.has("g")) entry.fields.xrd_token_groups = kv.get("g");
    }
  }

  #user(key: string | undefined, server: string, now: number): Fields | undefined {
    if (key === undefined) return undefined;
    const entry = this.#cache.get(key, now);
    if (entry === undefined || typeof entry === "string" || !("userid" in entry)) return undefined;
    const app = this.#cache.get(`i|${server}|${entry.userid}`, now);
    return typeof app === "string" ? { ...entry.fields, xrd_appinfo: app } : entry.fields;
  }

  #open(record: OpenRecord, window: TimeWindow, seen: number, ctx: PacketContext): void {
    const timing = recordTiming(window, record.pos, seen);
    const fileUniqId = uniqId(ctx.server, record.fileId);
    const userUniqId = record.userId !== 0 ? uniqId(ctx.server, record.userId) : undefined;
    const dictPath = record.lfn === undefined
      ? this.#cache.get(`d|${fileUniqId}`, ctx.now)
      : undefined;
    const fields = openFields({
      record,
      timing,
      fileUniqId,
      userUniqId,
      server: this.#serverName(ctx),
      pathFromDictionary: typeof dictPath === "string" ? dictPath : undefined,
    });
    const userKey = userUniqId === undefined ? undefined : `u|${userUniqId}`;
    this.#cache.set(`o|${fileUniqId}`, { fields, userKey }, ctx.now);
    const user = this.#user(userKey, ctx.server, ctx.now);
    const emit = (found: Fields | undefined) =>
      this.#emit(`open:${fileUniqId}`, {
        "@timestamp": isoSeconds(timing.derived),
        type: this.#options.evtType,
        xrd_msg_type: "fstream_open",
        xrd_hasOpenInfo: true,
        xrd_hasUserInfo: found !== undefined,
        xrd_hasDerivedStats: false,
        ...fields,
        ...found,
        xrd_record_add_time: ctx.now,
      });
    if (user !== undefined || record.userId === 0 || !this.#canLookUp()) return emit(user);
    this.#later(async (lookup) => {
      const found = await lookup.findUser({ serverId: ctx.server, dictId: record.userId });
      return () => emit(found === undefined ? undefined : withoutMeta(found));
    }, () => emit(undefined));
  }

  #close(record: CloseRecord, window: TimeWindow, seen: number, ctx: PacketContext): void {
    const timing = recordTiming(window, record.pos, seen);
    const fileUniqId = uniqId(ctx.server, record.fileId);
    const parts: CloseParts = {
      closeTime: timing.derived,
      fileUniqId,
      close: closeFields(record, timing, ctx.now),
      xfr: record.xfr,
    };
    const entry = this.#cache.get(`o|${fileUniqId}`, ctx.now);
    if (entry !== undefined && typeof entry !== "string" && !("userid" in entry)) {
      this.#cache.delete(`o|${fileUniqId}`);
      parts.open = entry.fields;
      parts.user = this.#user(entry.userKey, ctx.server, ctx.now);
    }
    const userDict = parts.open === undefined ? undefined : this.#userDictOf(parts.open);
    const needsOpen = parts.open === undefined;
    const needsUser = parts.user === undefined && userDict !== 0;
    if (!(needsOpen || needsUser) || !this.#canLookUp()) return this.#emitClose(parts);
    this.#later(async (lookup) => {
      if (parts.open === undefined) {
        const open = await lookup.findOpen({ serverId: ctx.server, dictId: record.fileId });
        if (open !== undefined) {
          parts.open = withoutMeta(open);
          // An indexed open already carries its user's fields when they were known.
          if (open.xrd_hasUserInfo === true) parts.user = {};
        }
      }
      const dict = parts.open === undefined ? 0 : this.#userDictOf(parts.open);
      if (parts.user === undefined && dict !== undefined && dict !== 0) {
        const user = await lookup.findUser({ serverId: ctx.server, dictId: dict });
        if (user !== undefined) parts.user = withoutMeta(user);
      }
      return () => this.#emitClose(parts);
    }, () => this.#emitClose(parts));
  }

  #userDictOf(open: Fields): number | undefined {
    const id = open.xrd_user_uniq_id;
    if (typeof id !== "string") return 0;
    const dict = Number(id.slice(id.lastIndexOf(".") + 1));
    return Number.isInteger(dict) ? dict : undefined;
  }

  #emitClose(parts: CloseParts): void {
    const openTime = parts.open?.xrd_derived_open_time;
    const derived = typeof openTime === "number";
    if (parts.open === undefined) this.closesWithoutOpen++;
    this.#emit(`close:${parts.fileUniqId}`, {
      "@timestamp": isoSeconds(parts.closeTime),
      type: this.#options.evtType,
      xrd_msg_type: "fstream_close",
      xrd_hasOpenInfo: parts.open !== undefined,
      xrd_hasUserInfo: parts.user !== undefined,
      xrd_hasDerivedStats: derived,
      xrd_file_uniq_id: parts.fileUniqId,
      ...parts.open,
      ...parts.user,
      ...parts.close,
      ...(derived ? deriveStats({ openTime, closeTime: parts.closeTime, xfr: parts.xfr }) : {}),
    });
  }

  #canLookUp(): boolean {
    if (this.#options.lookup === undefined) return false;
    if (this.#inflight.size < (this.#options.maxPendingLookups ?? 10_000)) return true;
    this.lookupsSkipped++;
    return false;
  }

  /** Runs `work` against the lookup off the packet loop; `fallback` emits if it fails. */
  #later(
    work: (lookup: OlderEventsLookup) => Promise<() => void>,
    fallback: () => void,
  ): void {
    const lookup = this.#options.lookup!;
    const timeoutMs = this.#options.lookupTimeoutMs ?? 5_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`lookup took over ${timeoutMs} ms`)), timeoutMs);
    });
    const task = Promise.race([work(lookup), timeout])
      .then((finish) => finish(), (error) => {
        this.#options.onLookupError?.(error);
        fallback();
      })
      .catch((error) => this.#options.onLookupError?.(error))
      .finally(() => {
        clearTimeout(timer);
        this.#inflight.delete(task);
      });
    this.#inflight.add(task);
  }
}
