/**
 * `esmond-ps-archive pscheduler-doc`: prints, per pScheduler http-archiver body, the document
 * perfSONAR's Logstash would index, or (`--esmond`) what pScheduler's esmond archiver would
 * send.
 *
 * ```
 * esmond-ps-archive pscheduler-doc [--observer ADDR] [--names FILE] [--offline]
 *                                  [--esmond [--measurement-agent ADDR]] FILE…
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { systemResolver } from "../../lib/archive/name_service.ts";
import {
  esmondView,
  isObject,
  logstashDocument,
  type NameResolver,
  type NameTable,
  parseJson,
  parseNameTable,
  tableResolver,
} from "../../lib/pscheduler/mod.ts";

/** Usage text of the command. */
export const PSCHEDULER_DOC_USAGE =
  `usage: esmond-ps-archive pscheduler-doc [--observer ADDR] [--names FILE] [--offline]
                                        [--esmond [--measurement-agent ADDR]] FILE...
  prints one JSON line per body: {"index": "pscheduler_<type>", "document": {...}} as
  perfSONAR's Logstash would index it, or with --esmond {"metadata": ..., "data": ...}
  as pScheduler's esmond archiver would send it.
  --observer ADDR          the x-ps-observer header the http archiver sent
  --names FILE             name table {"forward": {name: {"ipv4": [], "ipv6": []}}, "reverse": {addr: name}}
  --offline                no name service: literals only, names through --names, no reverse names
  --measurement-agent ADDR the esmond archiver's measurement-agent`;

/** A wrong command line (exit 2). */
export class DocUsageError extends Error {}

/** Where the command writes. */
export interface DocIo {
  /** One output line (without newline). */
  readonly out: (line: string) => void;
  /** One error line. */
  readonly err: (line: string) => void;
  /** Reads a file as text. */
  readonly readFile: (path: string) => Promise<string>;
  /** Receipt time for `@timestamp` (default now). */
  readonly now?: () => Date;
}

const DEFAULT_IO: DocIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  readFile: (path) => Deno.readTextFile(path),
};

function oneLine(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

async function loadNames(path: string, io: DocIo): Promise<NameTable> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new Error(`cannot read --names ${path}: ${(error as Error).message}`);
  }
  try {
    return parseNameTable(JSON.parse(text));
  } catch (error) {
    throw new Error(`--names ${path}: ${(error as Error).message}`);
  }
}

/**
 * Runs the command; resolves to the exit status (0, or 1 when an input was bad).
 * Throws {@linkcode DocUsageError} for a wrong command line.
 *
 * @example
 * ```ts
 * import { pschedulerDoc } from "./doc_command.ts";
 * const lines: string[] = [];
 * const status = await pschedulerDoc(["--offline", "body.json"], {
 *   out: (l) => lines.push(l),
 *   err: () => {},
 *   readFile: () => Promise.resolve('{"test":{"type":"rtt","spec":{"dest":"192.0.2.1"}}}'),
 * });
 * status; // 0
 * JSON.parse(lines[0]).index; // "pscheduler_rtt"
 * ```
 */
export async function pschedulerDoc(args: string[], io: DocIo = DEFAULT_IO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        observer: { type: "string" },
        names: { type: "string" },
        offline: { type: "boolean", default: false },
        esmond: { type: "boolean", default: false },
        "measurement-agent": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new DocUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(PSCHEDULER_DOC_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new DocUsageError("pscheduler-doc needs at least one FILE");
  if (values["measurement-agent"] !== undefined && !values.esmond) {
    throw new DocUsageError("--measurement-agent goes with --esmond");
  }
  let table: NameTable = {};
  try {
    if (values.names !== undefined) table = await loadNames(values.names, io);
  } catch (error) {
    io.err(`esmond-ps-archive: ${oneLine((error as Error).message)}`);
    return 1;
  }
  const resolver: NameResolver = values.offline
    ? tableResolver(table)
    : tableResolver(table, { fallback: systemResolver() });
  const oneBody = async (one: unknown): Promise<string> => {
    if (values.esmond) {
      const view = await esmondView(one, {
        resolver,
        measurementAgent: values["measurement-agent"],
      });
      return JSON.stringify({ metadata: view.metadata, data: view.data });
    }
    const { index, document } = await logstashDocument(one, {
      observer: values.observer,
      resolver,
      receivedAt: io.now?.(),
    });
    return JSON.stringify({ index, document });
  };
  let status = 0;
  for (const file of positionals) {
    try {
      let text: string;
      try {
        text = await io.readFile(file);
      } catch (error) {
        throw new Error(`cannot read it: ${(error as Error).message}`);
      }
      if (text.trim() === "") throw new Error("the file is empty (no JSON body)");
      let body: unknown;
      try {
        body = parseJson(text);
      } catch (error) {
        throw new Error(`not JSON: ${(error as Error).message}`);
      }
      const bodies = Array.isArray(body) ? body : [body];
      if (bodies.length === 0) throw new Error("an empty JSON array holds no run");
      const lines: string[] = [];
      for (const [i, one] of bodies.entries()) {
        // Logstash makes one event of each element of a list: say which one is wrong.
        const where = Array.isArray(body) ? `element ${i + 1} of ${bodies.length}: ` : "";
        if (!isObject(one)) {
          const what = one === null ? "null" : Array.isArray(one) ? "a list" : `a ${typeof one}`;
          throw new Error(`${where}the body is ${what}, not a JSON object (Logstash drops it)`);
        }
        try {
          lines.push(await oneBody(one));
        } catch (error) {
          throw new Error(`${where}${(error as Error).message}`);
        }
      }
      for (const line of lines) io.out(line);
    } catch (error) {
      io.err(`esmond-ps-archive: ${oneLine(file)}: ${oneLine((error as Error).message)}`);
      status = 1;
    }
  }
  return status;
}
