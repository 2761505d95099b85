/**
 * The esmond REST contract shared by the archive's backends (issue 15): one data set written
 * through the esmond write API as legacy writers post it (metadata `POST`, data `PUT`), then
 * every read route and every filter the archive tests use (`tests/archive/fixtures_read_test`,
 * `auth_paging_test`, `write_read_test`, `write_api_test`), asked of a backend under test and
 * of the SQLite archive (the reference): same status, same `content-type`, `link`, `location`
 * and `allow`, and the same bytes.
 *
 * Deliberate differences, normalised before comparing (docs/esmond-ps-archive-opensearch.md):
 * - metadata keys: the SQLite archive draws a random key per metadata, the OpenSearch backend
 *   derives it from esmond's checksum; each `POST` answers its key on both, and the reference's
 *   keys are replaced by the other's;
 * - `time-updated`: the SQLite archive stamps the write time, the OpenSearch backend the newest
 *   run's time; the values are replaced by `T`. The metadata filters by time (`time`,
 *   `time-start`, `time-end`, `time-range`) judge that field, so they are compared with windows
 *   where both agree (everything, nothing) and asked of the OpenSearch backend alone with its
 *   run times ({@linkcode assertGolden});
 * - metadata order: both list metadata ordered by key, and the keys differ; a listing is
 *   compared as a set (objects by key, the paging fields of its first object apart), and a page
 *   of it (`limit`/`offset`) by its size and paging fields;
 * - histogram bucket names: a run document holds buckets as numbers, so a name is rebuilt with
 *   the decimals of the most precise bucket of the run (`"20.10"` next to `"20.05"` stays, a
 *   run whose buckets are all `"20.x0"` comes back `"20.x"`); the data set names buckets as
 *   pScheduler's tools do, with the decimals they need.
 *
 * @module
 */
import { assert, assertEquals } from "../harness/mod.ts";
import { type ContractBackend, DATASET, T0 } from "./dataset.ts";

const END = T0 + 10 * 86400;

/**
 * Every read request of the contract for the metadata `keys` (of the reference), relative to
 * the archive root: the metadata list with each filter and paging parameter the archive tests
 * use, each metadata's detail, event-type and summary listings, each series (base and every
 * summary) whole, paged and windowed, and the error answers.
 */
export async function readRequests(
  reference: ContractBackend,
  keys: readonly string[],
): Promise<string[]> {
  const list = [
    "",
    "?format=json",
    "?limit=2",
    "?limit=2&offset=2",
    "?limit=2&offset=4",
    "?offset=99",
    "?event-type=packet-trace",
    "?event-type=throughput&summary-type=average",
    "?event-type=throughput&summary-type=average&summary-window=86400",
    "?summary-type=aggregation&summary-window=3600",
    "?summary-type=statistics",
    "?summary-window=x",
    "?source=10.0.0.1",
    "?source=2001:db8::1",
    "?source=2001:0db8:0000:0000:0000:0000:0000:0001",
    "?destination=10.0.0.3",
    "?source=10.0.0.1&destination=10.0.0.2&event-type=throughput",
    "?measurement-agent=10.0.0.9",
    "?tool-name=bwctl/tracepath,traceroute",
    "?tool-name=pscheduler/powstream",
    "?input-source=ntp.example.net",
    "?input-destination=10-0-0-5.example.net",
    "?subject-type=network-element",
    "?subject-type=network-element&source=10.0.0.9",
    "?subject-type=point-to-point&limit=3",
    "?ip-transport-protocol=tcp&bw-parallel-streams=2",
    "?bw-parallel-streams=2",
    "?time-duration=60",
    "?no-such-parameter=1",
    `?metadata-key=${keys[0]}`,
    "?time-start=0",
    `?time-end=${T0 - 86400}`,
    "?time-start=10&time-end=5",
    "?time=1.5",
    "?dns-match-rule=v6-only",
    "?source=10.0.0.1&dns-match-rule=only-v6",
    "?source=localhost&dns-match-rule=only-v4",
    "?source=no-such-host.invalid",
    "?limit=x",
    "?limit=10001",
  ];
  const paths = [...list];
  const window = `time-start=${T0 - 60}&time-end=${END}`;
  for (const key of keys) {
    const md = await (await fetch(`${reference.archiveUrl}${key}/`)).json();
    paths.push(`${key}/`, key, `${key}/no-such/`, `${key}/packet-loss-rate/`);
    for (const e of md["event-types"] as Record<string, unknown>[]) {
      const name = e["event-type"];
      paths.push(`${key}/${name}/`, `${key}/${name}`, `${key}/${name}/base`);
      paths.push(`${key}/${name}/base?${window}`, `${key}/${name}/base?${window}&limit=1000`);
      paths.push(`${key}/${name}/base?${window}&limit=7&offset=3`);
      paths.push(`${key}/${name}/base?time-start=${T0 + 3600}&time-end=${T0 + 7200}`);
      paths.push(`${key}/${name}/base?time-end=${T0 + 7200}&time-range=3600`);
      paths.push(`${key}/${name}/base?time=${T0 + 3}`, `${key}/${name}/base?time-range=60`);
      paths.push(`${key}/${name}/aggregations/`, `${key}/${name}/medians/`);
      for (const s of e.summaries as Record<string, string>[]) {
        const tail = s.uri.split(`${key}/`)[1];
        paths.push(`${key}/${tail}`, `${key}/${tail.replace(/\/\d+$/, "/")}`);
        paths.push(`${key}/${tail}?${window}`, `${key}/${tail}?${window}&limit=2&offset=1`);
      }
    }
  }
  paths.push(
    `${keys[0]}/bogus/base`,
    `${keys[0]}/throughput/averages/x`,
    `${keys[0]}/throughput/averages/3600`,
    `${keys[0]}/throughput/base?time=1.5`,
    "nosuchkey/",
    "nosuchkey/throughput/",
    "nosuchkey/throughput/base",
    "0123456789abcdef0123456789abcdef/",
  );
  return paths;
}

