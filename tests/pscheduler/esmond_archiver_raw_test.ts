// pScheduler's esmond archiver mapping (spec §4.1) where the result goes raw: disk-to-disk, types
// without a mapping (network-element), and the data-formatting-policy option.
import { assertEquals, assertRejects } from "../harness/assert.ts";
import { esmondView, EsmondViewError, OFFLINE_RESOLVER } from "../../lib/pscheduler/mod.ts";
import { esmond, eventTypes } from "./esmond_archiver_cases.ts";
import { HREFS, runBody } from "./run_body.ts";

Deno.test("disk-to-disk: hosts of the URLs, spec flattened, throughput as a float, raw result", async () => {
  const result = {
    succeeded: true,
    time: "PT5.002407S",
    "bytes-sent": 1048576,
    throughput: 1676083,
  };
  const { metadata, values } = await esmond(runBody({
    type: "disk-to-disk",
    spec: {
      source: "ftp://ps1.example.net/data/f",
      dest: "https://ps2.example.net:8443/up",
      parallel: 4,
    },
    tool: "globus",
    result,
  }));
  assertEquals(metadata["input-source"], "ps1.example.net");
  assertEquals(metadata["input-destination"], "ps2.example.net");
  assertEquals([metadata.source, metadata.destination], ["192.0.2.9", "198.51.100.2"]);
  assertEquals(metadata["bw-parallel-streams"], 4);
  assertEquals(metadata["pscheduler-disk-to-disk-source"], "ftp://ps1.example.net/data/f");
  assertEquals(metadata["pscheduler-disk-to-disk-parallel"], 4);
  assertEquals(eventTypes(metadata), [
    "failures",
    "throughput",
    "pscheduler-run-href",
    "pscheduler-raw",
  ]);
  assertEquals(values.get("throughput"), 1676083);
  assertEquals(values.get("pscheduler-raw"), result);
});

Deno.test("types without a mapping: network-element, spec flattened, the whole result raw", async () => {
  const result = { succeeded: true, time: "PT0.02S", record: [{ address: "192.0.2.7", ttl: 300 }] };
  const { metadata, values } = await esmond(runBody({
    type: "dns",
    spec: { query: "example.net", record: "a", nameserver: "192.0.2.53", "x-opts": { a: [1, 2] } },
    tool: "dnspy",
    result,
  }));
  assertEquals(metadata["subject-type"], "network-element");
  // The lead's address, IPv6 preferred (both families resolve).
  assertEquals(metadata.source, "2001:db8::9");
  assertEquals(metadata.destination, undefined);
  assertEquals(metadata["pscheduler-dns-query"], "example.net");
  assertEquals(metadata["pscheduler-dns-x-opts-a-0"], 1);
  assertEquals(metadata["pscheduler-dns-x-opts-a-1"], 2);
  assertEquals(eventTypes(metadata), ["pscheduler-raw", "pscheduler-run-href"]);
  assertEquals([...values.entries()], [
    ["pscheduler-raw", result],
    ["pscheduler-run-href", { href: HREFS.run }],
  ]);
  for (const type of ["http", "idle", "s3throughput", "simplestream", "latencybg-x"]) {
    const v = await esmond(runBody({ type, spec: {}, tool: "x", result: { succeeded: true } }));
    assertEquals(v.metadata["subject-type"], "network-element", type);
    assertEquals(v.values.get("pscheduler-raw"), { succeeded: true }, type);
  }
});

Deno.test("data-formatting-policy: raw-only and mapped-only", async () => {
  const body = runBody({
    type: "rtt",
    spec: { dest: "198.51.100.2" },
    tool: "ping",
    result: { succeeded: true, sent: 1, lost: 0 },
  });
  const raw = await esmondView(body, {
    resolver: OFFLINE_RESOLVER,
    dataFormattingPolicy: "raw-only",
  });
  assertEquals(raw.metadata["subject-type"], "network-element");
  assertEquals(raw.data.data[0].val.map((v) => v["event-type"]), [
    "pscheduler-raw",
    "pscheduler-run-href",
  ]);
  await assertRejects(
    () =>
      esmondView(runBody({ type: "dns", spec: {}, tool: "dnspy" }), {
        resolver: OFFLINE_RESOLVER,
        dataFormattingPolicy: "mapped-only",
      }),
    EsmondViewError,
  );
});
