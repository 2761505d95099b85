/**
 * Command-line options with the original's names, defaults and validation messages (optparse
 * style: `Usage: …` and `<prog>: error: <message>` on stderr, exit status 2).
 *
 * @module
 */
import { parseCommandLine } from "../../lib/args/mod.ts";
import { normalize } from "node:path";

/** Program name used in usage and error lines. */
export const PROG = "esmond-ps-load-gridftp";

/** The usage line, as the original prints it. */
export const USAGE = `Usage: ${PROG} [ -f filename | -v ]`;

/** Parsed options of one run. */
export interface LoaderOptions {
  /** The log to read (normalised path). */
  readonly file: string;
  /** The state file (normalised path). */
  readonly statePath: string;
  /** Where the rotated log is, when not `<file>.1`. */
  readonly rotated?: string;
  /** Save the state at the end (`-d` turns it off). */
  readonly writeState: boolean;
  /** `-S`: one transfer, then stop. */
  readonly single: boolean;
  /** `-D`: delete the state file at the end. */
  readonly deleteState: boolean;
  /** `-l`: folder of the program log; stderr when absent. */
  readonly logDir?: string;
  /** `-U`: archive URL including any mount prefix. */
  readonly url: string;
  /** `-u`: user name (only decides whether credentials are sent). */
  readonly user: string;
  /** `-k`: API key. */
  readonly key: string;
  /** `-s`: path prefix before `perfsonar/archive`. */
  readonly scriptAlias: string;
  /** `-F`, `-N`, `-V`. */
  readonly sensitive: { readonly file: boolean; readonly user: boolean; readonly volume: boolean };
  /** `-v` count (accepted; more detail in the program log). */
  readonly verbose: number;
  /** Progress lines every 100 records (`-P` turns them off). */
  readonly progress: boolean;
  /** `-J`: the JSON log format. */
  readonly json: boolean;
  /** Records posted per batch before the state advances. */
  readonly batchSize: number;
  /** Skip TLS verification (explicit opt-in). */
  readonly insecure: boolean;
  /** Extra CA bundle for TLS. */
  readonly caFile?: string;
}

/** The outcome of parsing: options, a help request, or an option error (exit 2). */
export type ParsedOptions =
  | { readonly kind: "ok"; readonly options: LoaderOptions }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "error"; readonly message: string };

/** The `--help` text. */
export const HELP = `${USAGE}

Options:
  -h, --help            show this help message and exit
  -f FILE, --file=FILE  Input filename.
  -p FILE, --pickle_file=FILE, --pickle=FILE
                        Path to the state file (./load_grid_ftp.pickle or
                        ./load_grid_ftp.json.pickle); written as JSON.
  -d, --dont_write      Do not write the state file.
  -S, --single          Only load a single record - used for development.
  -D, --delete_state    Delete state file from disc after concluding run.
  -l DIR, --log_dir=DIR
                        Append log output to DIR/esmond-ps-load-gridftp.log
                        instead of stderr.
  -U ESMOND_REST_URL, --url=ESMOND_REST_URL
                        URL for the REST API (default=http://localhost:8000).
  -u USER, --user=USER  POST interface username.
  -k API_KEY, --key=API_KEY
                        API key for POST operation.
  -s URI_PREFIX, --script_alias=URI_PREFIX
                        Set the script_alias arg if the perfsonar API is
                        configured to use one (default=/ which means none set).
  -F, --file_attr       Include the gridftp file information.
  -N, --name_attr       Include the gridftp user (name) information.
  -V, --volume_attr     Include the gridftp volume information.
  -v, --verbose         Verbose output - -v, -vv, etc.
  -P, --no-progress     Suppress processing progress messages.
  -J, --json            Read JSON formatted GridFTP logs.
  --rotated=FILE        The rotated log to finish first (default FILE.1).
  --batch-size=N        Records stored per batch before the state advances (default 2000).
  --insecure            Do not verify the archive's TLS certificate.
  --ca-file=FILE        Extra CA certificates (PEM) for the archive's TLS.
`;

