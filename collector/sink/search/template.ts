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

/** Fields of `fstream_open_expired` (issue 17) and of the g-stream documents. */
const EXTENDED_FIELDS: Readonly<
  Record<string, "keyword" | "boolean" | "long" | "double" | "date">
> = {
  xrd_expire_reason: "keyword",
  xrd_expire_time: "double",
  xrd_open_age: "double",
  xrd_hasXfrInfo: "boolean",
  xrd_hasOPS: "boolean",
  xrd_hasSSQ: "boolean",
  xrd_seq_lost_packets: "long",
  xrd_gstream_provider: "keyword",
  xrd_gstream_sid: "keyword",
  xrd_gstream_tBeg: "long",
  xrd_gstream_tEnd: "long",
  xrd_gstream_event_index: "long",
  xrd_gstream_form: "keyword",
  xrd_gstream_text: "keyword",
  // Proxy file cache (C), `file_close` events.
  xrd_pfc_event: "keyword",
  xrd_pfc_lfn: "keyword",
  xrd_pfc_remotes: "keyword",
  ...Object.fromEntries(
    [
      "size",
      "blk_size",
      "n_blks",
      "n_blks_done",
      "access_cnt",
      "attach_t",
      "detach_t",
      "b_hit",
      "b_miss",
      "b_bypass",
      "b_todisk",
      "b_prefetch",
      "n_cks_errs",
    ].map((f) => [`xrd_pfc_${f}`, "long" as const]),
  ),
  // Third-party copy (P).
  xrd_tpc_protocol: "keyword",
  xrd_tpc_client: "keyword",
  xrd_tpc_src: "keyword",
  xrd_tpc_dst: "keyword",
  xrd_tpc_direction: "keyword",
  xrd_tpc_ip_version: "keyword",
  xrd_tpc_size: "long",
  xrd_tpc_rc: "long",
  xrd_tpc_streams: "long",
  xrd_tpc_begin: "date",
  xrd_tpc_end: "date",
  xrd_tpc_duration: "double",
  xrd_tpc_rate: "double",
  xrd_tpc_success: "boolean",
  // Throttle (R), OSS statistics (O), HTTP (H) totals.
  xrd_throttle_event: "keyword",
  xrd_throttle_io_wait: "double",
  xrd_throttle_io_active: "long",
  xrd_throttle_io_total: "long",
  xrd_oss_event: "keyword",
  xrd_http_count: "long",
};

/** The nested objects of `gstream_http` documents (one per method and status). */
const HTTP_REQUEST_PROPERTIES = {
  method: { type: "keyword" },
  status: { type: "keyword" },
  count: { type: "long" },
  errors_network: { type: "long" },
  errors_xrootd: { type: "long" },
  success: { type: "long" },
  duration_seconds: { type: "double" },
};

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

/**
 * The mapping type of every named field the collector writes: the seed's, the expiry
 * documents' and the g-stream documents' (their other fields follow the dynamic templates).
 *
 * @example
 * ```ts
 * import { COLLECTOR_FIELD_TYPES } from "./template.ts";
 * if (COLLECTOR_FIELD_TYPES["xrd_tpc_end"] !== "date") throw new Error();
 * ```
 */
export const COLLECTOR_FIELD_TYPES: FieldTypes = Object.freeze({
  ...SEED_FIELD_TYPES,
  ...EXTENDED_FIELDS,
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
  const properties: Record<string, { type: string; properties?: object }> = {};
  for (const [field, type] of Object.entries(COLLECTOR_FIELD_TYPES)) properties[field] = { type };
  properties.xrd_http_requests = { type: "object", properties: HTTP_REQUEST_PROPERTIES };
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
          // OSS statistics' times are seconds with 4 decimals, `0.0000` reads as an integer.
          { oss_times_as_double: { match: "xrd_oss_*_t", mapping: { type: "double" } } },
          { strings_as_keyword: { match_mapping_type: "string", mapping: { type: "keyword" } } },
          { floats_as_double: { match_mapping_type: "double", mapping: { type: "double" } } },
        ],
        properties,
      },
    },
    _meta: { managed_by: "xrootd-fstream-collector" },
  };
}
