/**
 * Benchmark of `esmond-ps-pipe` on a large result: a generated 60 s, 8-stream iperf3 TCP run with
 * 1 s intervals, wrapped as bwctl prints it. Measures (1) extract + map in process, (2) the post
 * through the client library to the real embedded archive, (3) the whole CLI run as a
 * subprocess (`--file`), which includes Deno start-up. Prints medians on stdout.
 *
 * `deno run -A --frozen scripts/bench_pipe.ts [runs]`
 *
 * @module
 */
import { generateBwctlText } from "../tests/pipe/generate_iperf3.ts";
import { extractInput } from "../cli/pipe/extract.ts";
import { mapIperf3 } from "../cli/pipe/iperf3_map.ts";
import { postPayload } from "../cli/pipe/post.ts";
import { startArchive } from "../tests/archive_server.ts";
import { runTool, tempDir } from "../tests/harness/mod.ts";
import { setupLogging } from "../lib/log/mod.ts";

const RUNS = Number(Deno.args[0] ?? 5);
const SIZE = { seconds: 60, streams: 8 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function parse(text: string) {
  const extracted = extractInput(text, {});
  if (!extracted.ok) throw new Error(extracted.errors.join("; "));
  return mapIperf3(extracted.json, {
    toolName: extracted.toolName,
    inputSource: extracted.inputSource,
    inputDestination: extracted.inputDestination,
    measurementAgent: "127.0.0.1",
    fallbackTs: 0,
  });
}

await setupLogging({ quiet: true });
const base = 1795540650;
const texts = Array.from(
  { length: RUNS * 2 + 1 },
  (_, i) => generateBwctlText({ ...SIZE, timesecs: base + i * 100 }),
);
console.log(`input: ${SIZE.seconds} s x ${SIZE.streams} streams, ${texts[0].length} bytes`);

parse(texts[0]); // warm-up
const parseMs: number[] = [];
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  parse(texts[0]);
  parseMs.push(performance.now() - t0);
}
console.log(`extract+map (in process): median ${median(parseMs).toFixed(2)} ms over 20`);

{
  await using archive = await startArchive({ tokenUser: "bench" });
  const client = { url: archive.url, apiKey: archive.token, username: "bench" };
  const postMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await postPayload(parse(texts[i + 1]), client);
    postMs.push(performance.now() - t0);
  }
  console.log(`parse+post via library: median ${median(postMs).toFixed(1)} ms over ${RUNS}`);

  await using dir = await tempDir();
  const cliMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const file = `${dir.path}/run${i}.txt`;
    await Deno.writeTextFile(file, texts[RUNS + 1 + i]);
    const t0 = performance.now();
    const result = await runTool("esmond-ps-pipe", [
      "-U",
      `${archive.url}/esmond`,
      "-u",
      "bench",
      "-k",
      archive.token,
      "--file",
      file,
      "-q",
    ]);
    cliMs.push(performance.now() - t0);
    if (result.code !== 0) throw new Error(result.stderr);
  }
  console.log(
    `whole CLI run (subprocess, incl. Deno start-up): median ${
      median(cliMs).toFixed(0)
    } ms over ${RUNS}`,
  );
}
