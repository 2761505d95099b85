/**
 * The shared test harness: free ports, temp folders, running tools as subprocesses, starting
 * child servers, the in-repo test data and the programs a test needs.
 *
 * @example
 * ```ts
 * import { freePort, runTool, tempDir } from "./mod.ts";
 * await using dir = await tempDir();
 * const port = freePort();
 * const result = await runTool("esmond-ps-get", ["--help"]);
 * ```
 *
 * @module
 */
export * from "./free_port.ts";
export * from "./temp_dir.ts";
export * from "./run_tool.ts";
export * from "./child_server.ts";
export * from "./assert.ts";
export * from "./programs.ts";
export * from "./test_data.ts";
export * from "./broker.ts";
