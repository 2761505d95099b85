import { assertEquals } from "../../../tests/harness/assert.ts";
import { classifyBulkResponse, classifyRequestError, isRetryableStatus } from "./bulk_result.ts";

const recs = [1, 2, 3, 4].map((n) => ({ index: "i", id: `d${n}`, body: { n } }));

Deno.test("bulk items: 2xx done, 429/5xx retried in order, other 4xx rejected", () => {
  const outcome = classifyBulkResponse(recs, {
    errors: true,
    items: [
      { index: { status: 201 } },
      { index: { status: 429, error: { type: "es_rejected_execution_exception" } } },
      {
        index: {
          status: 400,
          error: {
            type: "mapper_parsing_exception",
            reason: "failed to parse field [x]",
            caused_by: { reason: "For input string" },
          },
        },
      },
      { index: { status: 503 } },
    ],
  });
  assertEquals(outcome.indexed, 1);
  assertEquals(outcome.retry.map((r) => r.id), ["d2", "d4"]);
  assertEquals(outcome.rejected.length, 1);
  assertEquals(outcome.rejected[0].status, 400);
  assertEquals(
    outcome.rejected[0].reason,
    "mapper_parsing_exception: failed to parse field [x] (For input string)",
  );
});

Deno.test("bulk items missing from the answer are retried, not assumed indexed", () => {
  const outcome = classifyBulkResponse(recs, { items: [{ index: { status: 200 } }] });
  assertEquals(outcome.indexed, 1);
  assertEquals(outcome.retry.length, 3);
});

Deno.test("request errors: no answer and 429/5xx/auth retry, 400 does not", () => {
  assertEquals(classifyRequestError(new Error("ECONNREFUSED")).retryable, true);
  const busy = Object.assign(new Error("busy"), {
    name: "ResponseError",
    meta: { statusCode: 503 },
  });
  assertEquals(classifyRequestError(busy).status, 503);
  assertEquals(classifyRequestError(busy).retryable, true);
  const bad = Object.assign(new Error("bad"), {
    name: "ResponseError",
    meta: { statusCode: 400, body: { error: { type: "parse_exception", reason: "x" } } },
  });
  assertEquals(classifyRequestError(bad), {
    retryable: false,
    status: 400,
    reason: "ResponseError 400: parse_exception: x",
  });
  assertEquals([429, 500, 401, 400, 404].map(isRetryableStatus), [true, true, true, false, false]);
});
