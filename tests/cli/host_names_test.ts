import { assert, assertEquals } from "../harness/mod.ts";
import { HostNames, pickName } from "../../cli/query/host_names.ts";
import { OrderedPool } from "../../cli/query/ordered.ts";
import { bulkFileName } from "../../cli/format/file_names.ts";

Deno.test("getfqdn's pick: first dotted name, else the primary one", () => {
  assertEquals(pickName(["vm", "vm.example.org."]), "vm.example.org");
  assertEquals(pickName(["localhost"]), "localhost");
  assertEquals(pickName([]), undefined);
});

Deno.test("each address is looked up once, concurrently, and a hung lookup times out", async () => {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const names = new HostNames({
    keepAddresses: false,
    timeoutMs: 100,
    lookup: async (address, signal) => {
      calls.push(address);
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        if (address === "10.0.0.9") {
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
          return ["never.example"];
        }
        if (address === "10.0.0.8") throw new Error("NXDOMAIN");
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [`h${address.split(".").at(-1)}.example`];
      } finally {
        active--;
      }
    },
  });
  const started = performance.now();
  await names.prefetch(["10.0.0.1", "10.0.0.2", "10.0.0.9", "10.0.0.8", "10.0.0.1"]);
  const took = performance.now() - started;
  assert(took < 1000, `bounded by one timeout, took ${took}`);
  assertEquals(maxActive >= 3, true);
  await names.prefetch(["10.0.0.1", "10.0.0.9"]);
  assertEquals(calls.sort(), ["10.0.0.1", "10.0.0.2", "10.0.0.8", "10.0.0.9"]);
  assertEquals(
    ["10.0.0.1", "10.0.0.2", "10.0.0.9", "10.0.0.8", "10.0.0.7"].map((a) => names.name(a)),
    ["h1.example", "h2.example", "10.0.0.9", "10.0.0.8", "10.0.0.7"],
  );
});

Deno.test("--ip: no lookups at all", async () => {
  const names = new HostNames({
    keepAddresses: true,
    lookup: () => Promise.reject(new Error("no")),
  });
  await names.prefetch(["10.0.0.1"]);
  assertEquals(names.name("10.0.0.1"), "10.0.0.1");
});

Deno.test("ordered pool: bounded concurrency, reports in submission order", async () => {
  const out: string[] = [];
  const pool = new OrderedPool(2, (text) => out.push(text));
  let active = 0;
  let maxActive = 0;
  const task = (name: string, ms: number) => async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((resolve) => setTimeout(resolve, ms));
    active--;
    return name;
  };
  pool.note("head");
  await pool.submit(task("slow", 60));
  await pool.submit(task("fast", 5));
  await pool.submit(task("third", 5));
  pool.note("tail");
  await pool.drain();
  assertEquals(out, ["head", "slow", "fast", "third", "tail"]);
  assertEquals(maxActive, 2);
});

Deno.test("bulk file names use the query window's UTC days", () => {
  assertEquals(
    bulkFileName({
      source: "perfsonar.ascr.doe.gov",
      destination: "anl-owamp.es.net",
      eventType: "histogram-owdelay",
      start: new Date("2015-03-15T23:59:59Z"),
      end: new Date("2015-04-02T00:00:00Z"),
      format: "csv",
    }),
    "perfsonar.ascr.doe.gov_anl-owamp.es.net_histogram-owdelay_2015-03-15_2015-04-02.csv",
  );
  assertEquals(
    bulkFileName({
      source: "10.0.0.1",
      destination: null,
      eventType: "failures",
      start: new Date(0),
      end: new Date(86400000),
      format: "json",
    }),
    "10.0.0.1_None_failures_1970-01-01_1970-01-02.json",
  );
});
