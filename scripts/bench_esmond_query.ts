/**
 * Benchmark of the esmond client's query side (issue 3): points/s and peak memory.
 *
 * 1. parse only: `parseDataPage` over in-memory pages (1,000,000 numeric points, 100,000
 *    histograms) — the client's own cost;
 * 2. end to end through the real embedded archive (`esmond-ps-archive serve`): 1,000,000
 *    numeric points and 100,000 histograms posted in bulk, then read with `ApiConnect`;
 * 3. streaming 1,000,000 vs 10,000,000 numeric points from a loopback server that generates
 *    pages (so the archive's own speed is out of the picture), each read in a fresh child
 *    process, reporting points/s and peak RSS / heap — peak memory must not grow with N.
 *
 * Run: `deno run -A --frozen scripts/bench_esmond_query.ts [--quick]`.
 *
 * @module
 */
import {
  ApiConnect,
  ApiFilters,
  EventTypeBulkPost,
  MetadataPost,
  parseDataPage,
} from "../lib/esmond/mod.ts";
import { startArchive } from "../tests/archive_server.ts";

const T0 = 1_000_000_000;
const quick = Deno.args.includes("--quick");

function numericVal(i: number): number {
  return 1_000_000 + ((i * 7919) % 1_000_000_000);
}

function histogramVal(i: number): Record<string, number> {
  const h: Record<string, number> = {};
  for (let b = 0; b < 8; b++) h[String(20 + ((i + b * 3) % 40))] = 1 + ((i * (b + 1)) % 500);
  return h;
}

function numericPageText(from: number, count: number): string {
  const parts = new Array<string>(count);
  for (let k = 0; k < count; k++) {
    parts[k] = `{"ts":${T0 + from + k},"val":${numericVal(from + k)}.0}`;
  }
  return `[${parts.join(",")}]`;
}

function rate(points: number, ms: number): string {
  return `${Math.round(points / (ms / 1000)).toLocaleString("en-US")} points/s`;
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

function parseOnly(): void {
  const pageSize = 10_000;
  const numericPages = Array.from(
    { length: 100 },
    (_, p) => numericPageText(p * pageSize, pageSize),
  );
  const histPage = JSON.stringify(
    Array.from({ length: pageSize }, (_, i) => ({ ts: T0 + i, val: histogramVal(i) })),
  );
  for (let i = 0; i < 5; i++) parseDataPage(numericPages[i]); // warm-up
  let t0 = performance.now();
  let n = 0;
  for (const page of numericPages) n += parseDataPage(page).length;
  console.log(
    `parse only, numeric: ${n} points in ${(performance.now() - t0).toFixed(0)} ms = ${
      rate(n, performance.now() - t0)
    }`,
  );
  t0 = performance.now();
  n = 0;
  for (let i = 0; i < 10; i++) n += parseDataPage(histPage).length;
  console.log(
    `parse only, histogram (8 buckets): ${n} points in ${
      (performance.now() - t0).toFixed(0)
    } ms = ${rate(n, performance.now() - t0)}`,
  );
  // Buckets in an order a JS object would change (as archives send owdelay/ttl histograms):
  // the order-keeping path that yields Maps.
  const unordered = histPage.replace(
    /"val":\{[^}]*\}/g,
    (_, at: number) => `"val":{"${472 + at % 7}":3,"800":41,"15":5,"263":281,"241":49,"505":30}`,
  );
  t0 = performance.now();
  n = 0;
  for (let i = 0; i < 10; i++) n += parseDataPage(unordered).length;
  console.log(
    `parse only, histogram (6 buckets, archive order kept as Map): ${n} points in ${
      (performance.now() - t0).toFixed(0)
    } ms = ${rate(n, performance.now() - t0)}`,
  );
}

