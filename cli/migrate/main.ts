/**
 * `esmond-ps-migrate`: wiring of options, source, target, state and the run loop; exit
 * statuses 0 (all migrated), 1 (usage or unusable input), 2 (source or target unreachable),
 * 3 (finished with series not migrated or documents refused), 130 (interrupted).
 *
 * @module
 */
import { ArchiveHttpError } from "../../lib/esmond/mod.ts";
import { getLogger, setupLogging } from "../../lib/log/mod.ts";
import { searchFilters } from "../query/client.ts";
import { DryRunTarget } from "./dry_run_target.ts";
import { MIGRATE_PROGRAM, type MigrateOptions, validateMigrateArgs } from "./options.ts";
import { OpenSearchTarget } from "./opensearch_target.ts";
import { installPschedulerTemplate } from "../../lib/opensearch/mod.ts";
import { MigrateProgress } from "./progress.ts";
import { RateLimiter } from "./rate.ts";
import { reportText } from "./report.ts";
import { migrate } from "./run.ts";
import { openSource } from "./source.ts";
import { MigrationState } from "./state.ts";
import type { DocumentTarget } from "./target.ts";
import { ArchiveTarget } from "./archive_target.ts";

const encoder = new TextEncoder();
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;
const stderr = (text: string) => Deno.stderr.writeSync(encoder.encode(text));

async function openTarget(options: MigrateOptions): Promise<DocumentTarget> {
  if (options.dryRun) return new DryRunTarget();
  const to = options.to!;
  if (to.startsWith("archive+")) {
    return new ArchiveTarget({
      url: to.slice("archive+".length),
      timeoutMs: options.timeoutMs,
      authorization: options.token === undefined ? undefined : `Token ${options.token}`,
    });
  }
  const target = new OpenSearchTarget({
    url: to,
    insecure: options.insecure,
    timeoutMs: options.timeoutMs,
  });
  if (!options.noTemplate) await installPschedulerTemplate(target.client);
  return target;
}

/**
 * Runs the tool with `args` and returns the exit status.
 *
 * @example
 * ```ts
 * import { runMigrate } from "./main.ts";
 * // Deno.exit(await runMigrate(Deno.args));
 * ```
 */
export async function runMigrate(args: readonly string[]): Promise<number> {
  const validation = validateMigrateArgs(args, new Date());
  if (validation.kind === "exit") {
    Deno.stdout.writeSync(encoder.encode(validation.stdout));
    stderr(validation.stderr);
    return validation.code;
  }
  const { options, notices } = validation;
  await setupLogging({ verbose: options.verbose, quiet: options.quiet });
  const log = getLogger(MIGRATE_PROGRAM);
  for (const notice of notices) log.warn(notice);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) Deno.exit(130);
    stderr(`\n${MIGRATE_PROGRAM}: interrupted, finishing the batches in flight (again to quit)\n`);
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const started = performance.now();
  let target: DocumentTarget | undefined;
  let state: MigrationState | undefined;
  try {
    await using opened = await openSource(options.from, options);
    target = await openTarget(options);
    state = await MigrationState.open(options.state, {
      from: opened.name,
      to: options.dryRun ? "--dry-run" : target.description,
    });
    const filters = searchFilters({
      source: options.source,
      destination: options.destination,
      agent: options.agent,
      eventType: options.eventType,
      tool: options.tool,
      summaryType: undefined,
      summaryWindow: 0,
      start: new Date(options.start * 1000),
      end: new Date(options.end * 1000),
      verbose: options.verbose,
      filters: options.filters,
    });
    const report = await migrate({
      source: opened.source,
      target,
      state,
      filters,
      concurrency: options.concurrency,
      batchSize: options.batchSize,
      rate: new RateLimiter(options.rate),
      progress: new MigrateProgress({ quiet: options.quiet }),
      signal: controller.signal,
    });
    if (!options.quiet || report.unmappedSeries.size > 0 || report.refused.length > 0) {
      await target.close();
      target = undefined;
      stderr(reportText(report, (performance.now() - started) / 1000));
    }
    if (report.interrupted) return 130;
    return report.unmappedSeries.size > 0 || report.refused.length > 0 ? 3 : 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    stderr(`${MIGRATE_PROGRAM}: error: ${message.replace(CONTROL, " ")}\n`);
    const unreachable = error instanceof ArchiveHttpError || message.startsWith("bulk write to ") ||
      /connect|ECONNREFUSED|timed out/i.test(message);
    return unreachable ? 2 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await target?.close().catch(() => {});
    state?.close();
  }
}
