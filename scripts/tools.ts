/**
 * The one list of the project's tools: binary name, entry point and the permissions each needs.
 *
 * `deno task tool`, `deno task compile` and the test harness all read this table, so a tool is
 * registered once.
 *
 * @module
 */

/** One runnable tool of the project. */
export interface ToolSpec {
  /** The binary name users type, e.g. `esmond-ps-get`. */
  readonly name: string;
  /** Entry point, relative to the repository root. */
  readonly entry: string;
  /** Deno permission flags the tool runs with (no more than it needs). */
  readonly permissions: readonly string[];
  /** One line for `--help` listings and the README. */
  readonly summary: string;
  /**
   * Runtime flags the tool always runs with, from source and compiled alike (V8 heap sizing):
   * part of the tool as much as its permissions.
   */
  readonly runtimeFlags?: readonly string[];
  /** Modules loaded at run time (workers) that `deno compile` must embed (`--include`). */
  readonly compileIncludes?: readonly string[];
}

// osRelease: the OpenSearch client's user agent, loaded when a tool reads an
// `opensearch+https://` URL.
const netReadEnv = ["--allow-net", "--allow-env", "--allow-read"] as const;
const queryPermissions = [...netReadEnv, "--allow-sys=osRelease"] as const;

/**
 * Every tool, in the order the README lists them.
 *
 * @example
 * ```ts
 * import { TOOLS } from "./tools.ts";
 * console.log(TOOLS.map((tool) => tool.name).join("\n"));
 * ```
 */
export const TOOLS: readonly ToolSpec[] = [
  {
    name: "esmond-ps-get-endpoints",
    entry: "cli/esmond_ps_get_endpoints.ts",
    permissions: [...queryPermissions],
    summary: "list the source/destination pairs an archive holds tests for",
  },
  {
    name: "esmond-ps-get-metadata",
    entry: "cli/esmond_ps_get_metadata.ts",
    permissions: [...queryPermissions],
    summary: "show the metadata (test parameters and event types) matching the filters",
  },
  {
    name: "esmond-ps-get",
    entry: "cli/esmond_ps_get.ts",
    permissions: [...queryPermissions],
    summary: "print the data of one event type (human, json or csv)",
  },
  {
    name: "esmond-ps-get-bulk",
    entry: "cli/esmond_ps_get_bulk.ts",
    permissions: [...queryPermissions, "--allow-write"],
    // Bulk export parses and drops one small page after another; with V8's default the young
    // generation grows in steps during a long series (peak RSS 90 MiB at 1.1 M points, 105 MiB
    // at 11 M). Capped at 4 MiB semi-spaces it stays flat (~87 MiB) at the same CPU.
    runtimeFlags: ["--v8-flags=--max-semi-space-size=4"],
    summary: "export every matching event type to one csv/json file each",
  },
  {
    name: "esmond-ps-load-gridftp",
    entry: "cli/esmond_ps_load_gridftp.ts",
    permissions: [...queryPermissions, "--allow-write"],
    summary: "load GridFTP transfer logs into an archive, resumable across runs",
  },
  {
    name: "esmond-ps-pipe",
    entry: "cli/esmond_ps_pipe.ts",
    // networkInterfaces: measurement-agent is the local address routed toward the receiver.
    permissions: [...netReadEnv, "--allow-write", "--allow-sys=networkInterfaces,osRelease"],
    summary: "store bwctl/iperf3 results read from a pipe or file",
  },
  {
    name: "esmond-ps-archive",
    entry: "cli/esmond_ps_archive.ts",
    permissions: [...netReadEnv, "--allow-write", "--allow-sys"],
    summary: "an embedded esmond-compatible measurement archive (SQLite)",
    compileIncludes: ["lib/archive/ingest_store_worker.ts"],
  },
  {
    name: "esmond-ps-migrate",
    entry: "cli/esmond_ps_migrate.ts",
    // --allow-write: the state file, and the temp archive export files are loaded into.
    permissions: [...queryPermissions, "--allow-write", "--allow-sys"],
    // What a migration holds is bounded (two pages per event type, the batches in flight), but
    // V8 lets garbage pile up: peak RSS 134 MiB for a 10,000-run series and 313 MiB for
    // 240,000 (dry run). With small semi-spaces and a 256 MiB old generation, 152 and 176 MiB,
    // for about 15 % more CPU per point; the cap leaves room for pages of large histograms.
    runtimeFlags: ["--v8-flags=--max-semi-space-size=2,--max-old-space-size=256"],
    summary: "move an esmond archive's history into perfSONAR 5 pscheduler_* documents",
  },
  {
    name: "xrootd-fstream-collector",
    entry: "collector/main.ts",
    // --allow-ffi: SO_RCVBUF and batched recvmmsg on the UDP socket (collector/listen/socket_buffer.ts,
    // collector/listen/recv_batch.ts).
    permissions: [...netReadEnv, "--allow-write", "--allow-sys", "--allow-ffi"],
    summary: "receive XRootD f-stream monitoring and index transfer documents",
    // Worker modules are loaded by URL, so a compiled binary has to be told to embed them.
    compileIncludes: ["collector/listen/listen_worker.ts", "collector/sink/output_worker.ts"],
  },
];

/**
 * Looks a tool up by its binary name.
 *
 * @example
 * ```ts
 * import { findTool } from "./tools.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(findTool("esmond-ps-get")?.entry, "cli/esmond_ps_get.ts");
 * ```
 */
export function findTool(name: string): ToolSpec | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

/** Absolute path of the repository root (the folder holding `deno.json`). */
export const REPO_ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The `deno run` argument list that starts a tool from source with exactly its permissions.
 *
 * @example
 * ```ts
 * import { denoRunArgs, findTool } from "./tools.ts";
 * const args = denoRunArgs(findTool("esmond-ps-get")!, ["--url", "http://127.0.0.1:8080"]);
 * ```
 */
export function denoRunArgs(tool: ToolSpec, toolArgs: readonly string[]): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--frozen",
    "--config",
    `${REPO_ROOT}/deno.json`,
    ...tool.permissions,
    ...(tool.runtimeFlags ?? []),
    `${REPO_ROOT}/${tool.entry}`,
    ...toolArgs,
  ];
}
