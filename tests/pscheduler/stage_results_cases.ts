/**
 * What several `stage_results_*_test.ts` files share: the parts of the expected hop checksum
 * (SHA-256 of a field prefix and the hop addresses) and a latency run on an owping-shaped result.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { documentOf, runBody } from "./run_body.ts";

/** Hex SHA-256 of the UTF-8 text. */
export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
/** What the hop checksum hashes before the inspected list of hop addresses. */
export const HOP_PREFIX = "|[@metadata][result][hop][ip]|";

/** A successful owping-shaped latency result, with `over` merged on top. */
export const latencyResult = (over: Record<string, unknown> = {}) => ({
  schema: 1,
  succeeded: true,
  "packets-sent": 100,
  "packets-received": 97,
  "packets-lost": 3,
  "packets-duplicated": 1,
  "packets-reordered": 2,
  "max-clock-error": 1.53,
  "histogram-latency": { "-1.5": 1, "-10.25": 1, "0.5": 2 },
  "histogram-ttl": { "64": 4 },
  ...over,
});
/** The document of a latency run (type and tool as given) with `result`. */
export const latency = (result: unknown, type = "latency", tool = "owping") =>
  documentOf(runBody({
    type,
    spec: { source: "192.0.2.4", dest: "192.0.2.1", "packet-count": 100 },
    tool,
    result,
  }));
