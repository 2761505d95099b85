import { assertEquals, assertRejects, tempDir } from "../harness/mod.ts";
import {
  listSpool,
  readSpool,
  removeSpool,
  SPOOL_FORMAT,
  SpoolFileError,
  writeSpool,
} from "../../cli/pipe/spool.ts";
import type { PipePayload } from "../../cli/pipe/types.ts";

function payload(ts: number): PipePayload {
  return {
    metadata: {
      subjectType: "point-to-point",
      source: "10.0.0.1",
      destination: "10.0.0.2",
      toolName: "bwctl/iperf3",
      measurementAgent: "10.0.0.1",
      inputSource: "a.example.net",
      inputDestination: "b.example.net",
      timeDuration: 10,
      freeform: { "bw-parallel-streams": 1 },
    },
    eventTypes: ["throughput"],
    ts,
    values: [{ eventType: "throughput", val: 123 }],
  };
}

Deno.test("spool: files round-trip, list oldest measurement first, leave no temp files", async () => {
  await using dir = await tempDir();
  const spool = `${dir.path}/nested/spool`;
  const later = await writeSpool(spool, payload(2000000000));
  const earlier = await writeSpool(spool, payload(999));
  assertEquals(await listSpool(spool), [earlier, later]);
  assertEquals([...Deno.readDirSync(spool)].length, 2);
  assertEquals((await readSpool(earlier)).payload, payload(999));
  assertEquals((Deno.statSync(later).mode ?? 0) & 0o777, 0o600);
  await removeSpool(earlier);
  assertEquals(await listSpool(spool), [later]);
});

Deno.test("spool: foreign, broken and incomplete files are refused by name", async () => {
  await using dir = await tempDir();
  const write = (name: string, text: string) => {
    Deno.writeTextFileSync(`${dir.path}/${name}`, text);
    return `${dir.path}/${name}`;
  };
  const broken = write("a.json", '{"format": "esmond-ps-pipe-spool/1", "payload": {');
  const foreign = write("b.json", '{"data": []}');
  const incomplete = write("c.json", JSON.stringify({ format: SPOOL_FORMAT, payload: {} }));
  write("notes.txt", "ignored");
  assertEquals(await listSpool(dir.path), [broken, foreign, incomplete]);
  for (const path of [broken, foreign, incomplete]) {
    await assertRejects(
      () => readSpool(path),
      (error: Error) => error instanceof SpoolFileError && error.message.includes(path),
    );
  }
});
