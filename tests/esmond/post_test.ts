import { assert, assertEquals, assertMatch, assertRejects, assertThrows } from "../harness/mod.ts";
import {
  ArchiveHttpError,
  ArchiveValidationError,
  EventTypeBulkPost,
  EventTypePost,
  MetadataPost,
  PyFloat,
} from "../../lib/esmond/mod.ts";
import { json, rawJson, startStub } from "./stub_server.ts";

const SUBJECT = {
  subjectType: "point-to-point",
  source: "10.1.1.1",
  destination: "10.1.1.2",
  toolName: "bwctl/iperf3",
  measurementAgent: "10.1.1.1",
  inputSource: "host1.example.net",
  inputDestination: "host2.example.net",
};

Deno.test("MetadataPost sends the §6.2 body with Token auth and returns the archive's metadata", async () => {
  await using stub = startStub(({ body }) => {
    const sent = JSON.parse(body);
    return json({ ...sent, "metadata-key": "abc123", "uri": "/esmond/perfsonar/archive/abc123/" }, {
      status: 201,
    });
  });
  using post = new MetadataPost({
    url: stub.url,
    username: "writer",
    apiKey: "s3cret",
    ...SUBJECT,
    timeDuration: 30,
    ipTransportProtocol: "tcp",
  });
  post.addEventType("throughput");
  post.addEventType("throughput");
  post.addSummaryType("throughput", "aggregation", 3600);
  post.addSummaryType("throughput", "average", [86400]);
  post.addEventType("packet-retransmits");
  post.addFreeformKeyValue("bw-parallel-streams", 2);
  const md = await post.postMetadata();
  assertEquals(md.metadataKey, "abc123");
  const req = stub.requests[0];
  assertEquals(req.method, "POST");
  assertEquals(req.url.pathname, "/esmond/perfsonar/archive/");
  assertEquals(req.headers.get("authorization"), "Token s3cret");
  assertEquals(req.headers.get("content-type"), "application/json");
  assertMatch(req.headers.get("user-agent")!, /^esmond-ps-tools\/\d/);
  assertEquals(JSON.parse(req.body), {
    "subject-type": "point-to-point",
    "source": "10.1.1.1",
    "destination": "10.1.1.2",
    "tool-name": "bwctl/iperf3",
    "measurement-agent": "10.1.1.1",
    "input-source": "host1.example.net",
    "input-destination": "host2.example.net",
    "time-duration": 30,
    "ip-transport-protocol": "tcp",
    "bw-parallel-streams": 2,
    "event-types": [
      {
        "event-type": "throughput",
        "summaries": [
          { "summary-type": "aggregation", "summary-window": 3600 },
          { "summary-type": "average", "summary-window": 86400 },
        ],
      },
      { "event-type": "packet-retransmits", "summaries": [] },
    ],
  });
});

Deno.test("MetadataPost refuses bad input before sending", () => {
  using post = new MetadataPost({ url: "http://127.0.0.1:9", ...SUBJECT, destination: "" });
  assertThrows(() => post.addEventType("no-such-type"), ArchiveValidationError, "event-type");
  assertThrows(
    () => post.addSummaryType("failures", "average", 60),
    ArchiveValidationError,
    "not allowed",
  );
  assertThrows(() => post.addSummaryType("throughput", "average", 1.5), ArchiveValidationError);
  post.addEventType("throughput");
  assertThrows(() => post.payload(), ArchiveValidationError, "destination");
  assertThrows(() => post.addFreeformKeyValue("source", "x"), ArchiveValidationError);
});

Deno.test("EventTypePost posts one point per request, the ApiKey form on request, 409 handling", async () => {
  await using stub = startStub(({ body }) => {
    const { ts } = JSON.parse(body);
    if (ts === 2) {
      return json({
        detail: "Time series value already exists with event type throughput at time 2",
      }, {
        status: 409,
      });
    }
    return rawJson('""', { status: 201 });
  });
  using post = new EventTypePost({
    url: stub.url,
    username: "u",
    apiKey: "k",
    authScheme: "apikey",
    metadataKey: "abc123",
    eventType: "throughput",
  });
  post.addDataPoint(1, 5978580000).addDataPoint("2", 7).addDataPoint(new Date(3000), "12");
  await assertRejects(() => post.postData(), (e: Error) => {
    assert(e instanceof ArchiveHttpError);
    assertEquals(e.status, 409);
    assertEquals(e.detail, "Time series value already exists with event type throughput at time 2");
    return true;
  });
  // The 409 was not retried, the first point is no longer queued.
  assertEquals(stub.requests.length, 2);
  assertEquals(post.postedCount, 1);
  assertEquals(post.pending, 2);
  assertEquals(stub.requests[0].url.pathname, "/esmond/perfsonar/archive/abc123/throughput/base");
  assertEquals(stub.requests[0].body, '{"ts":1,"val":5978580000}');
  assertEquals(stub.requests[0].headers.get("authorization"), "ApiKey u:k");
});

