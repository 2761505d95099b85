/**
 * The migration itself: list the matching esmond metadata, and for each series (metadata) not
 * yet done read its base event types as parallel time-ordered streams, fold them by `ts` into
 * run documents, write them in shared bulk batches, and record the series as done once all its
 * documents are written. `--concurrency` series run at once.
 *
 * @module
 */
import type { ApiFilters, ArchiveSource, MetadataRecord, SeriesRef } from "../../lib/esmond/mod.ts";
import {
  metadataEventTypes,
  type MigratedDocument,
  runBody,
  runDocument,
  type SeriesTemplate,
  seriesTemplate,
  splitFailures,
} from "../../lib/pscheduler/esmond_run_document.ts";
import { mergeByTs, type TimedPoint } from "./merge.ts";
import type { MigrateProgress } from "./progress.ts";
import type { RateLimiter } from "./rate.ts";
import type { MigrationState } from "./state.ts";
import { Batcher, type DocumentTarget, type RefusedDocument } from "./target.ts";

/** What the end report says. */
export interface MigrationReport {
  /** Series matching the filters. */
  seriesTotal: number;
  /** Series skipped because the state file says they are done. */
  seriesSkipped: number;
  /** Series migrated in this run. */
  seriesMigrated: number;
  /** Run documents built. */
  runs: number;
  /** Documents created in the target. */
  created: number;
  /** Documents the target already had (a resumed run). */
  existed: number;
  /** esmond points folded into documents. */
  points: number;
  /** Series that could not be mapped, or failed: esmond key → reason. */
  unmappedSeries: Map<string, string>;
  /** Event types without a place in the documents: "type in pscheduler_<t>" → points lost. */
  unmappedEventTypes: Map<string, number>;
  /** What esmond could not tell (reason → series affected). */
  gaps: Map<string, number>;
  /** Documents refused by the target. */
  refused: RefusedDocument[];
  /** Whether the run was interrupted. */
  interrupted: boolean;
}

/** What {@linkcode migrate} works with. */
export interface MigrationContext {
  /** The esmond side. */
  readonly source: ArchiveSource;
  /** The perfSONAR 5 side. */
  readonly target: DocumentTarget;
  /** Done series. */
  readonly state: MigrationState;
  /** Metadata filters; their time window is applied to the data points. */
  readonly filters: ApiFilters;
  /** Series at once. */
  readonly concurrency: number;
  /** Documents per bulk request. */
  readonly batchSize: number;
  /** Points-per-second limiter. */
  readonly rate: RateLimiter;
  /** Progress display. */
  readonly progress: MigrateProgress;
  /** Stops starting series and reading. */
  readonly signal?: AbortSignal;
  /** Points per page (default {@linkcode DEFAULT_PAGE_SIZE}). */
  readonly pageSize?: number;
  /** Called after each finished series (tests use it). */
  readonly onSeriesDone?: (key: string) => void;
}

/**
 * Points per page and event type: with every event type of a series read at once (two pages
 * each in memory), this bounds the tool's memory whatever the series length.
 */
export const DEFAULT_PAGE_SIZE = 2000;

/** Event types that are never migrated as data (summaries are recomputed by readers). */
const SKIPPED = new Set<string>();

function bodyItem(
  template: SeriesTemplate,
  ts: number,
  values: ReadonlyMap<string, unknown>,
  variant?: string,
): MigratedDocument {
  const { body, observer, unmapped, id } = runBody(template, ts, values, variant);
  return { index: `pscheduler_${template.test.type}`, id, document: body, unmapped, observer };
}

async function* limited(
  pages: AsyncIterable<readonly TimedPoint[]>,
  rate: RateLimiter,
  progress: MigrateProgress,
): AsyncIterable<readonly TimedPoint[]> {
  for await (const page of pages) {
    await rate.take(page.length);
    progress.addPoints(page.length);
    yield page;
  }
}