/** Replaces reference keys by the backend's and every `time-updated` value by `"T"`. */
export function normaliser(rename: ReadonlyMap<string, string>): (text: string) => string {
  return (text) => {
    for (const [a, b] of rename) text = text.replaceAll(a, b);
    return text.replaceAll(/"time-updated":\d+/g, '"time-updated":"T"');
  };
}

const HEADERS = ["content-type", "link", "location", "allow"];

const isListing = (path: string) => path === "" || path.startsWith("?");
const PAGING = ["metadata-count-total", "metadata-previous-page", "metadata-next-page"];

// A metadata listing in a form that does not depend on key order (see the module doc).
function listingForm(text: string, path: string): string {
  const list = JSON.parse(text) as Record<string, unknown>[];
  const paging = PAGING.map((k) => [k, list[0]?.[k]]);
  for (const md of list) for (const k of PAGING) delete md[k];
  const paged = /[?&](limit|offset)=/.test(path);
  const objects = paged
    ? list.length
    : list.map((md) => JSON.stringify(md)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify({ paging, objects });
}

/**
 * Asks `paths` (plus `HEAD` and `OPTIONS` of a few) of both backends and asserts the same
 * answers after {@linkcode normaliser} (and `also`, a caller's own normalisation); returns
 * how many answers held data.
 */
export async function assertSameAnswers(
  reference: ContractBackend,
  backend: ContractBackend,
  rename: ReadonlyMap<string, string>,
  paths: readonly string[],
  also: (text: string) => string = (text) => text,
): Promise<number> {
  const rekey = normaliser(rename);
  const normal = (text: string) => also(rekey(text));
  const differences: string[] = [];
  let withData = 0;
  const requests: [string, string][] = paths.map((p) => ["GET", p]);
  for (const p of paths.slice(0, 3)) requests.push(["HEAD", p], ["OPTIONS", p]);
  requests.push(["DELETE", `${[...rename.keys()][0]}/`]);
  for (const [method, path] of requests) {
    const a = await fetch(`${reference.archiveUrl}${path}`, { method, redirect: "manual" });
    const b = await fetch(`${backend.archiveUrl}${rekey(path)}`, { method, redirect: "manual" });
    const ta = await a.text();
    let tb = normal(await b.text());
    let want = normal(ta.replaceAll(reference.archiveUrl, backend.archiveUrl));
    if (isListing(path) && a.status === 200 && b.status === 200 && method === "GET") {
      [want, tb] = [listingForm(want, path), listingForm(tb, path)];
    }
    if (a.status !== b.status || tb !== want) {
      differences.push(
        `${method} ${path}\n  ${backend.name}: ${b.status} ${
          tb.slice(0, 300)
        }\n  reference: ${a.status} ${want.slice(0, 300)}`,
      );
      continue;
    }
    for (const h of HEADERS) {
      const ha = a.headers.get(h);
      const hb = b.headers.get(h) && normal(b.headers.get(h)!);
      const expected = ha === null
        ? null
        : normal(ha.replaceAll(reference.archiveUrl, backend.archiveUrl));
      if (hb !== expected) differences.push(`${method} ${path}: ${h} ${hb} ≠ ${expected}`);
    }
    if (a.status === 200 && ta.length > 2) withData++;
  }
  assertEquals(differences, [], `${differences.length} of ${requests.length} answers differ`);
  return withData;
}

/**
 * The absolute part of the contract, asked of one backend alone: what the archive tests assert
 * about the data a legacy writer posted (values rendered as esmond renders them, paging and
 * its links, summaries, failures, error texts).
 */
export async function assertGolden(
  backend: ContractBackend,
  keys: readonly string[],
  updated: "written" | "run",
): Promise<void> {
  const get = async (path: string) => {
    const r = await fetch(`${backend.archiveUrl}${path}`);
    return { status: r.status, headers: r.headers, text: await r.text() };
  };
  const [tput, , owamp, ntpKey, traceKey] = keys;
  const window = `time-start=${T0 - 60}&time-end=${END}`;
  // Integer types are served as floats, as esmond does; the posted values come back.
  const base = JSON.parse((await get(`${tput}/throughput/base?${window}`)).text);
  const posted = DATASET[0].data.map((d) => ({ ts: d.ts, val: d.val[0].val }));
  assertEquals(base, posted, backend.name);
  assert(/^\[\{"ts":\d+,"val":\d+\.0\}/.test((await get(`${tput}/throughput/base`)).text));
  const failures = JSON.parse((await get(`${tput}/failures/base?${window}`)).text);
  assertEquals(failures, [{ ts: T0 + 5 * 3600 + 17, val: { error: "iperf3 timed out" } }]);
  // Floats keep esmond's 4 decimals, truncated as int(v × 10000) does in binary: 0.0003 →
  // 0.0002, 0.00031 → 0.0003, 0.0029 → 0.0028.
  const clock = JSON.parse(
    (await get(`${owamp}/time-error-estimates/base?${window}&limit=4`)).text,
  );
  assertEquals(clock.map((p: { val: number }) => p.val), [0.0002, 0.0003, 0.0007, 0.0028]);
  // Paging: a default page of 1500 points with a Link to the next, limit/offset continue it.
  const first = await get(`${ntpKey}/ntp-offset/base?${window}`);
  assertEquals(JSON.parse(first.text).length, 1500);
  assertEquals(
    first.headers.get("link"),
    `<${backend.archiveUrl}${ntpKey}/ntp-offset/base?limit=1500&offset=1500&time-end=${END}&time-start=${
      T0 - 60
    }>; rel="next"`,
  );
  const rest = JSON.parse(
    (await get(`${ntpKey}/ntp-offset/base?${window}&limit=1500&offset=1500`)).text,
  );
  assertEquals(rest.length, 500);
  assertEquals(rest.at(-1), { ts: T0 + 1999 * 10, val: ((1999 % 40) - 20) / 1000 });
  const listed = JSON.parse((await get("?subject-type=network-element&source=10.0.0.9")).text);
  assertEquals(listed.map((m: Record<string, unknown>) => m["metadata-key"]), [ntpKey]);
  const hops = JSON.parse((await get(`${traceKey}/packet-trace/base?time=${T0 + 30}`)).text);
  assertEquals(hops[0].val.length, 3);
  const detail = JSON.parse((await get(`${tput}/`)).text);
  assertEquals(
    [detail["bw-parallel-streams"], detail["time-duration"], detail["tool-name"]],
    ["2", "20", "bwctl/iperf3"],
  );
  // A metadata's time filter judges its time-updated: the write time over SQLite (all six were
  // written just now), the newest run's time over OpenSearch (only the long throughput series
  // ran after T0 + 100000).
  const recent = JSON.parse((await get(`?time-start=${T0 + 100_000}`)).text);
  assertEquals(
    recent.map((m: Record<string, unknown>) => m["metadata-key"]).sort(),
    updated === "written" ? [...keys].sort() : [tput],
  );
  // Each event type has its own time: the long series' failures were last written at T0 + 18017.
  const old = JSON.parse((await get(`?time-start=0&time-end=${T0 + 100_000}`)).text);
  assertEquals(old.length, updated === "written" ? 0 : 6);
  assertEquals(await get("nosuchkey/").then((r) => [r.status, r.text]), [
    404,
    '{"detail":"Not found."}',
  ]);
}

/** A write request: method, path under the root, body text, content type, with a token. */
type WriteCase = [string, string, string, string?, boolean?];

/**
 * The refused writes of the archive tests (`write_api_test`): malformed bodies and values,
 * invalid metadata, a wrong content type, no token, an unknown key. Nothing of them is
 * stored, so they may be asked after the reads.
 */
export function refusedWrites(key: string): WriteCase[] {
  const base = `${key}/packet-count-sent/base`;
  const json = (v: unknown) => JSON.stringify(v);
  const subject = {
    "subject-type": "point-to-point",
    source: "10.0.0.1",
    destination: "10.0.0.2",
    "measurement-agent": "10.0.0.1",
    "tool-name": "x",
    "input-source": "a",
    "input-destination": "b",
  };
  const md = (eventTypes: unknown) => json({ ...subject, "event-types": eventTypes });
  return [
    ["POST", base, ""],
    ["POST", base, "{not json"],
    ["POST", base, json({ val: 1 })],
    ["POST", base, json({ ts: "yesterday", val: 1 })],
    ["POST", base, json({ ts: T0 })],
    ["POST", `${key}/nonsense/base`, json({ ts: T0, val: 1 })],
    ["POST", `${key}/packet-count-sent/averages`, json({ ts: T0, val: 1 })],
    ["POST", `${key}/packet-loss-rate/base`, json({ ts: T0, val: { numerator: 1 } })],
    ["POST", `${key}/packet-count-sent/base`, json({ ts: T0, val: "x" })],
    ["PUT", `${key}/`, json({ nodata: [] })],
    ["PUT", `${key}/`, json({ data: {} })],
    ["PUT", `${key}/`, json({ data: [{ val: [] }] })],
    ["PUT", `${key}/`, json({ data: [{ ts: 1, val: 3 }] })],
    ["PUT", `${key}/`, json({ data: [{ ts: 1, val: [{ val: 3 }] }] })],
    ["POST", "", json({ "subject-type": "point-to-point" })],
    ["POST", "", json({ "event-types": [] })],
    ["POST", "", json({ "subject-type": "bogus", "event-types": [] })],
    ["POST", "", json({ "subject-type": "point-to-point", "event-types": {} })],
    [
      "POST",
      "",
      json({ "subject-type": "point-to-point", "metadata-key": "x", "event-types": [] }),
    ],
    ["POST", "", md([{ summaries: [] }])],
    ["POST", "", md([{ "event-type": "nope" }])],
    ["POST", "", md([{ "event-type": "throughput", summaries: [{ "summary-window": 1 }] }])],
    ["POST", "", md([{ "event-type": "throughput", summaries: [{ "summary-type": "median" }] }])],
    [
      "POST",
      "",
      md([{
        "event-type": "throughput",
        summaries: [{ "summary-type": "statistics", "summary-window": 1 }],
      }]),
    ],
    ["POST", "", md([{ "event-type": "throughput", summaries: [{ "summary-type": "average" }] }])],
    ["POST", base, json({ ts: T0, val: 1 }), "text/plain"],
    ["POST", "0123456789abcdef/throughput/base", json({ ts: 1, val: 1 })],
    ["PUT", "0123456789abcdef0123456789abcdef/", json({ data: [] })],
    ["POST", base, json({ ts: T0, val: 1 }), undefined, false],
    ["POST", "", md([{ "event-type": "throughput" }]), undefined, false],
  ];
}

/** Sends `cases` to both backends; asserts the same status and body on each. */
export async function assertSameWriteAnswers(
  reference: ContractBackend,
  backend: ContractBackend,
  rename: ReadonlyMap<string, string>,
  cases: readonly WriteCase[],
): Promise<void> {
  const normal = normaliser(rename);
  const differences: string[] = [];
  for (const [method, path, body, type, withToken] of cases) {
    const ask = async (b: ContractBackend, p: string) => {
      const headers: Record<string, string> = { "content-type": type ?? "application/json" };
      if (withToken !== false) headers.authorization = `Token ${b.token}`;
      const r = await fetch(`${b.archiveUrl}${p}`, { method, headers, body });
      return `${r.status} ${await r.text()}`;
    };
    const want = normal(await ask(reference, path));
    const got = await ask(backend, normal(path));
    if (got !== want) differences.push(`${method} ${path} ${body.slice(0, 80)}: ${got} ≠ ${want}`);
  }
  assertEquals(differences, []);
}
