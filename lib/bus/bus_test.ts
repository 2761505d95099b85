import { assert, assertEquals, assertThrows } from "../../tests/harness/mod.ts";
import { StompClient, StompUnconfirmedError } from "./stomp_client.ts";
import { encodeFrame, FrameDecoder } from "./stomp_frame.ts";
import { parseBusTarget } from "./target.ts";

const enc = new TextEncoder();

Deno.test("stomp frames: escaping, content-length with NULs, split chunks, heart-beats", () => {
  const body = Uint8Array.of(1, 0, 2);
  const bytes = encodeFrame("MESSAGE", { "a:b": "x\ny\\z", subscription: "s" }, body);
  const decoder = new FrameDecoder();
  const all = new Uint8Array([...enc.encode("\n\r\n"), ...bytes, ...enc.encode("\n")]);
  const frames = [];
  for (let i = 0; i < all.length; i += 3) frames.push(...decoder.push(all.subarray(i, i + 3)));
  assertEquals(frames.length, 1);
  assertEquals(frames[0].command, "MESSAGE");
  assertEquals(frames[0].headers["a:b"], "x\ny\\z");
  assertEquals([...frames[0].body], [1, 0, 2]);
  // Without content-length the body ends at the first NUL; CONNECTED headers are not escaped.
  const [f] = new FrameDecoder().push(enc.encode("CONNECTED\r\nversion:1.2\r\nk:a\\c\r\n\r\nhi\0"));
  assertEquals([f.command, f.headers.version, f.headers.k, new TextDecoder().decode(f.body)], [
    "CONNECTED",
    "1.2",
    "a\\c",
    "hi",
  ]);
});

Deno.test("bus URLs", () => {
  const s = parseBusTarget("stomp+ssl://u:p%40ss@[::1]/queue/x?ca=/ca.pem&spool=/s");
  assertEquals([s.protocol, s.tls, s.hostname, s.port, s.password, s.destination, s.ca, s.spool], [
    "stomp",
    true,
    "::1",
    61614,
    "p@ss",
    "/queue/x",
    "/ca.pem",
    "/s",
  ]);
  assertEquals(s.label.includes("p%40ss"), false);
  const a = parseBusTarget("amqps://h:1/osg?queue=q&shard=1/3");
  assertEquals([a.vhost, a.queue, a.shard, a.port], ["osg", "q", { index: 1, count: 3 }, 1]);
  assertThrows(() => parseBusTarget("http://h/"), Error, "scheme");
  assertThrows(() => parseBusTarget("stomp://h/foo"), Error, "destination");
  assertThrows(() => parseBusTarget("amqp://h/?shard=3/3"), Error, "shard");
  assertThrows(() => parseBusTarget("amqp://h/?bogus=1"), Error, "unknown");
});

// A broker that reads a whole transaction and then drops the connection without a RECEIPT: the
// client cannot know whether it was committed. RabbitMQ and ActiveMQ cannot be made to do that on
// cue, hence this loopback fake.
Deno.test("stomp: a transaction sent but never confirmed is in doubt", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    const decoder = new FrameDecoder();
    const buffer = new Uint8Array(4096);
    let committed = false;
    while (!committed) {
      const n = await conn.read(buffer);
      if (n === null) break;
      for (const frame of decoder.push(buffer.subarray(0, n))) {
        if (frame.command === "CONNECT") await conn.write(encodeFrame("CONNECTED", {}));
        if (frame.command === "COMMIT") committed = true;
      }
    }
    conn.close();
    return committed;
  })();
  const client = await StompClient.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const error = await client.sendBatch([{ destination: "/queue/q", body: enc.encode("{}") }])
    .then(() => undefined, (e) => e);
  assert(error instanceof StompUnconfirmedError, String(error));
  assertEquals(error.written, true);
  assertEquals(await served, true);
  // Once the connection is known to be gone, nothing more is written: not in doubt.
  const later = await client.sendBatch([{ destination: "/queue/q", body: enc.encode("{}") }])
    .then(() => undefined, (e) => e);
  assert(later instanceof StompUnconfirmedError, String(later));
  assertEquals(later.written, false);
  await client.close();
  listener.close();
});
