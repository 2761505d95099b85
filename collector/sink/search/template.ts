/**
 * The index template installed at start-up (unless `--no-template`), a pure function.
 *
 * Ids, names and flags from the `u` record are `keyword` (exact-match filters and the lookup's
 * `term` queries), counters and epoch seconds `long`, rates and the float add-time `double`,
 * `@timestamp` a `date`. Unknown fields follow the same rules through dynamic templates, so an
 * integer-looking first value never makes a rate field `long`.
 *
 * @module
 */

const KEYWORD_FIELDS = [
  "type",
  "xrd_msg_type",
  "xrd_file_uniq_id",
  "xrd_user_uniq_id",
  "xrd_lfn",
  "xrd_server",
  "xrd_prot",
  "xrd_user",
  "xrd_pid",
  "xrd_sid",
  "xrd_host",
  "xrd_auth_auth_protocol",
  "xrd_auth_dn",
  "xrd_auth_client_hostname",
  "xrd_auth_xrootd_ver",
  "xrd_auth_xeqname",
  "xrd_auth_ip_ver",
  "xrd_client",
  "xrd_origin_site",
] as const;

const BOOLEAN_FIELDS = [
  "xrd_hasOpenInfo",
  "xrd_hasUserInfo",
  "xrd_hasDerivedStats",
  "xrd_openedRW",
  "xrd_hasLFN",
  "xrd_forceClose",
  "xrd_derived_data_transferred",
  "xrd_derived_is_write",
  "xrd_derived_is_read",
  "xrd_derived_is_readv",
] as const;

const OPS = ["read", "readv", "write", "rsMin", "rsMax", "rsegs", "rdMin", "rdMax"] as const;
const LONG_FIELDS = [
  "xrd_fileOpenSize",
  "xrd_open_timestamp_req_count",
  "xrd_open_timestamp_tBeg",
  "xrd_open_timestamp_tEnd",
  "xrd_open_req_pos",
  "xrd_derived_open_time",
  "xrd_close_timestamp_req_count",
  "xrd_close_timestamp_tBeg",
  "xrd_close_timestamp_tEnd",
  "xrd_close_req_pos",
  "xrd_derived_close_time",
  "xrd_XFR_read",
  "xrd_XFR_readv",
  "xrd_XFR_write",
  ...OPS.map((op) => `xrd_OPS_${op}`),
  ...["rvMin", "rvMax", "wrMin", "wrMax"].map((op) => `xrd_OPS_${op}`),
  "xrd_derived_duration",
  "xrd_derived_read_total_bytes",
  "xrd_derived_total_bytes",
];

const DOUBLE_FIELDS = [
  "xrd_record_add_time",
  "xrd_derived_read_rate",
  "xrd_derived_readv_rate",
  "xrd_derived_write_rate",
  "xrd_derived_read_total_rate",
];

/** Field name → mapping type, for every field of the seed's document. */
export type FieldTypes = Readonly<
  Record<string, "keyword" | "boolean" | "long" | "double" | "date">
>;

/**
 * The mapping type of every field of the seed's document.
 *
 * @example
 * ```ts
 * import { SEED_FIELD_TYPES } from "./template.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(SEED_FIELD_TYPES["xrd_derived_read_rate"], "double");
 * ```
 */
export const SEED_FIELD_TYPES: FieldTypes = Object.freeze({
  "@timestamp": "date",
  ...Object.fromEntries(KEYWORD_FIELDS.map((f) => [f, "keyword"])),
  ...Object.fromEntries(BOOLEAN_FIELDS.map((f) => [f, "boolean"])),
  ...Object.fromEntries(LONG_FIELDS.map((f) => [f, "long"])),
  ...Object.fromEntries(DOUBLE_FIELDS.map((f) => [f, "double"])),
});

/** Options for {@linkcode indexTemplate}. */
export interface IndexTemplateOptions {
  /** Index patterns the template applies to (e.g. `["xrd-fstream-*"]`). */
  readonly indexPatterns: readonly string[];
  /** Primary shards per index (default 1). */
  readonly shards?: number;
  /** Replicas per index (default 1; a single test node shows "yellow" with 1). */
  readonly replicas?: number;
}

/**
 * The body of `PUT _index_template/NAME` (composable templates: Elasticsearch ≥ 7.8, every
 * OpenSearch).
 *
 * @example
 * ```ts
 * import { indexTemplate } from "./template.ts";
 * import assert from "node:assert/strict";
 * const body = indexTemplate({ indexPatterns: ["xrd-fstream-*"] });
 * assert.deepEqual(body.template.mappings.properties["@timestamp"], { type: "date" });
 * ```
 */
export function indexTemplate(options: IndexTemplateOptions) {
  const properties: Record<string, { type: string }> = {};
  for (const [field, type] of Object.entries(SEED_FIELD_TYPES)) properties[field] = { type };
  return {
    index_patterns: [...options.indexPatterns],
    priority: 200,
    template: {
      settings: {
        number_of_shards: options.shards ?? 1,
        number_of_replicas: options.replicas ?? 1,
      },
      mappings: {
        dynamic_templates: [
          { rates_as_double: { match: "*_rate", mapping: { type: "double" } } },
          { strings_as_keyword: { match_mapping_type: "string", mapping: { type: "keyword" } } },
          { floats_as_double: { match_mapping_type: "double", mapping: { type: "double" } } },
        ],
        properties,
      },
    },
    _meta: { managed_by: "xrootd-fstream-collector" },
  };
}
