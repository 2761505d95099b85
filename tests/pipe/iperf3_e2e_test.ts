/**
 * A real measurement: Debian's `iperf3` server and client on loopback for about a second, the
 * client's `-J` output piped into `esmond-ps-pipe`, the result read back from the real archive.
 */
import { assert, assertEquals, freePort, requirePrograms, runTool } from "../harness/mod.ts";
import { startArchive } from "../archive_server.ts";
import { PyFloat } from "../../lib/esmond/mod.ts";
import { storedState } from "./archive_state.ts";

const decoder = new TextDecoder();

function oneShotServer(port: number): Deno.ChildProcess {
  return new Deno.Command("iperf3", {
    args: ["-s", "-1", "-B", "127.0.0.1", "-p", String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function stopServer(server: Deno.ChildProcess): Promise<void> {
  try {
    server.kill("SIGTERM");
  } catch {
    // the one-shot server already exited
  }
  await server.status;
}

function num(value: unknown): number {
  return value instanceof PyFloat ? value.value : value as number;
}

/** Runs the client until the one-shot server accepts it (it may still be starting). */
async function measure(port: number, bind: string, extra: string[]): Promise<Uint8Array> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const output = await new Deno.Command("iperf3", {
      args: ["-c", "127.0.0.1", "-B", bind, "-J", "-p", String(port), ...extra],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const json = JSON.parse(decoder.decode(output.stdout));
    if (json.error === undefined) return output.stdout;
    if (!String(json.error).includes("unable to connect")) throw new Error(json.error);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("iperf3 server never accepted the client");
}

/** Runs esmond-ps-pipe on plain iperf3 JSON with the endpoints given on the command line. */
function pipeInto(
  archive: { url: string; token: string },
  output: Uint8Array,
  inputDestination: string,
) {
  return runTool("esmond-ps-pipe", [
    "-U",
    `${archive.url}/esmond`,
    "-u",
    "pipe",
    "-k",
    archive.token,
    "--input-source",
    "127.0.0.1",
    "--input-destination",
    inputDestination,
  ], { stdin: output });
}

Deno.test(requirePrograms(["iperf3"], {
  name: "esmond-ps-pipe: a real iperf3 -J run (2 streams, 1 s) is stored",
  async fn() {
    const port = freePort();
    const server = oneShotServer(port);
    try {
      const output = await measure(port, "127.0.0.1", ["-t", "1", "-i", "0.5", "-P", "2", "-Z"]);
      const raw = JSON.parse(decoder.decode(output));
      await using archive = await startArchive({ tokenUser: "pipe" });
      const result = await pipeInto(archive, output, "127.0.0.1");
      assertEquals(result.code, 0, result.stderr);
      const stored = await storedState(archive.url);
      assertEquals(stored.length, 1);
      const md = stored[0];
      assertEquals(md.raw["tool-name"], "iperf3");
      assertEquals(md.raw["measurement-agent"], "127.0.0.1");
      assertEquals(md.raw["bw-parallel-streams"], "2");
      const ts = raw.start.timestamp.timesecs;
      const [[throughputTs, throughput]] = md.points["throughput"];
      assertEquals(throughputTs, ts);
      assertEquals(num(throughput), Math.trunc(raw.end.sum_received.bits_per_second));
      assert(num(throughput) > 0);
      const intervals = raw.intervals.filter((i: { sum: { omitted: boolean } }) => !i.sum.omitted);
      const [[, perStream]] = md.points["streams-throughput-subintervals"] as [number, unknown][];
      assertEquals((perStream as unknown[]).length, 2);
      for (const [index, list] of (perStream as { val: unknown }[][]).entries()) {
        assertEquals(list.length, intervals.length);
        list.forEach((item, i) => {
          assertEquals(num(item.val), intervals[i].streams[index].bits_per_second);
        });
      }
      assertEquals(md.points["packet-retransmits"][0][1] !== null, true);
    } finally {
      await stopServer(server);
    }
  },
}));

Deno.test(requirePrograms(["iperf3"], {
  name: "esmond-ps-pipe: a real iperf3 -R run stores the server (the sender) as source",
  async fn() {
    const port = freePort();
    const server = oneShotServer(port);
    try {
      // Client on 127.0.0.2, server on 127.0.0.1: with -R the server sends.
      const output = await measure(port, "127.0.0.2", ["-t", "1", "-R", "-Z"]);
      const raw = JSON.parse(decoder.decode(output));
      assertEquals(raw.start.connected[0].local_host, "127.0.0.2");
      await using archive = await startArchive({ tokenUser: "pipe" });
      const result = await pipeInto(archive, output, "127.0.0.2");
      assertEquals(result.code, 0, result.stderr);
      const [md] = await storedState(archive.url);
      assertEquals([md.raw["source"], md.raw["destination"]], ["127.0.0.1", "127.0.0.2"]);
      assertEquals(md.raw["measurement-agent"], "127.0.0.1");
      assertEquals(
        num(md.points["throughput"][0][1]),
        Math.trunc(raw.end.sum_received.bits_per_second),
      );
    } finally {
      await stopServer(server);
    }
  },
}));
