/**
 * `deno task demo`: the main job on embedded defaults. Starts an embedded archive on a temporary
 * database, seeds it with demo measurements and tours the query tools against it, loads the real
 * GridFTP log and bwctl/iperf3 output of `testdata/` and reads them back, then decodes a real
 * XRootD monitoring capture with the collector's `--replay`. Every command it prints can be pasted
 * in a shell at the repository root (arguments quoted; the archive's key stands as `$ESMOND_KEY`).
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

/** One argument as a POSIX shell reads it back unchanged (single quotes when needed). */
function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The command line as shown, pasteable in a shell at the repository root: the tool run through
 * `deno task --quiet tool`, arguments quoted, paths inside the repository relative, and the key
 * after -k/--key never printed (`"$ESMOND_KEY"` stands for it).
 */
function shown(name: string, args: string[]): string {
  const words = args.map((arg, i) =>
    args[i - 1] === "-k" || args[i - 1] === "--key" ? '"$ESMOND_KEY"' : shownPath(arg)
  );
  return ["deno", "task", "--quiet", "tool", name, ...words].join(" ");
}

/** A path (or any argument) as shown: relative when inside the repository, quoted. */
function shownPath(arg: string): string {
  return shellQuote(arg.startsWith(`${REPO_ROOT}/`) ? arg.slice(REPO_ROOT.length + 1) : arg);
}

/** `YYYY-MM-DD HH:MM:SS` (UTC, as the query tools read it) of epoch seconds. */
function utcText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

async function tour(name: string, args: string[], stdinFile?: string): Promise<void> {
  const tool = findTool(name)!;
  const redirect = stdinFile === undefined ? "" : ` < ${shownPath(stdinFile)}`;
  header(`${shown(name, args)}${redirect}`);
  if (!(await exists(`${REPO_ROOT}/${tool.entry}`))) {
    console.log(`(skipped: ${tool.entry} is not in this build yet)`);
    return;
  }
  const result = await run(
    name,
    args,
    stdinFile === undefined ? undefined : await Deno.readFile(stdinFile),
  );
  if (result.stdout.trim() !== "") console.log(shorten(result.stdout));
  // The writers report on stderr (their program log): show its last lines, the summary.
  if (stdinFile !== undefined || result.stdout.trim() === "") {
    console.log(shorten(result.stderr.trimEnd().split("\n").slice(-3).join("\n"), 3));
  }
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
  header(shown("esmond-ps-archive", ["seed", "--demo", "--db", db]));
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
  console.log(`graphs page at ${base}/graphs/`);
  console.log(
    `(its write key is shown as "$ESMOND_KEY" below; one is made with ${
      shown("esmond-ps-archive", ["token", "add", "NAME", "--db", db])
    })`,
  );

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

  // The writers too, from the real inputs of `testdata/`, read back from the start of their data
  // (the window must also hold the metadata's time-updated, now, so it ends at the default, now).
  const gridftpLog = testDataPath("gridftp", "transfer.log");
  const firstDate = /DATE=(\d{4})(\d\d)(\d\d)/.exec(await Deno.readTextFile(gridftpLog))!;
  const gridftpDay = Date.UTC(+firstDate[1], +firstDate[2] - 1, +firstDate[3]) / 1000;
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
  ]);
  await tour("esmond-ps-get", [
    "--url",
    base,
    "-s",
    "127.0.0.1",
    "-d",
    "127.0.0.1",
    "-t",
    "gridftp",
    "-e",
    "throughput",
    "-S",
    utcText(gridftpDay),
    "--ip",
  ]);

  const bwctl = testDataPath("pipe", "tcp-4streams.bwctl.txt");
  // bwctl prints NTP times (seconds since 1900): the test started at `start_tool:`.
  const ntp = Number(/start_tool: (\d+)/.exec(await Deno.readTextFile(bwctl))![1]);
  const piped = ntp - 2_208_988_800;
  await tour(
    "esmond-ps-pipe",
    ["--url", `${base}/esmond`, "--user", "demo", "--key", token],
    bwctl,
  );
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
    "-S",
    utcText(piped - 3600),
    "--ip",
  ]);

  const rawUrl = `${base}/esmond/perfsonar/archive/?tool-name=owamp/powstream&limit=1`;
  header(`curl -s ${shellQuote(rawUrl)}   # the raw API`);
  const listing = await (await fetch(rawUrl)).json();
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
  header(`${shown("xrootd-fstream-collector", ["--replay", capture])}   # one xrdcp download`);
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
  // On a terminal the archive stays up for the graphs page until Ctrl-C.
  if (Deno.stdin.isTerminal() && Deno.stdout.isTerminal()) {
    header(`graphs page at ${base}/graphs/ — press Ctrl-C to stop the archive`);
    await new Promise((resolve) => Deno.addSignalListener("SIGINT", () => resolve(undefined)));
  }
} finally {
  if (server) {
    try {
      server.kill("SIGTERM");
    } catch {
      // already stopped: Ctrl-C reached it too
    }
    await server.status;
  }
  await Deno.remove(dir, { recursive: true });
}
header("done: archive stopped, temporary database removed");
