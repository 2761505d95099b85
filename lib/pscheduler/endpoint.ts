/**
 * Endpoint → host extraction of perfSONAR's `pscheduler_normalize_endpoints.rb` (spec §2.4),
 * with Ruby 3.1 `URI` (RFC 3986) semantics. Pure.
 *
 * @module
 */
import { isIPv6 } from "node:net";
import { RubyException } from "./iso_duration.ts";

const UNRESERVED_SUB = "!$&'()*+,\\-.0-9;=A-Z_a-z~";
const PCT = "%[0-9A-Fa-f]{2}";
const USERINFO = `(?:${PCT}|[${UNRESERVED_SUB}:])*`;
const REG_NAME = `(?:${PCT}|[${UNRESERVED_SUB}])*`;
const IP_LITERAL = `\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[${UNRESERVED_SUB}:]+)\\]`;
const PCHAR = `(?:${PCT}|[${UNRESERVED_SUB}:@])`;
const PCHAR_NC = `(?:${PCT}|[${UNRESERVED_SUB}@])`;
const AUTHORITY = `(?:${USERINFO}@)?(${IP_LITERAL}|${REG_NAME})(?::\\d*)?`;
const PATH_ABEMPTY = `(?:/${PCHAR}*)*`;
const PATH_ABSOLUTE = `/(?:${PCHAR}+(?:/${PCHAR}*)*)?`;
const TAIL = `(?:\\?[^#]*)?(?:#(?:${PCHAR}|[/?])*)?`;
const URI_RE = new RegExp(
  `^([A-Za-z][A-Za-z0-9+.\\-]*):(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PCHAR}+(?:/${PCHAR}*)*|)${TAIL}$`,
);
const RELATIVE_RE = new RegExp(
  `^(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PCHAR_NC}+(?:/${PCHAR}*)*|)${TAIL}$`,
);
const SCHEME_ANYWHERE = /[A-Za-z][A-Za-z0-9+.\-]*:/;

class InvalidUri extends Error {}

// URI.parse(text).host: the host text (IP literals keep their brackets), null without an
// authority; throws InvalidUri when the text is no URI reference at all.
function uriHost(text: string): string | null {
  const absolute = URI_RE.exec(text);
  const match = absolute ?? RELATIVE_RE.exec(text);
  if (!match) throw new InvalidUri(text);
  const host = absolute ? match[2] : match[1];
  if (host !== undefined && host.startsWith("[")) {
    const inner = host.slice(1, -1);
    if (!inner.startsWith("v") && !isIPv6(inner)) throw new InvalidUri(text);
  }
  if (host === undefined) return null;
  const scheme = absolute ? match[1].toLowerCase() : undefined;
  if (scheme === "file") return host === "localhost" ? "" : host;
  return host === "" ? null : host;
}

/**
 * E(x): the host of an endpoint, `undefined` for a null/absent one. Throws
 * {@linkcode RubyException} where the Ruby script raises (an endpoint that yields no host,
 * such as `host:5201` or `/var/data/x`, or a value that is not a string); the event then gets
 * `_rubyexception` and no `meta`.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { endpointHost } from "./endpoint.ts";
 * deepStrictEqual(endpointHost("https://ps.example.net/pscheduler/tasks/1"), "ps.example.net");
 * deepStrictEqual(endpointHost("1.1.1.1:80"), "1.1.1.1");
 * deepStrictEqual(endpointHost("2001:db8::1"), "2001:db8::1");
 * ```
 */
export function endpointHost(x: unknown): string | undefined {
  if (x === null || x === undefined || x === false) return undefined;
  if (typeof x !== "string") throw new RubyException("no implicit conversion into String");
  let endpoint: string | null = x;
  try {
    endpoint = SCHEME_ANYWHERE.test(x) ? uriHost(x) : uriHost(`http://${x}`);
  } catch (error) {
    if (!(error instanceof InvalidUri)) throw error;
    endpoint = x;
  }
  if (endpoint === null) throw new RubyException("undefined method `sub' for nil");
  return endpoint.replace("[", "").replace("]", "");
}
