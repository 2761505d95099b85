/**
 * The command line of `esmond-ps-pipe`: the original's options and defaults plus the new input,
 * spool and dry-run options.
 *
 * @module
 */
import { parseCommandLine, UsageError } from "../../lib/args/mod.ts";

/** Parsed options. */
export interface PipeOptions {
  /** Archive URL (`-U/--url`, default `http://localhost:8000`). */
  readonly url: string;
  /** `-u/--user`. */
  readonly user?: string;
  /** `-k/--key`. */
  readonly key?: string;
  /** `-s/--script_alias` (default `/`: the URL already holds the prefix). */
  readonly scriptAlias: string;
  /** `-v/--verbose`. */
  readonly verbose: boolean;
  /** `-q/--quiet`: errors only. */
  readonly quiet: boolean;
  /** `-l/--log_dir`: log to `<dir>/esmond-ps-pipe.log` instead of stderr. */
  readonly logDir?: string;
  /** `-f/--file`: read this file instead of stdin. */
  readonly file?: string;
  /** `--dry-run`: print what would be posted, post nothing. */
  readonly dryRun: boolean;
  /** `--spool DIR`: on a failed post, save the payload there. */
  readonly spool?: string;
  /** `--replay DIR`: post the payloads saved in DIR instead of reading input. */
  readonly replay?: string;
  /** `--input-source`: overrides/replaces bwctl's sender line. */
  readonly inputSource?: string;
  /** `--input-destination`: overrides/replaces bwctl's receiver line. */
  readonly inputDestination?: string;
  /** `--tool-name`: stored tool name (default `bwctl/<tool>`, or `iperf3` for plain JSON). */
  readonly toolName?: string;
  /** `--measurement-agent`: skip the routing-table lookup. */
  readonly measurementAgent?: string;
  /** `--timeout` seconds per HTTP attempt. */
  readonly timeoutSeconds?: number;
  /** `--retries` after the first attempt. */
  readonly retries?: number;
  /** `--insecure`: do not verify TLS certificates. */
  readonly insecure: boolean;
  /** `--ca-file`: extra CA certificates (PEM). */
  readonly caFile?: string;
  /** `-h/--help`. */
  readonly help: boolean;
}

export { UsageError } from "../../lib/args/mod.ts";

/** Text of `--help`. */
export const USAGE = `usage: esmond-ps-pipe -u USER -k KEY [options] < bwctl-or-iperf3-output

Store one bwctl (--parsable --verbose) or iperf3 -J result in an esmond archive:
  bwctl -c HOST -s HOST -T iperf3 --parsable --verbose |& esmond-ps-pipe -u USER -k KEY

options (original):
  -U, --url URL            archive URL, including /esmond (default http://localhost:8000)
  -u, --user USER          archive user (required with -k)
  -k, --key KEY            API key (Authorization: Token KEY)
  -s, --script_alias PATH  archive prefix after the URL (default /)
  -l, --log_dir DIR        log to DIR/esmond-ps-pipe.log instead of stderr
  -v, --verbose            more log lines
options (new):
  -f, --file FILE          read FILE instead of stdin
      --input-source H     sender, for plain iperf3 -J input (overrides bwctl's line)
      --input-destination H
                           receiver, for plain iperf3 -J input (overrides bwctl's line)
      --tool-name NAME     stored tool-name (default bwctl/<tool>; iperf3 for plain JSON)
      --measurement-agent A
                           stored measurement-agent (default: local address toward receiver)
      --dry-run            print the metadata and data as JSON, post nothing
      --spool DIR          if posting fails, save the result in DIR (exit 75)
      --replay DIR         post the results saved in DIR, removing each once stored
      --timeout SECONDS    per-request timeout (default 30)
      --retries N          retries of a failed request (default 3)
      --insecure           do not verify TLS certificates
      --ca-file FILE       trust the CA certificates in FILE
  -q, --quiet              log errors only
  -h, --help               this text
`;

function positiveNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${name} must be a non-negative number, got ${JSON.stringify(text)}`);
  }
  return value;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Parses and checks the command line. Throws {@linkcode UsageError} on a mistake.
 *
 * @example
 * ```ts
 * import { parsePipeArgs } from "./options.ts";
 * import assert from "node:assert/strict";
 * const options = await parsePipeArgs(["-u", "me", "-k", "secret"]);
 * assert.deepEqual(options.url, "http://localhost:8000");
 * ```
 */
export async function parsePipeArgs(args: readonly string[]): Promise<PipeOptions> {
  const { values } = parseCommandLine(args, {
    options: {
      url: { type: "string", short: "U", default: "http://localhost:8000" },
      user: { type: "string", short: "u" },
      key: { type: "string", short: "k" },
      script_alias: { type: "string", short: "s", default: "/" },
      "script-alias": { type: "string" },
      verbose: { type: "boolean", short: "v", default: false },
      quiet: { type: "boolean", short: "q", default: false },
      log_dir: { type: "string", short: "l" },
      "log-dir": { type: "string" },
      file: { type: "string", short: "f" },
      "dry-run": { type: "boolean", default: false },
      spool: { type: "string" },
      replay: { type: "string" },
      "input-source": { type: "string" },
      "input-destination": { type: "string" },
      "tool-name": { type: "string" },
      "measurement-agent": { type: "string" },
      timeout: { type: "string" },
      retries: { type: "string" },
      insecure: { type: "boolean", default: false },
      "ca-file": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const options: PipeOptions = {
    url: values.url,
    user: values.user,
    key: values.key,
    scriptAlias: values["script-alias"] ?? values.script_alias,
    verbose: values.verbose,
    quiet: values.quiet,
    logDir: values["log-dir"] ?? values.log_dir,
    file: values.file,
    dryRun: values["dry-run"],
    spool: values.spool,
    replay: values.replay,
    inputSource: values["input-source"],
    inputDestination: values["input-destination"],
    toolName: values["tool-name"],
    measurementAgent: values["measurement-agent"],
    timeoutSeconds: positiveNumber("timeout", values.timeout),
    retries: positiveNumber("retries", values.retries),
    insecure: values.insecure,
    caFile: values["ca-file"],
    help: values.help,
  };
  if (options.help) return options;
  if (!options.dryRun && (!options.user || !options.key)) {
    throw new UsageError("both --user and --key args are required.");
  }
  if (options.replay !== undefined && (options.file !== undefined || options.dryRun)) {
    throw new UsageError("--replay cannot be combined with --file or --dry-run");
  }
  if (options.logDir !== undefined && !await isDirectory(options.logDir)) {
    throw new UsageError(`--log_dir ${options.logDir} is not an existing directory`);
  }
  if (options.replay !== undefined && !await isDirectory(options.replay)) {
    throw new UsageError(`--replay ${options.replay} is not an existing directory`);
  }
  return options;
}
