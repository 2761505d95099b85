/**
 * Builds http-archiver bodies shaped like pScheduler's (spec §1.3: `id`, `schedule`, `test`,
 * `tool`, `run`, `task`, `participants`, `result`, `reference`), for tests that need a test
 * type or a result the samples of `testdata/pscheduler/` do not have.
 *
 * @module
 */
import { logstashDocument, type NameResolver, OFFLINE_RESOLVER } from "../../lib/pscheduler/mod.ts";

/** What a test changes in the envelope. */
export interface BodyParts {
  /** `test.type`. */
  readonly type: string;
  /** `test.spec` (raw, ISO durations as strings). */
  readonly spec: Record<string, unknown>;
  /** `tool.name`. */
  readonly tool: string;
  /** The merged result (`result`). */
  readonly result?: unknown;
  /** `task.schedule` (default `{"slip": "PT5M"}`). */
  readonly taskSchedule?: unknown;
  /** `participants` (default the one host that ran it). */
  readonly participants?: unknown[];
  /** `reference` (default null). */
  readonly reference?: unknown;
}

const TASK = "https://ps1.example.net/pscheduler/tasks/4f6b3c1e-9f5e-4c3a-8a5e-2f1c0d9b7a61";
const RUN = `${TASK}/runs/0b7e2d44-51a3-4c8e-9d2f-6a1b3c5d7e90`;

/** A body for one run, with the envelope pScheduler's archiver daemon writes. */
export function runBody(parts: BodyParts): Record<string, unknown> {
  return {
    id: "0b7e2d44-51a3-4c8e-9d2f-6a1b3c5d7e90",
    schedule: { start: "2026-07-27T06:02:10+00:00", duration: "PT20S" },
    test: { type: parts.type, spec: parts.spec },
    tool: { name: parts.tool, version: "1.0" },
    run: {
      added: "2026-07-27T06:02:05+00:00",
      state: "finished",
      "state-display": "Finished",
      errors: null,
      duration: "PT12S",
      "start-time": "2026-07-27T06:02:10+00:00",
      "end-time": "2026-07-27T06:02:22+00:00",
      priority: null,
      "limit-diags": "",
      participant: 0,
      participants: ["ps1.example.net"],
      "result-full": [parts.result ?? null],
      "result-merged": parts.result ?? null,
      href: RUN,
      "task-href": TASK,
    },
    task: {
      test: { type: parts.type, spec: parts.spec },
      tool: parts.tool,
      schedule: parts.taskSchedule ?? { slip: "PT5M" },
      detail: {
        added: "2026-07-27T06:00:00+00:00",
        anytime: false,
        duration: "PT20S",
        enabled: true,
        exclusive: false,
        "multi-result": false,
        participant: 0,
        participants: ["ps1.example.net"],
        runs: 3,
        "runs-started": 3,
        slip: "PT5M",
        start: "2026-07-27T06:00:00+00:00",
      },
      href: TASK,
    },
    participants: parts.participants ?? ["ps1.example.net"],
    result: parts.result ?? null,
    reference: parts.reference ?? null,
  };
}

/** The task and run hrefs every {@linkcode runBody} carries. */
export const HREFS = { task: TASK, run: RUN } as const;

// deno-lint-ignore no-explicit-any
type Json = any;

/**
 * The document Logstash would index for `body` (plain JSON: floats compare as numbers), with
 * the observer header `192.0.2.9` unless told otherwise.
 */
export async function documentOf(
  body: unknown,
  options: { observer?: string; resolver?: NameResolver } = {},
): Promise<{ index: string; doc: Json; text: string }> {
  const out = await logstashDocument(body, {
    observer: "observer" in options ? options.observer : "192.0.2.9",
    resolver: options.resolver ?? OFFLINE_RESOLVER,
    clientAddress: "127.0.0.1",
  });
  const text = JSON.stringify(out.document);
  return { index: out.index, doc: JSON.parse(text), text };
}
