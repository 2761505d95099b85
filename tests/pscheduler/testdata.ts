/**
 * The pScheduler run results of `testdata/pscheduler/` with their request context
 * (`requests.json`): headers, offline name table, esmond archiver data.
 *
 * @module
 */
import { testDataPath } from "../harness/test_data.ts";
import { parseJson } from "../../lib/pscheduler/json_value.ts";
import { type NameResolver, parseNameTable, tableResolver } from "../../lib/pscheduler/resolver.ts";

/** Folder of the bodies. */
export const PSCHEDULER_DATA: string = testDataPath("pscheduler").replace(/\/$/, "");

/** One body and its context. */
export interface RunCase {
  /** File stem, e.g. `rtt-ping`. */
  readonly name: string;
  /** Path of the body file. */
  readonly file: string;
  /** Body text as sent. */
  readonly text: string;
  /** Parsed body. */
  readonly body: unknown;
  /** Request headers pScheduler sends. */
  readonly headers: Record<string, string>;
  /** The offline name table (may be empty). */
  readonly names: { forward?: Record<string, unknown>; reverse?: Record<string, string> };
  /** Offline resolver over that table. */
  readonly resolver: NameResolver;
  /** The esmond archiver's measurement-agent. */
  readonly measurementAgent: string;
}

/** Every case, in requests.json order. */
export function runCases(): RunCase[] {
  const requests = JSON.parse(Deno.readTextFileSync(`${PSCHEDULER_DATA}/requests.json`));
  return Object.entries(requests).map(([name, r]) => {
    const req = r as {
      headers: Record<string, string>;
      dns?: RunCase["names"];
      "esmond-archiver-data": { "measurement-agent": string };
    };
    const file = `${PSCHEDULER_DATA}/${name}.json`;
    const text = Deno.readTextFileSync(file);
    const names = req.dns ?? {};
    return {
      name,
      file,
      text,
      body: parseJson(text),
      headers: req.headers,
      names,
      resolver: tableResolver(parseNameTable(names)),
      measurementAgent: req["esmond-archiver-data"]["measurement-agent"],
    };
  });
}
