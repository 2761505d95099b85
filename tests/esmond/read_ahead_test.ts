// readSeries with read-ahead and pages sized by bytes must yield exactly the points of plain
// paging (runs of equal timestamps across page ends included), and stop early cleanly.
import { assert, assertEquals } from "../harness/mod.ts";
import { ApiFilters, EsmondSource } from "../../lib/esmond/mod.ts";

// 2,500 points; every 7th second holds a run of 30 points at one timestamp.
const POINTS: Array<{ ts: number; val: number }> = [];
for (let ts = 1000; POINTS.length < 2500; ts++) {
  for (let k = 0; k < (ts % 7 === 0 ? 30 : 1); k++) POINTS.push({ ts, val: POINTS.length });
}

function serve() {
  const limits: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const q = new URL(req.url).searchParams;
    const start = Number(q.get("time-start") ?? 0);
    const end = Number(q.get("time-end") ?? Infinity);
    const limit = Number(q.get("limit"));
    limits.push(limit);
    const offset = Number(q.get("offset") ?? 0);
    const page = POINTS.filter((p) => p.ts >= start && p.ts <= end).slice(offset, offset + limit);
    return Response.json(page);
  });
  return { server, limits, url: `http://127.0.0.1:${server.addr.port}` };
}

const ref = {
  metadataKey: "k",
  uri: "/esmond/perfsonar/archive/k/throughput/base",
  eventType: "throughput",
  summaryType: "base",
  summaryWindow: "0",
};
const filters = new ApiFilters({ timeStart: 0, timeEnd: 10_000_000 });

async function read(
  url: string,
  options: { readAhead?: boolean; pageBytes?: number; pageSize?: number },
) {
  const source = new EsmondSource({ url, dataPageSize: 400 });
  const vals: unknown[] = [];
  try {
    for await (const page of source.readSeries(ref, filters, options)) {
      for (const p of page) vals.push(p.val);
    }
  } finally {
    source.close();
  }
  return vals;
}

Deno.test("read-ahead and byte-sized pages yield every point once, in order", async () => {
  const { server, limits, url } = serve();
  try {
    const expected = POINTS.map((p) => p.val);
    assertEquals(await read(url, {}), expected);
    assertEquals(await read(url, { readAhead: true }), expected);
    limits.length = 0;
    assertEquals(await read(url, { readAhead: true, pageBytes: 4000 }), expected);
    // The first page asks for at most 1,000 points (here the 400 cap), the later ones for
    // what fits in 4,000 bytes at ~21 bytes a point.
    assertEquals(limits[0], 400);
    assert(limits.slice(1).every((l) => l === limits[1] && l < 250 && l >= 150), `${limits}`);
    assertEquals(await read(url, { pageBytes: 4000 }), expected);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a reader that stops early leaves no request behind", async () => {
  const { server, url } = serve();
  try {
    const source = new EsmondSource({ url, dataPageSize: 100 });
    let pages = 0;
    for await (const _ of source.readSeries(ref, filters, { readAhead: true })) {
      if (++pages === 2) break;
    }
    source.close();
    assertEquals(pages, 2);
  } finally {
    await server.shutdown();
  }
});
