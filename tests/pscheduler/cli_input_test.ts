// pscheduler-doc on files that hold no usable body: exit 1 and one line naming the problem
// (in-process, with the command's injected I/O; cli_test.ts runs the real tool).
import { assertEquals, assertMatch } from "../harness/assert.ts";
import { pschedulerDoc } from "../../cli/pscheduler/doc_command.ts";
import { runBody } from "./run_body.ts";

async function run(
  text: string,
  args: string[] = [],
): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await pschedulerDoc(["--offline", ...args, "body.json"], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: () => Promise.resolve(text),
  });
  return { status, out, err };
}

const GOOD = JSON.stringify(
  runBody({
    type: "dns",
    spec: { query: "example.net", record: "a" },
    tool: "dnspy",
    result: { succeeded: true, time: "PT0.02S", record: [{ address: "192.0.2.7" }] },
  }),
);

Deno.test("pscheduler-doc: empty, non-JSON and non-object files give exit 1 and one line", async () => {
  const cases: [string, RegExp][] = [
    ["", /body\.json: the file is empty/],
    [" \n", /the file is empty/],
    ['{"test": {"type": "rtt"', /body\.json: not JSON/],
    [`${GOOD} ${GOOD}`, /not JSON/],
    ["null", /the body is null, not a JSON object/],
    ["5", /the body is a number, not a JSON object/],
    ['"x"', /the body is a string, not a JSON object/],
    ["true", /the body is a boolean, not a JSON object/],
    ["[]", /an empty JSON array holds no run/],
    [`[${GOOD}, 5]`, /element 2 of 2: the body is a number/],
    [`[[${GOOD}]]`, /element 1 of 1: the body is a list/],
    ['{"result": {}}', /no test\.type/],
    ['{"test": {"type": "Rtt"}}', /pscheduler_Rtt must be lowercase/],
  ];
  for (const esmond of [[], ["--esmond"]]) {
    for (const [text, reason] of cases) {
      if (esmond.length > 0 && /test|lowercase/.test(reason.source)) continue;
      const r = await run(text, esmond);
      assertEquals(r.status, 1, `${esmond} ${text.slice(0, 30)}`);
      assertEquals(r.out, []);
      assertEquals(r.err.length, 1);
      assertEquals(r.err[0].includes("\n"), false);
      assertMatch(r.err[0], reason);
    }
  }
});

Deno.test("pscheduler-doc: a list names the element whose document failed", async () => {
  const r = await run(`[${GOOD}, {"test": {"spec": {}}}]`);
  assertEquals(r.status, 1);
  assertMatch(r.err[0], /element 2 of 2: .*no test\.type/);
  const ok = await run(`[${GOOD}, ${GOOD}]`);
  assertEquals(ok.status, 0);
  assertEquals(ok.out.length, 2);
});

Deno.test("pscheduler-doc: a number beyond the float range is refused, not written as null", async () => {
  const text = GOOD.replace('"record":"a"', '"record":"a","x-count":1e400');
  for (const esmond of [[], ["--esmond"]]) {
    const r = await run(text, esmond);
    assertEquals(r.status, 1);
    assertMatch(r.err[0], /a number beyond the range of a float/);
  }
});

Deno.test("pscheduler-doc: a body nested too deep is one clear line, not a stack overflow", async () => {
  const deep = "[".repeat(5000) + "]".repeat(5000);
  const text = GOOD.replace('"record":"a"', `"record":"a","x":${deep}`);
  for (const esmond of [[], ["--esmond"]]) {
    const r = await run(text, esmond);
    assertEquals(r.status, 1);
    assertMatch(r.err[0], /nests more than 1000 levels deep/);
  }
});