async function migrateSeries(
  md: MetadataRecord,
  context: MigrationContext,
  batcher: Batcher,
  report: MigrationReport,
): Promise<void> {
  const key = String(md["metadata-key"]);
  const names = metadataEventTypes(md).filter((name) => !SKIPPED.has(name));
  if (names.length === 0) {
    report.unmappedSeries.set(key, "no event types");
    return;
  }
  const template = seriesTemplate(md);
  await context.target.describe?.(md);
  for (const gap of template.test.gaps) {
    const k = `pscheduler_${template.test.type}: ${gap}`;
    report.gaps.set(k, (report.gaps.get(k) ?? 0) + 1);
  }
  const streams = new Map<string, AsyncIterable<readonly TimedPoint[]>>();
  const list = md["event-types"] as Record<string, unknown>[];
  for (const name of names) {
    const entry = list.find((et) => et["event-type"] === name);
    const ref: SeriesRef = {
      metadataKey: key,
      uri: String(entry?.["base-uri"] ?? ""),
      eventType: name,
      summaryType: "base",
      summaryWindow: "0",
    };
    streams.set(
      name,
      limited(
        context.source.readSeries(ref, context.filters, {
          signal: context.signal,
          pageSize: context.pageSize ?? DEFAULT_PAGE_SIZE,
        }),
        context.rate,
        context.progress,
      ),
    );
  }
  const tickets = new Set<Promise<void>>();
  let newest: Promise<void> | undefined;
  for await (const fold of mergeByTs(streams)) {
    if (context.signal?.aborted) return;
    report.points += fold.values.size;
    for (const part of splitFailures(fold.values)) {
      const doc = context.target.takes === "body"
        ? bodyItem(template, fold.ts, part.values, part.variant)
        : runDocument(template, fold.ts, part.values, part.variant);
      report.runs++;
      for (const name of doc.unmapped) {
        const k = `${name} in ${doc.index}`;
        report.unmappedEventTypes.set(k, (report.unmappedEventTypes.get(k) ?? 0) + 1);
      }
      newest = (await batcher.add(doc)).ticket;
      tickets.add(newest);
    }
    if (tickets.size > 64) {
      // Settle older tickets so the set stays small on long series. Not the newest: its batch
      // may still be filling, with this series' next runs.
      tickets.delete(newest!);
      await Promise.all(tickets);
      tickets.clear();
      tickets.add(newest!);
    }
  }
  batcher.flushSoon();
  await Promise.all(tickets);
  if (context.signal?.aborted) return;
  await context.state.markDone(key);
  report.seriesMigrated++;
  context.progress.seriesDone();
  context.onSeriesDone?.(key);
}

/**
 * Runs the migration and returns its report. A series whose reading fails is reported and
 * left not done (a rerun tries it again); a target that stays unusable aborts the run.
 *
 * @example
 * ```ts
 * import { migrate } from "./run.ts";
 * // const report = await migrate({ source, target, rules, state, filters, ... });
 * ```
 */
export async function migrate(context: MigrationContext): Promise<MigrationReport> {
  const report: MigrationReport = {
    seriesTotal: 0,
    seriesSkipped: 0,
    seriesMigrated: 0,
    runs: 0,
    created: 0,
    existed: 0,
    points: 0,
    unmappedSeries: new Map(),
    unmappedEventTypes: new Map(),
    gaps: new Map(),
    refused: [],
    interrupted: false,
  };
  // The listing holds one small record per series (not its points).
  const pending: MetadataRecord[] = [];
  for await (const md of context.source.listMetadata(context.filters, { withTime: false })) {
    report.seriesTotal++;
    if (context.state.isDone(String(md["metadata-key"]))) report.seriesSkipped++;
    else pending.push(md);
  }
  context.progress.setTotal(pending.length);
  const batcher = new Batcher(context.target, {
    size: context.batchSize,
    inflight: Math.max(2, context.concurrency),
  });
  let fatal: unknown;
  let next = 0;
  const worker = async () => {
    while (next < pending.length && fatal === undefined && !context.signal?.aborted) {
      const md = pending[next++];
      try {
        await migrateSeries(md, context, batcher, report);
      } catch (error) {
        if (context.signal?.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        if (message.startsWith("bulk write to ")) {
          fatal ??= error;
          return;
        }
        report.unmappedSeries.set(String(md["metadata-key"]), `read failed: ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(context.concurrency, pending.length) }, worker));
  try {
    await batcher.drain();
  } catch (error) {
    fatal ??= error;
  }
  report.created = batcher.totals.created;
  report.existed = batcher.totals.existed;
  report.refused = batcher.totals.refused;
  report.interrupted = context.signal?.aborted ?? false;
  context.progress.done();
  if (fatal !== undefined) throw fatal;
  return report;
}
