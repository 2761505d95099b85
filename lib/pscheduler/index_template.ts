/**
 * perfSONAR's OpenSearch set-up for pScheduler results (spec §3, written from
 * perfsonar/archive's `index_template-pscheduler.json`, ISM policy and roles): the composable
 * template that makes every `pscheduler_<type>` a data stream, the hot → warm → delete
 * lifecycle, and the writer/reader roles. Plain data plus the list of requests that install
 * them; sending them is the caller's job.
 *
 * @module
 */

/** Name of the composable index template (and of the ISM policy). */
export const PSCHEDULER_TEMPLATE_NAME = "pscheduler_default_policy";

/** Name of the ISM policy. */
export const PSCHEDULER_POLICY_NAME = "pscheduler_default_policy";

/** The index/data-stream name pattern of pScheduler results. */
export const PSCHEDULER_INDEX_PATTERN = "pscheduler_*";

/** The alias every backing index carries. */
export const PSCHEDULER_ALIAS = "pscheduler";

/** The data-stream time field (the ingest time, not the run time). */
export const PSCHEDULER_TIME_FIELD = "@timestamp";

/**
 * Body of `PUT _index_template/pscheduler_default_policy`: data streams for `pscheduler_*`,
 * one shard, no replica, alias `pscheduler`, and dynamic templates matched on leaf names
 * (`ip` → ip, `histogram`/`json` → stored but not indexed, `*.geo.location` → geo_point).
 */
export const PSCHEDULER_INDEX_TEMPLATE = deepFreeze({
  index_patterns: [PSCHEDULER_INDEX_PATTERN],
  template: {
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    aliases: { [PSCHEDULER_ALIAS]: {} },
    mappings: {
      _source: {},
      _meta: {},
      dynamic_templates: [
        { ip_addresses: { mapping: { type: "ip" }, match: "ip" } },
        { histograms: { mapping: { type: "object", enabled: false }, match: "histogram" } },
        { json_unparsed: { mapping: { type: "object", enabled: false }, match: "json" } },
        { location: { path_match: "*.geo.location", mapping: { type: "geo_point" } } },
      ],
      properties: {},
    },
  },
  data_stream: {},
});

const RETRY = { count: 3, backoff: "exponential", delay: "1m" } as const;

/**
 * Body of `PUT _plugins/_ism/policies/pscheduler_default_policy`: hot (priority 100,
 * rollover at 7 days) → warm after 8 days (priority 50) → delete after 180 days; applied to
 * new `pscheduler*` indices through its ISM template.
 */
export const PSCHEDULER_ISM_POLICY = deepFreeze({
  policy: {
    description: "hot warm delete",
    error_notification: null,
    default_state: "hot",
    states: [
      {
        name: "hot",
        actions: [
          { retry: RETRY, index_priority: { priority: 100 } },
          { retry: RETRY, rollover: { min_index_age: "7d", copy_alias: false } },
        ],
        transitions: [{ state_name: "warm", conditions: { min_index_age: "8d" } }],
      },
      {
        name: "warm",
        actions: [{ retry: RETRY, index_priority: { priority: 50 } }],
        transitions: [{ state_name: "delete", conditions: { min_index_age: "180d" } }],
      },
      { name: "delete", actions: [{ retry: RETRY, delete: {} }], transitions: [] },
    ],
    ism_template: [{ index_patterns: ["pscheduler*"], priority: 100 }],
  },
});

/** Security-plugin roles: the Logstash writer and the reader (elmond, Grafana). */
export const PSCHEDULER_ROLES = deepFreeze({
  pscheduler_logstash: {
    cluster_permissions: ["cluster_manage_index_templates", "cluster_monitor", "manage_ilm"],
    index_permissions: [{
      index_patterns: [PSCHEDULER_INDEX_PATTERN],
      allowed_actions: ["write", "create", "delete", "create_index", "manage", "manage_ilm"],
    }],
  },
  pscheduler_reader: {
    index_permissions: [{
      index_patterns: [PSCHEDULER_INDEX_PATTERN, "rollup_pscheduler_*"],
      allowed_actions: ["read", "view_index_metadata"],
    }],
  },
});

/** One request of the set-up. */
export interface SetupRequest {
  /** HTTP method. */
  readonly method: "PUT";
  /** Path below the node URL. */
  readonly path: string;
  /** JSON body. */
  readonly body: unknown;
  /** Needs a plugin that a plain node may lack (ISM, security). */
  readonly plugin?: "ism" | "security";
}

/**
 * The requests that install the template, the lifecycle policy and (with `roles`) the
 * security roles, in order.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { pschedulerSetupRequests } from "./index_template.ts";
 * deepStrictEqual(pschedulerSetupRequests()[0].path, "/_index_template/pscheduler_default_policy");
 * ```
 */
export function pschedulerSetupRequests(options: { roles?: boolean } = {}): SetupRequest[] {
  const requests: SetupRequest[] = [
    {
      method: "PUT",
      path: `/_index_template/${PSCHEDULER_TEMPLATE_NAME}`,
      body: PSCHEDULER_INDEX_TEMPLATE,
    },
    {
      method: "PUT",
      path: `/_plugins/_ism/policies/${PSCHEDULER_POLICY_NAME}`,
      body: PSCHEDULER_ISM_POLICY,
      plugin: "ism",
    },
  ];
  if (options.roles) {
    for (const [name, body] of Object.entries(PSCHEDULER_ROLES)) {
      requests.push({
        method: "PUT",
        path: `/_plugins/_security/api/roles/${name}`,
        body,
        plugin: "security",
      });
    }
  }
  return requests;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
