/**
 * Fault injection the real archive cannot produce on demand: the archive failing in the middle
 * of a run. An in-process recorder stands in for it here only; the real-archive behaviour is in
 * `load_archive_test.ts`.
 */
import { assert, assertEquals, tempDir } from "../harness/mod.ts";
import { type ArchiveClient, TransferWriter } from "../../cli/gridftp/archive_writer.ts";
import { runLoader, type RunLoaderOptions } from "../../cli/gridftp/loader.ts";
import { createHostResolver } from "../../cli/gridftp/resolver.ts";
import { metadataBody } from "../../cli/gridftp/transfer.ts";
import { readState } from "../../cli/gridftp/state.ts";

/** Stores like the archive does (409 on a numeric duplicate) and can be told to go down. */
class Recorder implements ArchiveClient {
  keys = new Map<string, string>();
  points = new Map<string, unknown>();
  calls = 0;
  failAfter = Infinity;
  #check() {
    if (++this.calls > this.failAfter) {
      throw Object.assign(new Error("connection refused"), { status: 0 });
    }
  }
  postMetadata(metadata: Parameters<ArchiveClient["postMetadata"]>[0]) {
    this.#check();
    const body = JSON.stringify(metadataBody(metadata));
    if (!this.keys.has(body)) this.keys.set(body, `k${this.keys.size}`);
    return Promise.resolve(this.keys.get(body)!);
  }
  putBulk(key: string, points: Parameters<ArchiveClient["putBulk"]>[1]) {
    this.#check();
    for (const point of points) {
      for (const value of point.values) this.#store(key, value.eventType, point.ts, value.val);
    }
    return Promise.resolve();
  }
  postValue(key: string, eventType: string, ts: number, val: unknown) {
    this.#check();
    this.#store(key, eventType, ts, val);
    return Promise.resolve();
  }
  #store(key: string, eventType: string, ts: number, val: unknown) {
    const id = `${key}|${eventType}|${ts}`;
    if (eventType === "throughput" && this.points.has(id)) {
      throw Object.assign(new Error("409 already exists"), { status: 409 });
    }
    this.points.set(id, val);
  }
}

function logLine(n: number): string {
  const second = String(n % 60).padStart(2, "0");
  const minute = String(Math.floor(n / 60) % 60).padStart(2, "0");
  return `DATE=202611241${Math.floor(n / 3600) % 10}${minute}${second}.500000 HOST=localhost ` +
    `PROG=globus-gridftp-server NL.EVNT=FTP_INFO START=202611241${Math.floor(n / 3600) % 10}` +
    `${minute}${second}.000000 USER=u FILE=/f BUFFER=1 BLOCK=2 NBYTES=${1000 + n} VOLUME=/ ` +
    `STREAMS=1 STRIPES=1 DEST=[10.0.0.${n % 7}] TYPE=RETR CODE=226 TASKID=none\n`;
}

function options(
  dir: { join(...p: string[]): string },
  client: ArchiveClient,
  lines: string[],
): RunLoaderOptions {
  return {
    file: dir.join("log"),
    statePath: dir.join("state.json"),
    writeState: true,
    single: false,
    deleteState: false,
    json: false,
    sensitive: {},
    progress: false,
    verbose: 0,
    batchSize: 5,
    writer: new TransferWriter({ client }),
    resolver: createHostResolver(),
    log: { log: (event, message) => lines.push(`${event} ${message}`) },
  };
}

