// Stage 03 (spec §2.4): E(x), R(x, ipv) and the observer / pair / source-alone rules, with a
// name service answering from tables (getaddrinfo, plain DNS queries and PTR kept apart).
import { assertEquals } from "../harness/assert.ts";
import type { NameResolver } from "../../lib/pscheduler/mod.ts";
import { documentOf, runBody } from "./run_body.ts";

interface Names {
  lookup?: Record<string, { ipv4?: string[]; ipv6?: string[] }>;
  query?: Record<string, { ipv4?: string[]; ipv6?: string[] }>;
  reverse?: Record<string, string>;
}

function resolver(names: Names): NameResolver {
  return {
    lookup: (n) =>
      Promise.resolve({
        ipv4: names.lookup?.[n]?.ipv4 ?? [],
        ipv6: names.lookup?.[n]?.ipv6 ?? [],
      }),
    query: (n, f) =>
      Promise.resolve((f === 4 ? names.query?.[n]?.ipv4 : names.query?.[n]?.ipv6) ?? []),
    reverse: (a) => Promise.resolve(names.reverse?.[a] ?? null),
  };
}

const NAMES: Names = {
  lookup: {
    "ps1.example.net": { ipv4: ["192.0.2.8", "192.0.2.9"], ipv6: ["2001:db8::8", "2001:db8::9"] },
    "ps2.example.net": { ipv4: ["198.51.100.2"], ipv6: ["2001:db8:2::2"] },
    "v4only.example.net": { ipv4: ["198.51.100.4"] },
    "v6only.example.net": { ipv6: ["fe80::6%2"] },
  },
  query: {
    "v4only.example.net": { ipv6: ["2001:db8:4::4", "2001:db8:4::5"] },
    "nogai.example.net": { ipv4: ["203.0.113.7"], ipv6: ["2001:db8:7::7"] },
  },
  reverse: { "198.51.100.2": "ptr2.example.net", "2001:db8::1": "ptr-v6.example.net" },
};

async function meta(
  spec: Record<string, unknown>,
  observer: string | undefined = "ps1.example.net",
  names: Names = NAMES,
) {
  const { doc } = await documentOf(
    runBody({ type: "throughput", spec, tool: "iperf3", result: { succeeded: false } }),
    { observer, resolver: resolver(names) },
  );
  return { meta: doc.meta, tags: doc.tags };
}

Deno.test("pair of names, no ip-version: IPv6 when both have it, names as hostnames", async () => {
  const { meta: m } = await meta({ source: "ps1.example.net", dest: "ps2.example.net" });
  assertEquals(m, {
    observer: { ip: "2001:db8::9", hostname: "ps1.example.net" },
    source: { ip: "2001:db8::9", hostname: "ps1.example.net" },
    destination: { ip: "2001:db8:2::2", hostname: "ps2.example.net" },
    ip_version: 6,
  });
});

Deno.test("the observer prefers IPv6 even when the measured pair is IPv4", async () => {
  const { meta: m } = await meta({ source: "198.51.100.2", dest: "v4only.example.net" });
  assertEquals(m.observer, { ip: "2001:db8::9", hostname: "ps1.example.net" });
  assertEquals(m.source, { ip: "198.51.100.2", hostname: "ptr2.example.net" });
  assertEquals(m.destination, { ip: "198.51.100.4", hostname: "v4only.example.net" });
  assertEquals(m.ip_version, 4);
});

Deno.test("ip-version 4: the IPv4 pair, the observer's IPv4 address", async () => {
  const { meta: m } = await meta({
    source: "ps1.example.net",
    dest: "ps2.example.net",
    "ip-version": 4,
  });
  assertEquals(m.observer, { ip: "192.0.2.9", hostname: "ps1.example.net" });
  assertEquals(m.source.ip, "192.0.2.9");
  assertEquals(m.destination, { ip: "198.51.100.2", hostname: "ps2.example.net" });
  assertEquals(m.ip_version, 4);
});

Deno.test("ip-version 6 forced: a name getaddrinfo gives no IPv6 for is asked by AAAA query", async () => {
  const { meta: m } = await meta({
    source: "ps1.example.net",
    dest: "v4only.example.net",
    "ip-version": 6,
  });
  // The first answer of the query, not the last.
  assertEquals(m.destination, { ip: "2001:db8:4::4", hostname: "v4only.example.net" });
  assertEquals(m.ip_version, 6);
});

Deno.test("ip-version forced: a name getaddrinfo does not know is still asked by DNS query", async () => {
  const { meta: m } = await meta({
    source: "ps1.example.net",
    dest: "nogai.example.net",
    "ip-version": 4,
  });
  assertEquals(m.destination, { ip: "203.0.113.7", hostname: "nogai.example.net" });
  // Without ip-version no query is made: the side resolves to nothing.
  const none = await meta({ source: "ps1.example.net", dest: "nogai.example.net" });
  assertEquals(none.meta.destination, undefined);
  assertEquals(none.meta.source, undefined);
  assertEquals(none.meta.ip_version, undefined);
});

