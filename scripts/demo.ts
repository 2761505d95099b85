/**
 * `deno task demo`: the main job on embedded defaults. Starts an embedded archive on a temporary
 * database, seeds it with demo measurements and tours the query tools against it, then decodes a
 * real XRootD monitoring capture with the collector's `--replay`.
 *
 * @module
 */
import { denoRunArgs, findTool, REPO_ROOT, TOOLS } from "./tools.ts";
import { testDataPath } from "../tests/harness/test_data.ts";

const decoder = new TextDecoder();

function header(text: string): void {
  console.log(`\n=== ${text} ===`);
}

async function run(
  name: string,
  args: string[],
  stdin?: Uint8Array,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool(name)!, args),
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin);
    await writer.close();
  }
  const output = await child.output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function shorten(text: string, lines = 24): string {
  const all = text.trimEnd().split("\n");
  if (all.length <= lines) return all.join("\n");
  return [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join("\n");
}

/** The command line as shown: secrets after -k/--key are never printed. */
function shown(args: string[]): string {
  return args.map((arg, i) => (args[i - 1] === "-k" || args[i - 1] === "--key" ? "…" : arg))
    .join(" ");
}

async function tour(name: string, args: string[]): Promise<void> {
  const tool = findTool(name)!;
  header(`${name} ${shown(args)}`);
  if (!(await exists(`${REPO_ROOT}/${tool.entry}`))) {
    console.log(`(skipped: ${tool.entry} is not in this build yet)`);
    return;
  }
  const result = await run(name, args);
  console.log(shorten(result.stdout));
  if (result.code !== 0) console.log(`(exit ${result.code}) ${shorten(result.stderr, 6)}`);
}

async function waitReady(url: string, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => (exited = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the archive did not start");
}

console.log("esmond perfSONAR client tools and xrootd-fstream-collector");
console.log("tools (run any with `deno task tool NAME --help`):");
for (const tool of TOOLS) console.log(`  ${tool.name.padEnd(26)} ${tool.summary}`);

const dir = await Deno.makeTempDir({ prefix: "esmond-demo-" });
const db = `${dir}/demo.sqlite`;
let server: Deno.ChildProcess | undefined;
try {
  header("esmond-ps-archive seed --demo");
  const seeded = await run("esmond-ps-archive", ["seed", "--demo", "--db", db]);
  if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  console.log(seeded.stderr.trim());

  const token = (await run("esmond-ps-archive", ["token", "add", "demo", "--db", db])).stdout
    .trim();
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  server = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(findTool("esmond-ps-archive")!, [
      "serve",
      "--db",
      db,
      "--port",
      String(port),
      "--quiet",
    ]),
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await waitReady(`${base}/esmond/perfsonar/archive/?limit=1`, server);
  console.log(`archive at ${base}/esmond/perfsonar/archive/`);

  // an absolute date: every date parser the tools may use reads this form
  const twoDaysAgo = new Date(Date.now() - 48 * 3600_000).toISOString().slice(0, 19).replace(
    "T",
    " ",
  );
  const lbl = "198.51.100.10";
  const chic = "203.0.113.20";
  await tour("esmond-ps-get-endpoints", ["--url", base, "--ip"]);
  await tour("esmond-ps-get-metadata", ["--url", base, "--src", lbl, "--dest", chic, "--ip"]);
  await tour("esmond-ps-get", ["--url", base, "-s", lbl, "-d", chic, "-e", "throughput", "--ip"]);
  await tour("esmond-ps-get", [
    "--url",
    base,
    "-s",
    lbl,
    "-d",
    chic,
    "-e",
    "histogram-owdelay",
    "-T",
    "statistics",
    "-W",
    "86400",
    "-S",
    twoDaysAgo,
    "--ip",
    "-o",
    "csv",
  ]);
  await tour("esmond-ps-get", ["--url", base, "-s", lbl, "-d", chic, "-e", "packet-trace", "--ip"]);
  await tour("esmond-ps-get-bulk", [
    "--url",
    base,
    "-s",
    lbl,
    "-t",
    "bwctl/iperf3",
    "-o",
    "json",
    "-D",
    dir,
    "--ip",
  ]);

  // The writers too, from the real inputs of `testdata/`.
  const gridftpLog = testDataPath("gridftp", "transfer.log");
  if (await exists(gridftpLog)) {
    await tour("esmond-ps-load-gridftp", [
      "-f",
      gridftpLog,
      "-p",
      `${dir}/gridftp.state`,
      "-U",
      `${base}/esmond`,
      "-u",
      "demo",
      "-k",
      token,
      "-P",
    ]);
    await tour("esmond-ps-get-endpoints", ["--url", base, "-t", "gridftp", "--ip"]);
  }
  const bwctl = testDataPath("pipe", "tcp-4streams.bwctl.txt");
  if (await exists(bwctl) && await exists(`${REPO_ROOT}/${findTool("esmond-ps-pipe")!.entry}`)) {
    header(`bwctl … |& esmond-ps-pipe --url ${base}/esmond --user demo --key …`);
    const piped = await run("esmond-ps-pipe", [
      "--url",
      `${base}/esmond`,
      "--user",
      "demo",
      "--key",
      token,
    ], await Deno.readFile(bwctl));
    console.log(`(exit ${piped.code}) ${shorten(piped.stderr, 6)}`);
    await tour("esmond-ps-get", [
      "--url",
      base,
      "-s",
      "127.0.0.1",
      "-d",
      "127.0.0.1",
      "-e",
      "throughput",
      "-t",
      "bwctl/iperf3",
      "--ip",
    ]);
  }

  header("the raw API: GET /esmond/perfsonar/archive/?tool-name=owamp/powstream&limit=1");
  const listing =
    await (await fetch(`${base}/esmond/perfsonar/archive/?tool-name=owamp/powstream&limit=1`))
      .json();
  const md = listing[0];
  console.log(
    `${md["metadata-count-total"]} owamp tests; first: ${md["input-source"]} → ${
      md["input-destination"]
    }, ` +
      `event types: ${
        md["event-types"].map((e: { "event-type": string }) => e["event-type"]).join(", ")
      }`,
  );
  const loss = await (await fetch(
    `${base}${
      md["event-types"].find((e: { "event-type": string }) =>
        e["event-type"] === "packet-loss-rate"
      )
        .summaries[1].uri
    }`,
  )).text();
  console.log(`packet-loss-rate daily aggregation: ${loss}`);

  const capture = testDataPath("xrootd", "read_single.ndjson");
  if (await exists(capture)) {
    header("xrootd-fstream-collector --replay read_single.ndjson (one xrdcp download)");
    const replay = await run("xrootd-fstream-collector", ["--replay", capture]);
    for (const line of replay.stdout.trim().split("\n").filter((l) => l !== "")) {
      const doc = JSON.parse(line);
      const fields = [
        "xrd_msg_type",
        "xrd_lfn",
        "xrd_user",
        "xrd_host",
        "xrd_XFR_read",
        "xrd_derived_duration",
        "xrd_derived_read_rate",
      ].filter((key) => doc[key] !== undefined).map((key) => `${key}=${JSON.stringify(doc[key])}`);
      console.log(fields.join(" "));
    }
    if (replay.code !== 0) console.log(`(exit ${replay.code}) ${shorten(replay.stderr, 6)}`);
  }
} finally {
  if (server) {
    server.kill("SIGTERM");
    await server.status;
  }
  await Deno.remove(dir, { recursive: true });
}
header("done: archive stopped, temporary database removed");
