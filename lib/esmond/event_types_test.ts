import { assert, assertEquals } from "../../tests/harness/assert.ts";
import {
  allowsSummary,
  CLIENT_EVENT_TYPE_NAMES,
  EVENT_TYPES,
  eventTypeInfo,
  summaryTypeFromPlural,
} from "./event_types.ts";

Deno.test("the registry holds the archive's 49 event types, sorted, unique", () => {
  assertEquals(EVENT_TYPES.length, 49);
  const names = EVENT_TYPES.map((info) => info.name);
  assertEquals(new Set(names).size, 49);
  assertEquals([...names].sort(), names);
});

Deno.test("the clients' 33 names keep the -L order and all have a family", () => {
  assertEquals(CLIENT_EVENT_TYPE_NAMES.length, 33);
  assertEquals(CLIENT_EVENT_TYPE_NAMES.slice(0, 2), ["failures", "histogram-owdelay"]);
  assertEquals(CLIENT_EVENT_TYPE_NAMES.at(-1), "time-error-estimates");
  for (const name of CLIENT_EVENT_TYPE_NAMES) assert(eventTypeInfo(name)?.family, name);
  assertEquals(EVENT_TYPES.filter((info) => info.family === null).length, 16);
});

Deno.test("data types and summaries follow the spec's table", () => {
  assertEquals(eventTypeInfo("throughput")?.dataType, "integer");
  assertEquals(eventTypeInfo("ntp-offset")?.dataType, "float");
  assertEquals(eventTypeInfo("packet-loss-rate")?.dataType, "percentage");
  assertEquals(eventTypeInfo("throughput-subintervals")?.dataType, "subinterval");
  assertEquals(eventTypeInfo("streams-throughput-subintervals")?.dataType, "json");
  assert(allowsSummary("throughput", "average"));
  assert(!allowsSummary("throughput", "statistics"));
  assert(allowsSummary("histogram-rtt", "statistics"));
  assert(allowsSummary("packet-loss-rate", "aggregation"));
  assert(!allowsSummary("packet-loss-rate", "average"));
  assert(!allowsSummary("failures", "aggregation"));
  assertEquals(eventTypeInfo("no-such-type"), undefined);
  assertEquals(summaryTypeFromPlural("averages"), "average");
  assertEquals(summaryTypeFromPlural("statistics"), "statistics");
  assertEquals(summaryTypeFromPlural("base"), undefined);
});
