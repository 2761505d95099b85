/**
 * perfSONAR's `pscheduler` composable index template (data streams over `pscheduler_*`) and
 * ISM lifecycle policy (spec §3.1, §3.2), and installing them when missing.
 *
 * @module
 */
import type { Client } from "@opensearch-project/opensearch";

/** Name of the template and of the policy. */
export const PSCHEDULER_POLICY_NAME = "pscheduler_default_policy";

/**
 * The index template body.
 *
 * @example
 * ```ts
 * import { pschedulerIndexTemplate } from "./template.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 * deepStrictEqual(pschedulerIndexTemplate().index_patterns, ["pscheduler_*"]);
 * ```
 */
export function pschedulerIndexTemplate(): Record<string, unknown> & { index_patterns: string[] } {
  return {
    index_patterns: ["pscheduler_*"],
    data_stream: {},
    priority: 100,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      aliases: { pscheduler: {} },
      mappings: {
        dynamic_templates: [
          { ip_fields: { match: "ip", mapping: { type: "ip" } } },
          { histogram_fields: { match: "histogram", mapping: { type: "object", enabled: false } } },
          { json_fields: { match: "json", mapping: { type: "object", enabled: false } } },
          { geo_location: { path_match: "*.geo.location", mapping: { type: "geo_point" } } },
        ],
      },
    },
  };
}

/**
 * The ISM policy: hot (rollover at 7 days) → warm after 8 days → delete after 180 days.
 *
 * @example
 * ```ts
 * import { pschedulerLifecyclePolicy } from "./template.ts";
 * pschedulerLifecyclePolicy().policy.default_state; // "hot"
 * ```
 */
export function pschedulerLifecyclePolicy(): { policy: Record<string, unknown> } {
  const retry = { count: 3, backoff: "exponential", delay: "1m" };
  return {
    policy: {
      description: "pScheduler data: hot 7 days, warm, delete after 180 days",
      default_state: "hot",
      states: [
        {
          name: "hot",
          actions: [
            { retry, index_priority: { priority: 100 } },
            { retry, rollover: { min_index_age: "7d" } },
          ],
          transitions: [{ state_name: "warm", conditions: { min_index_age: "8d" } }],
        },
        {
          name: "warm",
          actions: [{ retry, index_priority: { priority: 50 } }],
          transitions: [{ state_name: "delete", conditions: { min_index_age: "180d" } }],
        },
        { name: "delete", actions: [{ retry, delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: ["pscheduler*"], priority: 100 }],
    },
  };
}

/**
 * Installs the template and the lifecycle policy unless they exist; returns what it installed.
 * A cluster without the ISM plugin gets the template only.
 *
 * @example
 * ```ts
 * import { installPschedulerTemplate } from "./template.ts";
 * // await installPschedulerTemplate(client); // ["template", "policy"] on a fresh cluster
 * ```
 */
export async function installPschedulerTemplate(client: Client): Promise<string[]> {
  const installed: string[] = [];
  const exists = await client.indices.existsIndexTemplate({ name: PSCHEDULER_POLICY_NAME });
  if (!exists.body) {
    await client.indices.putIndexTemplate({
      name: PSCHEDULER_POLICY_NAME,
      body: pschedulerIndexTemplate(),
    } as never);
    installed.push("template");
  }
  const path = `/_plugins/_ism/policies/${PSCHEDULER_POLICY_NAME}`;
  // 400 "no handler found": the cluster has no ISM plugin.
  const policy = await client.transport.request({ method: "GET", path }, { ignore: [400, 404] });
  if (policy.statusCode === 404) {
    const put = await client.transport.request(
      { method: "PUT", path, body: pschedulerLifecyclePolicy() },
      { ignore: [400, 404, 409] },
    );
    if (put.statusCode === 200 || put.statusCode === 201) installed.push("policy");
  }
  return installed;
}
