/**
 * The shared test harness: free ports, temp folders, running tools as subprocesses and starting
 * child servers.
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
export * from "./require_program.ts";
export * from "./broker.ts";