/**
 * Python's `os.path.normpath` for the cases that matter here (no trailing slash, `.` folded).
 *
 * @example
 * ```ts
 * import { normPath } from "./options.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(normPath("./load_grid_ftp.pickle"), "load_grid_ftp.pickle");
 * ```
 */
export function normPath(path: string): string {
  const normal = normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, "") : normal;
}

function optparseMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(text);
  if (unknown) return `no such option: ${unknown[1]}`;
  const missing = /Option '(-\w)?,? ?(--[\w-]+)?[^']*' argument missing/.exec(text);
  if (missing) return `${missing[1] ?? missing[2]} option requires 1 argument`;
  return text.split("\n")[0];
}

/**
 * Parses the command line. Validation follows the original's order: the log folder, then the
 * file name, then the file's existence.
 *
 * @example
 * ```ts
 * import { parseOptions } from "./options.ts";
 * import assert from "node:assert/strict";
 * const parsed = parseOptions([]);
 * assert.deepEqual(parsed.kind, "error"); // Filename is required.
 * ```
 */
export function parseOptions(args: readonly string[]): ParsedOptions {
  let values;
  try {
    ({ values } = parseCommandLine(args, {
      allowPositionals: true,
      options: {
        "help": { type: "boolean", short: "h" },
        "file": { type: "string", short: "f" },
        "pickle_file": { type: "string", short: "p" },
        "pickle": { type: "string" },
        "dont_write": { type: "boolean", short: "d" },
        "single": { type: "boolean", short: "S" },
        "delete_state": { type: "boolean", short: "D" },
        "log_dir": { type: "string", short: "l" },
        "url": { type: "string", short: "U" },
        "user": { type: "string", short: "u" },
        "key": { type: "string", short: "k" },
        "script_alias": { type: "string", short: "s" },
        "file_attr": { type: "boolean", short: "F" },
        "name_attr": { type: "boolean", short: "N" },
        "volume_attr": { type: "boolean", short: "V" },
        "verbose": { type: "boolean", short: "v", multiple: true },
        "no-progress": { type: "boolean", short: "P" },
        "json": { type: "boolean", short: "J" },
        "rotated": { type: "string" },
        "batch-size": { type: "string" },
        "insecure": { type: "boolean" },
        "ca-file": { type: "string" },
      },
    }));
  } catch (error) {
    return { kind: "error", message: optparseMessage(error) };
  }
  if (values.help) return { kind: "help", text: HELP };
  let logDir: string | undefined;
  if (values.log_dir) {
    logDir = normPath(values.log_dir);
    if (!exists(logDir)) return { kind: "error", message: `${logDir} log path does not exist.` };
  }
  if (!values.file) return { kind: "error", message: "Filename is required." };
  const file = normPath(values.file);
  if (!exists(file)) return { kind: "error", message: `${file} does not exist` };
  const json = values.json ?? false;
  const pickle = values.pickle_file ?? values.pickle;
  const statePath = normPath(
    pickle ? pickle : json ? "./load_grid_ftp.json.pickle" : "./load_grid_ftp.pickle",
  );
  const batchSize = values["batch-size"] === undefined ? 2000 : Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    return { kind: "error", message: "--batch-size must be a positive integer" };
  }
  return {
    kind: "ok",
    options: {
      file,
      statePath,
      rotated: values.rotated === undefined ? undefined : normPath(values.rotated),
      writeState: !values.dont_write,
      single: values.single ?? false,
      deleteState: values.delete_state ?? false,
      logDir,
      url: values.url ?? "http://localhost:8000",
      user: values.user ?? "",
      key: values.key ?? "",
      scriptAlias: values.script_alias ?? "/",
      sensitive: {
        file: values.file_attr ?? false,
        user: values.name_attr ?? false,
        volume: values.volume_attr ?? false,
      },
      verbose: values.verbose?.length ?? 0,
      progress: !values["no-progress"],
      json,
      batchSize,
      insecure: values.insecure ?? false,
      caFile: values["ca-file"],
    },
  };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
