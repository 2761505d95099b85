/**
 * The frame every query tool runs in: validate the command line, set up logging, print the
 * notices, run, and turn failures into one clear stderr line and the project's exit statuses
 * (0 success, 1 usage/validation error, 2 archive unreachable or erroring, 3 partial bulk
 * failure).
 *
 * @module
 */
import { ArchiveHttpError } from "../../lib/esmond/mod.ts";
import { escapeControl, setupLogging } from "../../lib/log/mod.ts";
import { TextOutput } from "./output.ts";
import { type QueryOptions, type QueryProgram, validateQueryArgs } from "../options/validate.ts";

/** Exit statuses of the query tools. */
export const EXIT: Readonly<{ ok: 0; usage: 1; archive: 2; partial: 3 }> = Object.freeze({
  ok: 0,
  usage: 1,
  archive: 2,
  partial: 3,
});

/** What a tool body gets. */
export interface ToolRun {
  /** The validated options. */
  readonly options: QueryOptions;
  /** Buffered stdout. */
  readonly stdout: TextOutput;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function writeAll(file: { writeSync(b: Uint8Array): number }, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/**
 * Runs a query tool's `body` with its validated options and exits the process.
 *
 * @example
 * ```ts
 * import { runQueryTool } from "./frame.ts";
 * // if (import.meta.main) await runQueryTool("esmond-ps-get", Deno.args, async ({ stdout }) => 0);
 * ```
 */
export async function runQueryTool(
  program: QueryProgram,
  args: readonly string[],
  body: (run: ToolRun) => Promise<number>,
): Promise<never> {
  const validation = validateQueryArgs(program, args, {
    now: new Date(),
    cwd: Deno.cwd(),
    isDirectory,
  });
  if (validation.kind === "exit") {
    writeAll(Deno.stdout, validation.stdout);
    writeAll(Deno.stderr, escapeControl(validation.stderr, { keepNewlines: true }));
    Deno.exit(validation.code);
  }
  const { options, notices } = validation;
  await setupLogging({ verbose: options.verbose, quiet: options.quiet });
  const stdout = new TextOutput();
  stdout.write(notices);
  let code: number;
  try {
    code = await body({ options, stdout });
    stdout.flush();
  } catch (error) {
    try {
      stdout.flush();
    } catch {
      // stdout may be the broken pipe itself
    }
    if (error instanceof Deno.errors.BrokenPipe) Deno.exit(EXIT.ok);
    const message = error instanceof Error ? error.message : String(error);
    writeAll(Deno.stderr, `${program}: error: ${escapeControl(message)}\n`);
    Deno.exit(error instanceof ArchiveHttpError ? EXIT.archive : EXIT.usage);
  }
  Deno.exit(code);
}
