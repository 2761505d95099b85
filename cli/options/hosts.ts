/**
 * Checks of `--src`/`--dest`/`--agent` values. The original resolved them with an IPv4-only
 * blocking lookup (so IPv6 literals always failed); the archive resolves host names itself, so
 * here a value only has to be an IPv4/IPv6 literal or a well-formed host name.
 *
 * @module
 */
import { isIP } from "node:net";

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/i;

/**
 * Whether `value` is usable as a host argument.
 *
 * @example
 * ```ts
 * import { isHostArg } from "./hosts.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isHostArg("2001:400:201:1150::3"), true);
 * assert.deepEqual(isHostArg("perfsonar.example.org"), true);
 * assert.deepEqual(isHostArg("bad host!"), false);
 * ```
 */
export function isHostArg(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}
