/**
 * Test helper: an archive loaded with esmond's fixtures from `testdata/esmond/` through the
 * real `esmond-ps-archive import` command.
 *
 * @module
 */
import { runTool, type TempDir, tempDir } from "../harness/mod.ts";
import { startArchive, type TestArchive } from "../archive_server.ts";
import { testDataUrl } from "../harness/test_data.ts";

/** The esmond sample data folder, `testdata/esmond/`. */
export const ESMOND_DATA: URL = testDataUrl("esmond");

/** The metadata fixture used by esmond's REST tests (16 metadata). */
export const API_FIXTURE = ["perfsonar_api_metadata.json"];

/** The client fixtures: 2 metadata and their time series. */
export const CLIENT_FIXTURES = [
  "perfsonar_client_metadata.json",
  "throughput_data.json",
  "histogram_owdelay_daily_data.json",
  "histogram_owdelay_minute_data.json",
  "histogram_ttl_data.json",
  "packet_count_lost_data.json",
  "packet_count_sent_data.json",
  "packet_duplicates_data.json",
];

/** An archive over a temp database holding the given fixture files. */
export interface FixtureArchive extends AsyncDisposable {
  /** The running archive. */
  readonly archive: TestArchive;
}

/**
 * Imports `files` (names inside the esmond data folder) and starts an archive on them.
 *
 * @example
 * ```ts
 * import { API_FIXTURE, startFixtureArchive } from "./fixture_archive.ts";
 * await using fx = await startFixtureArchive(API_FIXTURE);
 * ```
 */
export async function startFixtureArchive(files: readonly string[]): Promise<FixtureArchive> {
  const dir: TempDir = await tempDir("esmond-fixtures-");
  const dbPath = `${dir.path}/fixtures.sqlite`;
  const paths = files.map((f) => new URL(f, ESMOND_DATA).pathname);
  const imported = await runTool("esmond-ps-archive", ["import", "--db", dbPath, ...paths]);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const archive = await startArchive({ dbPath });
  return {
    archive,
    async [Symbol.asyncDispose]() {
      await archive[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}
