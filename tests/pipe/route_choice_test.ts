import { assertEquals } from "../harness/mod.ts";
import { chooseSourceAddress, parseIp, parseRoutes } from "../../cli/pipe/route_choice.ts";
import { findMeasurementAgent } from "../../cli/pipe/measurement_agent.ts";

const IPV4_TABLE = [
  "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
  "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
  "eth1\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0",
].join("\n");
const IPV6_TABLE = [
  "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
].join("\n");
const ADDRESSES = [
  { name: "lo", family: "IPv4", address: "127.0.0.1" },
  { name: "eth0", family: "IPv4", address: "192.0.2.2" },
  { name: "eth0", family: "IPv6", address: "fe80::1" },
  { name: "eth0", family: "IPv6", address: "fd00::2" },
  { name: "eth1", family: "IPv4", address: "10.9.9.9" },
] as const;

Deno.test("route choice: parses IPv4, IPv6 and mapped literals", () => {
  assertEquals(parseIp("192.0.2.1"), [4, 0xc0000201n]);
  assertEquals(parseIp("::1"), [6, 1n]);
  assertEquals(parseIp("[2001:db8::1]"), [6, 0x20010db8000000000000000000000001n]);
  assertEquals(parseIp("::ffff:10.0.0.1"), [6, 0xffff0a000001n]);
  assertEquals(parseIp("300.1.1.1"), undefined);
  assertEquals(parseIp("host.example.net"), undefined);
  assertEquals(parseIp("1:2:3"), undefined);
});

Deno.test("route choice: longest prefix wins, loopback and own addresses answer themselves", () => {
  const routes = parseRoutes(IPV4_TABLE, IPV6_TABLE);
  assertEquals(routes.map((r) => [r.iface, r.prefix]), [["eth0", 0], ["eth1", 8], ["eth0", 64]]);
  assertEquals(chooseSourceAddress("198.51.100.7", routes, ADDRESSES), "192.0.2.2");
  assertEquals(chooseSourceAddress("10.1.2.3", routes, ADDRESSES), "10.9.9.9");
  assertEquals(chooseSourceAddress("127.0.0.5", routes, ADDRESSES), "127.0.0.1");
  assertEquals(chooseSourceAddress("::1", routes, ADDRESSES), "::1");
  assertEquals(chooseSourceAddress("fd00::77", routes, ADDRESSES), "fd00::2");
  assertEquals(chooseSourceAddress("192.0.2.2", routes, ADDRESSES), "192.0.2.2");
  // No IPv6 default route: nothing to choose.
  assertEquals(chooseSourceAddress("2001:db8::1", routes, ADDRESSES), undefined);
});

Deno.test("measurement agent: loopback destinations on this machine", async () => {
  assertEquals(await findMeasurementAgent("127.0.0.1"), "127.0.0.1");
  assertEquals(await findMeasurementAgent("::1"), "::1");
});
