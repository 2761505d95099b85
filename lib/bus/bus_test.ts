import { assertEquals, assertThrows } from "../../tests/harness/mod.ts";
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
