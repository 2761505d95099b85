/**
 * The source, destination and measurement agent of the esmond metadata: names resolved the
 * way the archiver's `_get_ip_v4v6` and `ip_normalize_version` do.
 *
 * @module
 */
import { compressIpv6, ipFamily } from "../ip_text.ts";
import { type JsonObject, numberOf } from "../json_value.ts";
import type { NameResolver } from "../resolver.ts";
import type { ArchiverRecord } from "./archiver_record.ts";
import { EsmondViewError, type EsmondViewOptions } from "./types.ts";

interface V4V6 {
  v4: string | null;
  v6: string | null;
}

// `_get_ip_v4v6`: getaddrinfo, last address per family.
async function v4v6(address: unknown, resolver: NameResolver): Promise<V4V6> {
  if (typeof address !== "string" || address === "") return { v4: null, v6: null };
  const literal = ipFamily(address);
  if (literal === 4) return { v4: address, v6: null };
  if (literal === 6) return { v4: null, v6: compressIpv6(address) };
  const found = await resolver.lookup(address);
  return { v4: found.ipv4.at(-1) ?? null, v6: found.ipv6.at(-1) ?? null };
}

// `ip_normalize_version(src, dest, ip_version)`.
async function normalizeVersion(
  src: unknown,
  dest: unknown,
  ipVersion: unknown,
  resolver: NameResolver,
): Promise<[string | null, string | null]> {
  const a = await v4v6(src, resolver);
  const b = await v4v6(dest, resolver);
  const v = numberOf(ipVersion);
  if (v === 6) return [a.v6, b.v6];
  if (v === 4) return [a.v4, b.v4];
  if (a.v6 && b.v6) return [a.v6, b.v6];
  if (a.v4 && b.v4) return [a.v4, b.v4];
  return [null, null];
}

// Python's `urllib.parse.urlparse(x).hostname`.
function urlHostname(x: unknown): string | null {
  if (typeof x !== "string") return null;
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(x) ?? /^\/\/([^/?#]*)/.exec(x);
  if (!m) return null;
  let netloc = m[1];
  const at = netloc.lastIndexOf("@");
  if (at >= 0) netloc = netloc.slice(at + 1);
  if (netloc.startsWith("[")) {
    const end = netloc.indexOf("]");
    return end > 0 ? netloc.slice(1, end).toLowerCase() : null;
  }
  const host = netloc.split(":")[0].toLowerCase();
  return host === "" ? null : host;
}

/** Sets `subject-type`, `source`, `destination`, `input-*` and `measurement-agent`. */
export async function parseAddresses(
  rec: ArchiverRecord,
  spec: JsonObject,
  type: string,
  raw: boolean,
  ipVersion: unknown,
  lead: unknown,
  options: EsmondViewOptions,
): Promise<void> {
  const m = rec.metadata;
  const agent = options.measurementAgent;
  const r = options.resolver;
  let srcIp: string | null;
  if (type === "disk-to-disk" && !raw) {
    let inputSource: unknown = lead;
    let inputDest: unknown = lead;
    m["subject-type"] = "point-to-point";
    if (Object.hasOwn(spec, "source")) {
      inputSource = urlHostname(spec.source) ?? (agent ? agent : inputSource);
    }
    if (Object.hasOwn(spec, "dest")) {
      inputDest = urlHostname(spec.dest) ?? (agent ? agent : inputDest);
    }
    const [s, d] = await normalizeVersion(inputSource, inputDest, ipVersion, r);
    m.source = s;
    m.destination = d;
    m["input-source"] = inputSource;
    m["input-destination"] = inputDest;
    srcIp = s;
    m["measurement-agent"] = (await normalizeVersion(srcIp, agent ? agent : lead, null, r))[1];
    return;
  }
  const inputSource = !raw && Object.hasOwn(spec, "source") ? spec.source : lead;
  let destIp: string | null = null;
  if (!raw) {
    if (!Object.hasOwn(spec, "dest")) throw new EsmondViewError(`a ${type} test needs spec.dest`);
    m["subject-type"] = "point-to-point";
    m["input-destination"] = spec.dest;
    [srcIp, destIp] = await normalizeVersion(inputSource, spec.dest, ipVersion, r);
  } else {
    m["subject-type"] = "network-element";
    [srcIp] = await normalizeVersion(inputSource, inputSource, ipVersion, r);
  }
  m.source = srcIp;
  if (destIp) m.destination = destIp;
  m["input-source"] = inputSource;
  if (agent) {
    let ma = (await normalizeVersion(srcIp, agent, null, r))[1];
    if (ma === null) ma = (await normalizeVersion(agent, agent, ipVersion, r))[0];
    m["measurement-agent"] = ma;
  } else {
    m["measurement-agent"] = (await normalizeVersion(srcIp, lead, null, r))[1];
  }
}
