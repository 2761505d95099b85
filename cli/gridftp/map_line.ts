/**
 * One log line → what it yields, for either log format: parse, then map. The host lookup is
 * split out so the caller can resolve names (I/O) between the two pure steps.
 *
 * @module
 */
import type { AddressFamily } from "./address.ts";
import { addressFamily } from "./address.ts";
import { jsonTransfer, parseJsonLine } from "./json_transfer.ts";
import { parseNetloggerLine } from "./netlogger.ts";
import { type HostLookup, netloggerHostQuery, netloggerTransfer } from "./netlogger_transfer.ts";
import { type SensitiveFields, skip, type TransferOutcome } from "./transfer.ts";

/** A parsed line of either format. */
export type ParsedLine =
  | { readonly kind: "empty" }
  | { readonly kind: "bad-json" }
  | { readonly kind: "json"; readonly record: Record<string, unknown> }
  | {
    readonly kind: "netlogger";
    readonly fields: Readonly<Record<string, string>>;
    readonly warnings: readonly string[];
  };

/**
 * Parses a line of the netlogger (`json: false`) or JSON (`json: true`) log.
 *
 * @example
 * ```ts
 * import { parseLine } from "./map_line.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseLine("   ", { json: false }).kind, "empty");
 * ```
 */
export function parseLine(text: string, options: { readonly json: boolean }): ParsedLine {
  const trimmed = text.trim();
  if (trimmed === "") return { kind: "empty" };
  if (options.json) {
    const record = parseJsonLine(trimmed);
    return record === undefined ? { kind: "bad-json" } : { kind: "json", record };
  }
  const { fields, warnings } = parseNetloggerLine(trimmed);
  return { kind: "netlogger", fields, warnings };
}

/**
 * The name lookup mapping this line will need, if any: HOST and the address family wanted.
 *
 * @example
 * ```ts
 * import { hostQuery, parseLine } from "./map_line.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(hostQuery(parseLine("HOST=localhost DEST=[::1] TYPE=RETR", { json: false })), { host: "localhost", family: 6 });
 * ```
 */
export function hostQuery(
  parsed: ParsedLine,
): { host: string; family: AddressFamily } | undefined {
  if (parsed.kind === "netlogger") return netloggerHostQuery(parsed.fields);
  if (parsed.kind !== "json") return undefined;
  const { host, dest, event_type: eventType } = parsed.record;
  if (eventType !== "Transfer-End" || typeof host !== "string") return undefined;
  const trimmed = host.trim();
  if (trimmed === "" || addressFamily(trimmed) !== undefined) return undefined;
  return { host: trimmed, family: addressFamily(String(dest)) ?? 4 };
}

/** Options of {@linkcode mapParsedLine}. */
export interface MapLineOptions {
  /** HOST → address of a family, from names resolved beforehand. */
  readonly lookup: HostLookup;
  /** Sensitive fields to include (`-F`, `-N`, `-V`). */
  readonly sensitive?: SensitiveFields;
}

/**
 * What a parsed line yields.
 *
 * @example
 * ```ts
 * import { mapParsedLine, parseLine } from "./map_line.ts";
 * import assert from "node:assert/strict";
 * const outcome = mapParsedLine(parseLine("not json", { json: true }), { lookup: () => undefined });
 * assert.deepEqual(outcome.action, "skip");
 * ```
 */
export function mapParsedLine(parsed: ParsedLine, options: MapLineOptions): TransferOutcome {
  switch (parsed.kind) {
    case "empty":
      return skip("empty", "empty line");
    case "bad-json":
      return skip("malformed", "log line is not valid json");
    case "json":
      return jsonTransfer(parsed.record, options);
    case "netlogger":
      return netloggerTransfer(parsed.fields, options);
  }
}
