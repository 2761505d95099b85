/**
 * Where the real test inputs live: `testdata/<area>/` inside the repository (each area has a
 * README with the provenance of its files). Every test, benchmark and the demo reach them through
 * this module, never through relative `../../` paths or anything outside the repository.
 *
 * @module
 */

/** The areas of `testdata/`, one folder each. */
export type TestDataArea = "esmond" | "gridftp" | "pipe" | "pscheduler" | "xrootd";

/** The repository's `testdata/` folder, as a directory URL. */
export const TEST_DATA_ROOT: URL = new URL("../../testdata/", import.meta.url);

/**
 * URL of `testdata/<area>/<name>`; with `name` omitted, the area's folder (ending in `/`).
 *
 * @example
 * ```ts
 * import { testDataUrl } from "./test_data.ts";
 * import { assert } from "./assert.ts";
 * assert(testDataUrl("gridftp", "transfer.log").href.endsWith("/testdata/gridftp/transfer.log"));
 * assert(testDataUrl("pipe").href.endsWith("/testdata/pipe/"));
 * ```
 */
export function testDataUrl(area: TestDataArea, name = ""): URL {
  return new URL(`${area}/${name}`, TEST_DATA_ROOT);
}

/**
 * File-system path of `testdata/<area>/<name>` (or the area's folder, ending in `/`).
 *
 * @example
 * ```ts
 * import { testDataPath } from "./test_data.ts";
 * import { assert } from "./assert.ts";
 * assert(testDataPath("xrootd", "read_single.ndjson").endsWith("/testdata/xrootd/read_single.ndjson"));
 * ```
 */
export function testDataPath(area: TestDataArea, name = ""): string {
  return decodeURIComponent(testDataUrl(area, name).pathname);
}