Deno.test("EventTypePost onDuplicate skip counts duplicates and goes on; no key → no header", async () => {
  await using stub = startStub(({ body }) =>
    JSON.parse(body).ts === 2
      ? json({ detail: "exists" }, { status: 409 })
      : rawJson('""', { status: 201 })
  );
  using post = new EventTypePost({
    url: stub.url,
    metadataKey: "abc123",
    eventType: "packet-loss-rate",
    onDuplicate: "skip",
  });
  post.addDataPoint(1, { numerator: 4, denominator: 100 }).addDataPoint(2, {
    numerator: 1,
    denominator: 10,
  })
    .addDataPoint(3, { numerator: "0", denominator: "7" });
  await post.postData();
  assertEquals([post.postedCount, post.duplicateCount, post.pending], [2, 1, 0]);
  assertEquals(stub.requests[0].headers.get("authorization"), null);
});

Deno.test("EventTypeBulkPost groups by timestamp in one PUT and keeps float spelling", async () => {
  await using stub = startStub(() => rawJson('""', { status: 201 }));
  using bulk = new EventTypeBulkPost({ url: stub.url, apiKey: "k", metadataKey: "abc123" });
  bulk.addDataPoint("packet-retransmits", 1397807404, 112);
  bulk.addDataPoint("throughput-subintervals", 1397807464, [
    { start: new PyFloat(0), duration: 1.0001, val: new PyFloat(9000) },
  ]);
  bulk.addDataPoint("throughput", 1397807404, 8446270000);
  await bulk.postData();
  assertEquals(bulk.pending, 0);
  const req = stub.requests[0];
  assertEquals(req.method, "PUT");
  assertEquals(req.url.pathname, "/esmond/perfsonar/archive/abc123/");
  assertEquals(
    req.body,
    '{"data":[{"ts":1397807404,"val":[{"event-type":"packet-retransmits","val":112},' +
      '{"event-type":"throughput","val":8446270000}]},{"ts":1397807464,"val":[' +
      '{"event-type":"throughput-subintervals","val":[{"start":0.0,"duration":1.0001,"val":9000.0}]}]}]}',
  );
});

Deno.test("EventTypeBulkPost splits into chunks of whole timestamps and resumes after a failure", async () => {
  let n = 0;
  await using stub = startStub(() =>
    ++n === 2 ? json({ detail: "boom" }, { status: 500 }) : rawJson('""', { status: 201 })
  );
  using bulk = new EventTypeBulkPost({
    url: stub.url,
    apiKey: "k",
    metadataKey: "abc",
    maxValuesPerRequest: 3,
  });
  for (let ts = 1; ts <= 4; ts++) {
    bulk.addDataPoint("throughput", ts, ts).addDataPoint("packet-retransmits", ts, 0);
  }
  await assertRejects(() => bulk.postData(), ArchiveHttpError);
  assertEquals([bulk.requestCount, bulk.pending], [1, 6]);
  await bulk.postData();
  assertEquals([bulk.requestCount, bulk.pending], [4, 0]);
  const sent = stub.requests.map((r) => JSON.parse(r.body).data.map((d: { ts: number }) => d.ts));
  // 2 values per timestamp, at most 3 per request → one timestamp per request; the failed
  // (not retried) PUT of ts 2 is sent again by the second postData().
  assertEquals(sent, [[1], [2], [2], [3], [4]]);
  assertThrows(
    () => new EventTypeBulkPost({ url: stub.url, metadataKey: "abc", maxValuesPerRequest: 0 }),
    ArchiveValidationError,
  );
});
