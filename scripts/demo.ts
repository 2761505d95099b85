/**
 * `deno task demo`: the main job on embedded defaults. Starts an embedded archive on a temporary
 * database, seeds it with demo measurements and tours the query tools against it.
 *
 * @module
 */
import { TOOLS } from "./tools.ts";

console.log("esmond perfSONAR client tools and xrootd-fstream-collector");
console.log("tools (run any with `deno task tool NAME --help`):");
for (const tool of TOOLS) console.log(`  ${tool.name.padEnd(26)} ${tool.summary}`);