async function throughArchive(numeric: number, histograms: number): Promise<void> {
  await using archive = await startArchive();
  const client = { url: archive.url, apiKey: archive.token, timeoutMs: 300_000 };
  using post = new MetadataPost({
    ...client,
    subjectType: "point-to-point",
    source: "10.0.0.1",
    destination: "10.0.0.2",
    measurementAgent: "10.0.0.1",
    toolName: "owamp/powstream",
    inputSource: "a",
    inputDestination: "b",
  });
  post.addEventType("packet-count-sent").addEventType("histogram-owdelay");
  const md = await post.postMetadata();
  let t0 = performance.now();
  const chunk = 50_000;
  for (let from = 0; from < Math.max(numeric, histograms); from += chunk) {
    using bulk = new EventTypeBulkPost({ ...client, metadataKey: md.metadataKey });
    for (let i = from; i < Math.min(from + chunk, numeric); i++) {
      bulk.addDataPoint("packet-count-sent", T0 + i, numericVal(i));
    }
    for (let i = from; i < Math.min(from + chunk, histograms); i++) {
      bulk.addDataPoint("histogram-owdelay", T0 + i, histogramVal(i));
    }
    await bulk.postData();
  }
  console.log(
    `archive ingest (bulk PUT, ${chunk}/request): ${numeric + histograms} values in ${
      ((performance.now() - t0) / 1000).toFixed(1)
    } s`,
  );
  using conn = new ApiConnect({
    url: archive.url,
    filters: new ApiFilters({ metadataKey: md.metadataKey }),
  });
  const window = new ApiFilters({ timeStart: T0, timeEnd: T0 + numeric });
  for await (const found of conn.listMetadata()) {
    for (
      const [name, expected] of [["packet-count-sent", numeric], [
        "histogram-owdelay",
        histograms,
      ]] as const
    ) {
      const et = found.withFilters(window).getEventType(name)!;
      t0 = performance.now();
      let n = 0;
      let peak = 0;
      for await (const page of et.pages()) {
        n += page.length;
        peak = Math.max(peak, Deno.memoryUsage().heapUsed);
      }
      const ms = performance.now() - t0;
      if (n !== expected) throw new Error(`${name}: read ${n} of ${expected}`);
      console.log(
        `archive → ApiConnect, ${name}: ${n} points in ${ms.toFixed(0)} ms = ${
          rate(n, ms)
        } (peak heap ${mib(peak)})`,
      );
    }
  }
}

/** Child mode: stream N points from the synthetic server, print one JSON line. */
async function child(url: string, n: number, byPage: boolean): Promise<void> {
  using conn = new ApiConnect({ url, filters: new ApiFilters({ timeStart: T0, timeEnd: T0 + n }) });
  const t0 = performance.now();
  let count = 0;
  let floats = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = Deno.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  for await (const md of conn.listMetadata()) {
    const et = md.getEventType("throughput")!;
    if (byPage) {
      for await (const page of et.pages()) {
        for (const p of page) if (p.valIsFloat) floats++;
        count += page.length;
        sample();
      }
    } else {
      for await (const p of et.data()) {
        count++;
        if (p.valIsFloat) floats++;
        if ((count & 0x3fff) === 0) sample();
      }
    }
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ count, floats, ms, peakRss, peakHeap }));
}

function syntheticServer(): { url: string; shutdown: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    const m = url.pathname.match(/\/archive\/syn(\d+)\/throughput\/base$/);
    const headers = { "content-type": "application/json" };
    if (!m) {
      const n = Number(url.searchParams.get("time-end")) - T0;
      const base = `/esmond/perfsonar/archive/syn${n}`;
      return new Response(
        JSON.stringify([{
          "metadata-key": `syn${n}`,
          "metadata-count-total": 1,
          "event-types": [{
            "event-type": "throughput",
            "base-uri": `${base}/throughput/base`,
            "summaries": [],
          }],
        }]),
        { headers },
      );
    }
    const n = Number(m[1]);
    const p = url.searchParams;
    const start = Math.max(Number(p.get("time-start") ?? T0) - T0, 0);
    const end = Math.min(Number(p.get("time-end")) - T0, n - 1);
    const from = start + Number(p.get("offset") ?? 0);
    const count = Math.max(0, Math.min(Number(p.get("limit") ?? 1500), end - from + 1));
    return new Response(numericPageText(from, count), { headers });
  });
  const port = (server.addr as Deno.NetAddr).port;
  return { url: `http://127.0.0.1:${port}`, shutdown: () => server.shutdown() };
}

async function streamed(sizes: number[]): Promise<void> {
  const server = syntheticServer();
  try {
    for (const [n, how] of sizes.flatMap((n) => [[n, "data"], [n, "pages"]] as const)) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--frozen",
          import.meta.filename!,
          "--child",
          server.url,
          String(n),
          how,
        ],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      if (r.count !== n || r.floats !== n) {
        throw new Error(`streamed ${r.count}/${n} (${r.floats} floats)`);
      }
      console.log(
        `loopback stream → EventType.${how}(), ${n.toLocaleString("en-US")} numeric points: ${
          rate(n, r.ms)
        }, ` +
          `peak RSS ${mib(r.peakRss)}, peak heap ${mib(r.peakHeap)}`,
      );
    }
  } finally {
    await server.shutdown();
  }
}

if (Deno.args[0] === "--child") {
  await child(Deno.args[1], Number(Deno.args[2]), Deno.args[3] === "pages");
} else {
  console.log(
    `# esmond client query benchmark (${new Date().toISOString()}, Deno ${Deno.version.deno})`,
  );
  parseOnly();
  await throughArchive(quick ? 100_000 : 1_000_000, quick ? 10_000 : 100_000);
  await streamed(quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000]);
}
