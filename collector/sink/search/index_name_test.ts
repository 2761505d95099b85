import { assertEquals } from "../../../tests/harness/assert.ts";
import { checkIndexPattern, indexFor, indexForBody, indexWildcard } from "./index_name.ts";
import { COLLECTOR_FIELD_TYPES, indexTemplate } from "./template.ts";

Deno.test("index names come from the document's own @timestamp, in UTC", () => {
  const t = new Date("2021-07-13T23:59:59Z");
  assertEquals(indexFor("xrd-fstream-%Y.%m.%d", t), "xrd-fstream-2021.07.13");
  assertEquals(indexFor("a-%Y-%m-%dT%H-100%%", t), "a-2021-07-13T23-100%");
  const fallback = new Date("2020-01-02T00:00:00Z");
  assertEquals(indexForBody("x-%Y", { "@timestamp": "2019-05-01T00:00:00Z" }, fallback), "x-2019");
  assertEquals(indexForBody("x-%Y", { "@timestamp": "garbage" }, fallback), "x-2020");
  assertEquals(indexForBody("x-%Y", {}, fallback), "x-2020");
});

Deno.test("wildcards and pattern checks", () => {
  assertEquals(indexWildcard("xrd-fstream-%Y.%m.%d"), "xrd-fstream-*.*.*");
  assertEquals(indexWildcard("x-%Y%m"), "x-*");
  assertEquals(indexWildcard("fixed"), "fixed");
  assertEquals(checkIndexPattern("xrd-%Y"), undefined);
  assertEquals(checkIndexPattern("Xrd-%Y"), '--index "Xrd-%Y" must be lower case');
  assertEquals(typeof checkIndexPattern("a b"), "string");
  assertEquals(typeof checkIndexPattern("_x"), "string");
});

Deno.test("template maps every seed field with the issue's types", () => {
  const body = indexTemplate({ indexPatterns: ["x-*"], replicas: 0 });
  const props = body.template.mappings.properties;
  assertEquals(props["@timestamp"].type, "date");
  assertEquals(props.xrd_file_uniq_id.type, "keyword");
  assertEquals(props.xrd_XFR_read.type, "long");
  assertEquals(props.xrd_derived_read_rate.type, "double");
  assertEquals(props.xrd_hasOpenInfo.type, "boolean");
  assertEquals(Object.keys(props).length, Object.keys(COLLECTOR_FIELD_TYPES).length + 1);
  assertEquals(props.xrd_tpc_end.type, "date");
  assertEquals(props.xrd_http_requests.type, "object");
  assertEquals(body.template.settings.number_of_replicas, 0);
});