Deno.test("ip-version forced, family missing: the fields are written as null", async () => {
  const { meta: m } = await meta({
    source: "192.0.2.4",
    dest: "198.51.100.2",
    "ip-version": 6,
  }, "192.0.2.9");
  assertEquals(m, {
    observer: { ip: null, hostname: null },
    source: { ip: null, hostname: null },
    destination: { ip: null, hostname: null },
    ip_version: 6,
  });
});

Deno.test("ip-version other than the numbers 4 and 6: no family rule applies", async () => {
  for (const ipv of ["4", 5, true]) {
    const { meta: m } = await meta({
      source: "192.0.2.4",
      dest: "198.51.100.2",
      "ip-version": ipv,
    });
    assertEquals(m, undefined, JSON.stringify(ipv));
  }
  const { meta: asFloat } = await meta({
    source: "192.0.2.4",
    dest: "198.51.100.2",
    "ip-version": 4.0,
  });
  assertEquals(asFloat.ip_version, 4);
});

Deno.test("literals: themselves (IPv6 compressed, lower case), PTR name or the ip as hostname", async () => {
  const { meta: m } = await meta({
    source: "2001:DB8:0:0:0:0:0:1",
    dest: "[2001:db8::2]",
  }, "2001:db8::9");
  assertEquals(m.source, { ip: "2001:db8::1", hostname: "ptr-v6.example.net" });
  assertEquals(m.destination, { ip: "2001:db8::2", hostname: "2001:db8::2" });
  // The observer's hostname has no fallback: no PTR → null.
  assertEquals(m.observer, { ip: "2001:db8::9", hostname: null });
});

Deno.test("a zone digit of a getaddrinfo answer is dropped", async () => {
  const { meta: m } = await meta({ source: "ps1.example.net", dest: "v6only.example.net" });
  assertEquals(m.destination, { ip: "fe80::6", hostname: "v6only.example.net" });
});

Deno.test("only dest: the observer is the source; only source: source alone", async () => {
  const onlyDest = await meta({ dest: "ps2.example.net" });
  assertEquals(onlyDest.meta.source, { ip: "2001:db8::9", hostname: "ps1.example.net" });
  assertEquals(onlyDest.meta.destination.ip, "2001:db8:2::2");

  const onlySource = await meta({ source: "198.51.100.2" });
  assertEquals(onlySource.meta, {
    observer: { ip: "2001:db8::9", hostname: "ps1.example.net" },
    source: { ip: "198.51.100.2", hostname: "ptr2.example.net" },
    ip_version: 4,
  });
  const literal = await meta({ source: "192.0.2.55" }, "192.0.2.9");
  assertEquals(literal.meta.source, { ip: "192.0.2.55", hostname: "192.0.2.55" });
  assertEquals(literal.meta.ip_version, 4);
});

Deno.test("the observer from the task href when no header was sent", async () => {
  const { meta: m } = await meta({ dest: "198.51.100.2" }, undefined);
  // https://ps1.example.net/pscheduler/tasks/… → ps1.example.net, IPv6 preferred.
  assertEquals(m.observer, { ip: "2001:db8::9", hostname: "ps1.example.net" });
  // The pair takes a family both sides have: IPv4 (the dest is an IPv4 literal).
  assertEquals(m.source.ip, "192.0.2.9");
  assertEquals(m.ip_version, 4);
  const empty = await meta({ dest: "198.51.100.2" }, "");
  assertEquals(empty.meta.observer.ip, "2001:db8::9");
});

Deno.test("endpoints: URLs and host:port forms, and the ones that raise", async () => {
  const url = await meta(
    { source: "http://192.0.2.4:8080/x", dest: "198.51.100.2:5201" },
    "192.0.2.9",
  );
  assertEquals(url.meta.source.ip, "192.0.2.4");
  assertEquals(url.meta.destination.ip, "198.51.100.2");
  for (const dest of ["ps2.example.net:5201", "fe80::1", "/var/data/out"]) {
    const bad = await meta({ source: "192.0.2.4", dest }, "192.0.2.9");
    assertEquals(bad.meta, undefined, dest);
    assertEquals(bad.tags, ["_rubyexception"], dest);
  }
  // A non-string endpoint raises too.
  const numeric = await meta({ source: "192.0.2.4", dest: 5 }, "192.0.2.9");
  assertEquals([numeric.meta, numeric.tags], [undefined, ["_rubyexception"]]);
  // An unbracketed IPv6 literal fails URI parsing and stays as it is.
  const v6 = await meta({ source: "2001:db8::1", dest: "2001:db8:2::2" }, "2001:db8::9");
  assertEquals(v6.meta.destination.ip, "2001:db8:2::2");
});
