// The index template, lifecycle policy and roles (spec §3.1, §3.2) against the spec's words.
import { assertEquals } from "../harness/assert.ts";
import {
  PSCHEDULER_INDEX_TEMPLATE,
  PSCHEDULER_ISM_POLICY,
  PSCHEDULER_ROLES,
  pschedulerSetupRequests,
} from "../../lib/pscheduler/mod.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

Deno.test("template: pscheduler_* data streams, 1 shard, 0 replicas, alias pscheduler", () => {
  const t = PSCHEDULER_INDEX_TEMPLATE as Json;
  assertEquals(t.index_patterns, ["pscheduler_*"]);
  assertEquals(t.data_stream, {});
  assertEquals(t.template.settings, { number_of_shards: 1, number_of_replicas: 0 });
  assertEquals(Object.keys(t.template.aliases), ["pscheduler"]);
});

Deno.test("template: dynamic templates on the leaf names ip, histogram, json and *.geo.location", () => {
  const templates = (PSCHEDULER_INDEX_TEMPLATE as Json).template.mappings.dynamic_templates
    .map((d: Json) => Object.values(d)[0]);
  const byMatch = (m: string) => templates.find((d: Json) => d.match === m)?.mapping;
  assertEquals(byMatch("ip"), { type: "ip" });
  assertEquals(byMatch("histogram"), { type: "object", enabled: false });
  assertEquals(byMatch("json"), { type: "object", enabled: false });
  assertEquals(
    templates.find((d: Json) => d.path_match === "*.geo.location")?.mapping,
    { type: "geo_point" },
  );
});

Deno.test("lifecycle: hot (100, rollover 7 d) → warm at 8 d (50) → delete at 180 d; 3 retries", () => {
  const p = (PSCHEDULER_ISM_POLICY as Json).policy;
  assertEquals(p.default_state, "hot");
  const state = (name: string) => p.states.find((s: Json) => s.name === name);
  const hot = state("hot");
  assertEquals(hot.actions.find((a: Json) => a.index_priority).index_priority.priority, 100);
  assertEquals(hot.actions.find((a: Json) => a.rollover).rollover.min_index_age, "7d");
  assertEquals(hot.transitions, [{ state_name: "warm", conditions: { min_index_age: "8d" } }]);
  const warm = state("warm");
  assertEquals(warm.actions[0].index_priority.priority, 50);
  assertEquals(warm.transitions, [{ state_name: "delete", conditions: { min_index_age: "180d" } }]);
  assertEquals(state("delete").actions[0].delete, {});
  for (const s of p.states) {
    for (const a of s.actions) {
      assertEquals(a.retry, { count: 3, backoff: "exponential", delay: "1m" });
    }
  }
  assertEquals(p.ism_template[0].index_patterns, ["pscheduler*"]);
});

Deno.test("roles: the writer may create on pscheduler_*, the reader reads the rollups too", () => {
  const roles = PSCHEDULER_ROLES as Json;
  const writer = roles.pscheduler_logstash.index_permissions[0];
  assertEquals(writer.index_patterns, ["pscheduler_*"]);
  for (const a of ["write", "create", "manage"]) {
    assertEquals(writer.allowed_actions.includes(a), true);
  }
  const reader = roles.pscheduler_reader.index_permissions[0];
  assertEquals(reader.index_patterns, ["pscheduler_*", "rollup_pscheduler_*"]);
  assertEquals(reader.allowed_actions.includes("read"), true);
  assertEquals(
    pschedulerSetupRequests({ roles: true }).map((r) => r.path),
    [
      "/_index_template/pscheduler_default_policy",
      "/_plugins/_ism/policies/pscheduler_default_policy",
      "/_plugins/_security/api/roles/pscheduler_logstash",
      "/_plugins/_security/api/roles/pscheduler_reader",
    ],
  );
});