Deno.test("archive down mid-run: exit 1, state at the last stored batch, rerun completes once", async () => {
  await using dir = await tempDir();
  const text = Array.from({ length: 37 }, (_, i) => logLine(i)).join("");
  await Deno.writeTextFile(dir.join("log"), text);
  const recorder = new Recorder();
  recorder.failAfter = 13; // dies somewhere inside the third batch
  const lines: string[] = [];
  const first = await runLoader(options(dir, recorder, lines));
  assertEquals(first.exitCode, 1);
  assert(lines.some((l) => l.includes("abort processing")), lines.join("\n"));
  const saved = await readState(dir.join("state.json"));
  assert(saved.kind === "ok");
  // Every record before the saved offset is in the archive.
  const before = text.slice(0, saved.state.offset).split("\n").filter(Boolean).length;
  assertEquals(before % 5, 0);
  assert(recorder.points.size >= before * 2);

  recorder.failAfter = Infinity;
  const second = await runLoader(options(dir, recorder, []));
  assertEquals(second.exitCode, 0);
  assertEquals(recorder.keys.size, 37);
  assertEquals(recorder.points.size, 37 * 2);
  const done = await readState(dir.join("state.json"));
  assert(done.kind === "ok");
  assertEquals(done.state.offset, new TextEncoder().encode(text).length);
});

Deno.test("a batch re-sent after a lost acknowledgement is not stored twice", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(
    dir.join("log"),
    Array.from({ length: 8 }, (_, i) => logLine(i)).join(""),
  );
  const recorder = new Recorder();
  const first = await runLoader({ ...options(dir, recorder, []), writeState: false });
  assertEquals(first.stored, 8);
  // No state written: the rerun sends everything again and meets 409s.
  const second = await runLoader({ ...options(dir, recorder, []), writeState: false });
  assertEquals(second.exitCode, 0);
  assertEquals(second.duplicates, 8);
  assertEquals(recorder.points.size, 16);
});

Deno.test("an unterminated last line of a live log waits for the next run", async () => {
  await using dir = await tempDir();
  const whole = logLine(0) + logLine(1);
  await Deno.writeTextFile(dir.join("log"), whole + logLine(2).slice(0, 120));
  const recorder = new Recorder();
  const lines: string[] = [];
  const first = await runLoader(options(dir, recorder, lines));
  assertEquals([first.exitCode, first.stored], [0, 2]);
  assert(lines.some((l) => l.includes("has no newline yet")), lines.join("\n"));
  await Deno.writeTextFile(dir.join("log"), logLine(2).slice(120), { append: true });
  const second = await runLoader(options(dir, recorder, []));
  assertEquals([second.exitCode, second.stored, second.duplicates], [0, 1, 0]);
  assertEquals(recorder.points.size, 6);
  // A log nobody wrote to for a while is complete: its unterminated tail is stored.
  await Deno.writeTextFile(dir.join("log"), logLine(3).trimEnd(), { append: true });
  const old = new Date(Date.now() - 3_600_000);
  await Deno.utime(dir.join("log"), old, old);
  const third = await runLoader(options(dir, recorder, []));
  assertEquals(third.stored, 1);
});

Deno.test("a record the archive refuses for good (400) is logged and passed, not retried forever", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(dir.join("log"), [0, 1, 2].map(logLine).join(""));
  const recorder = new Recorder();
  const original = recorder.postMetadata.bind(recorder);
  recorder.postMetadata = (metadata) =>
    metadata.destination === "10.0.0.1"
      ? Promise.reject(Object.assign(new Error("Invalid event-type"), { status: 400 }))
      : original(metadata);
  const lines: string[] = [];
  const run = await runLoader({
    ...options(dir, recorder, lines),
    writer: new TransferWriter({
      client: recorder,
      events: { rejected: (post, why) => lines.push(`rejected ${post.ts} ${why}`) },
    }),
  });
  assertEquals([run.exitCode, run.stored], [0, 2]);
  assert(lines.some((l) => l.startsWith("rejected") && l.includes("Invalid event-type")));
  const saved = await readState(dir.join("state.json"));
  assert(saved.kind === "ok" && saved.state.line === 3);
});

Deno.test("a token without '=' is logged with its line number; the transfer is still stored", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(dir.join("log"), logLine(0).replace(" CODE=", " stray CODE="));
  const recorder = new Recorder();
  const lines: string[] = [];
  const run = await runLoader(options(dir, recorder, lines));
  assertEquals([run.exitCode, run.stored], [0, 1]);
  assert(
    lines.some((l) =>
      l === "scan_and_load_netlogger.warning line 1: token 'stray' is not KEY=VALUE; ignored"
    ),
    lines.join("\n"),
  );
});
