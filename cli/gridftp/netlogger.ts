/**
 * The netlogger ("Transfer stats", `-Z` transfer log) line parser: one transfer per line,
 * whitespace-separated `KEY=VALUE` tokens.
 *
 * The server writes FILE (and VOLUME) unquoted, so a path may contain spaces or `=`. Splitting
 * every token at `=` (the original's way) crashes on those lines; here a token starts a new
 * field only when it begins with a known key, or with a plausible key while the current field is
 * not a free-text one. Anything else continues the current free-text value, keeping its original
 * spacing.
 *
 * @module
 */

/** The keys a GridFTP server writes, in their on-the-wire spelling. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  "DATE",
  "HOST",
  "PROG",
  "NL.EVNT",
  "START",
  "USER",
  "FILE",
  "BUFFER",
  "BLOCK",
  "NBYTES",
  "VOLUME",
  "STREAMS",
  "STRIPES",
  "DEST",
  "TYPE",
  "CODE",
  "TASKID",
  "retrans",
]);

/** Fields whose values are free text (paths) and may hold spaces or `=`. */
const FREE_TEXT_KEYS: ReadonlySet<string> = new Set(["FILE", "VOLUME"]);

const PLAUSIBLE_KEY = /^[A-Za-z][A-Za-z0-9_.]*$/;

/** The characters `str.split()` (no argument) splits on in the original, ASCII part. */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

/** A parsed netlogger line: raw string values under normalised keys, plus parse warnings. */
export interface NetloggerFields {
  /** Values as written, keys lower-cased with `.` → `_` (`NL.EVNT` → `nl_evnt`). */
  readonly fields: Readonly<Record<string, string>>;
  /** Tokens that could not be placed (no `=` outside a free-text value, empty key, repeats). */
  readonly warnings: readonly string[];
}

/**
 * The key under which a wire key is stored: lower-cased, `.` replaced by `_`.
 *
 * @example
 * ```ts
 * import { normaliseKey } from "./netlogger.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(normaliseKey("NL.EVNT"), "nl_evnt");
 * ```
 */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replaceAll(".", "_");
}

interface OpenField {
  readonly key: string;
  readonly valueStart: number;
  valueEnd: number;
}

/**
 * Parses one netlogger line into its fields. Never throws: odd tokens become warnings.
 *
 * @example
 * ```ts
 * import { parseNetloggerLine } from "./netlogger.ts";
 * import assert from "node:assert/strict";
 * const { fields } = parseNetloggerLine("TYPE=RETR FILE=/data/a b.dat BUFFER=0 CODE=226");
 * assert.deepEqual(fields.file, "/data/a b.dat");
 * ```
 */
export function parseNetloggerLine(line: string): NetloggerFields {
  const fields: Record<string, string> = {};
  const warnings: string[] = [];
  let open: OpenField | undefined;
  const close = () => {
    if (open === undefined) return;
    const name = normaliseKey(open.key);
    if (name in fields) warnings.push(`key ${open.key} repeated; the later value is kept`);
    fields[name] = line.slice(open.valueStart, open.valueEnd);
    open = undefined;
  };
  const length = line.length;
  let at = 0;
  while (at < length) {
    while (at < length && isSpace(line.charCodeAt(at))) at++;
    if (at >= length) break;
    let stop = at;
    while (stop < length && !isSpace(line.charCodeAt(stop))) stop++;
    const eq = line.indexOf("=", at);
    const key = eq > at && eq < stop ? line.slice(at, eq) : undefined;
    const inFreeText = open !== undefined && FREE_TEXT_KEYS.has(open.key);
    const startsField = key !== undefined &&
      (KNOWN_KEYS.has(key) || (!inFreeText && PLAUSIBLE_KEY.test(key)));
    if (startsField) {
      close();
      open = { key, valueStart: eq + 1, valueEnd: stop };
    } else if (open !== undefined && inFreeText) {
      open.valueEnd = stop;
    } else {
      warnings.push(`token '${line.slice(at, stop)}' is not KEY=VALUE; ignored`);
    }
    at = stop;
  }
  close();
  return { fields, warnings };
}
