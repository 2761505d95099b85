/**
 * The search sink's command-line options (beyond the original's `-s`, `-i`, `-t`), their help
 * text, and their conversion into {@linkcode SearchSinkOptions}. Secrets come from a file or the
 * environment, never from the command line, so they do not show in the process list.
 *
 * @module
 */
import type { BackendKind, Credentials } from "./backend.ts";
import { checkIndexPattern, DEFAULT_INDEX_PATTERN } from "./index_name.ts";
import type { SearchSinkOptions } from "./search_sink.ts";
import { DEFAULT_BULK_MAX_BYTES } from "./deliver.ts";

/** `node:util` parseArgs specs of the search options, to merge into the collector's. */
export const SEARCH_ARG_SPEC = {
  backend: { type: "string" },
  index: { type: "string" },
  "no-template": { type: "boolean" },
  replicas: { type: "string" },
  "batch-size": { type: "string" },
  "bulk-max-bytes": { type: "string" },
  "spool-dir": { type: "string" },
  "spool-max-bytes": { type: "string" },
  "dead-letter": { type: "string" },
  "ca-file": { type: "string" },
  user: { type: "string" },
  "password-file": { type: "string" },
  "api-key-file": { type: "string" },
  "lookup-timeout": { type: "string" },
  "request-timeout": { type: "string" },
} as const;

/** Help lines for the search options. */
export const SEARCH_USAGE = `Search engine options (with -s):
  --backend=KIND        elasticsearch | opensearch (default: ask the server, GET /)
  --index=PATTERN       index name, %Y %m %d %H from each document's @timestamp
                        (default ${DEFAULT_INDEX_PATTERN})
  --no-template         don't install the index template at start-up
  --replicas=N          replicas in the index template (default 1)
  --batch-size=N        documents per bulk request; a full batch is sent at once (default 5000)
  --bulk-max-bytes=N    a bulk request is cut at about N bytes of documents (default 2097152)
  --spool-dir=DIR       durable spool for documents waiting for the cluster (recommended)
  --spool-max-bytes=N   spool bound, oldest documents dropped past it (default 1073741824)
  --dead-letter=FILE    where rejected documents go (default SPOOL_DIR/dead_letters.ndjson)
  --ca-file=FILE        PEM CA certificates to trust for https servers
  --user=NAME           basic-auth user; password from --password-file or XRD_SEARCH_PASSWORD
  --password-file=FILE  file holding the basic-auth password
  --api-key-file=FILE   file holding an API key (or XRD_SEARCH_API_KEY)
  --lookup-timeout=S    older-events lookup timeout in seconds (default 1)
  --request-timeout=S   bulk request timeout in seconds (default 30)
`;

/** A mistake in the search options; the message is one line naming it. */
export class SearchOptionError extends Error {
  override name = "SearchOptionError";
}

/** Raw values as parseArgs returns them for {@linkcode SEARCH_ARG_SPEC}. */
export type SearchArgValues = {
  readonly [K in keyof typeof SEARCH_ARG_SPEC]?: (typeof SEARCH_ARG_SPEC)[K]["type"] extends
    "boolean" ? boolean : string;
};

/** What {@linkcode searchSinkOptions} combines. */
export interface SearchOptionInput {
  /** `-s` URLs. */
  readonly servers: readonly string[];
  /** `-i`. */
  readonly insecure: boolean;
  /** `-t`, seconds. */
  readonly time: number;
  /** The search options' raw values. */
  readonly values: SearchArgValues;
  /** Environment lookup (default `Deno.env.get`). */
  readonly env?: (name: string) => string | undefined;
}

function number(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) {
    throw new SearchOptionError(`--${name} must be a number ≥ ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

async function readSecret(option: string, path: string): Promise<string> {
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (error) {
    throw new SearchOptionError(`--${option} ${path}: ${(error as Error).message}`);
  }
}

/**
 * Checks the search options and turns them into sink options (reads CA and secret files).
 * Throws {@linkcode SearchOptionError} with one clear line on a mistake.
 *
 * @example
 * ```ts
 * import { searchSinkOptions } from "./options.ts";
 * import assert from "node:assert/strict";
 * const options = await searchSinkOptions({
 *   servers: ["http://127.0.0.1:9200"],
 *   insecure: false,
 *   time: 10,
 *   values: { "spool-dir": "/var/spool/xrootd-fstream-collector" },
 * });
 * assert.deepEqual(options.flushIntervalMs, 10000);
 * ```
 */
export async function searchSinkOptions(input: SearchOptionInput): Promise<SearchSinkOptions> {
  const v = input.values;
  const env = input.env ?? ((name: string) => Deno.env.get(name));
  for (const server of input.servers) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new SearchOptionError(`-s ${server}: not a URL (expected http(s)://HOST:PORT)`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new SearchOptionError(`-s ${server}: only http:// and https:// are supported`);
    }
  }
  let backend: BackendKind | undefined;
  if (v.backend !== undefined) {
    if (v.backend !== "elasticsearch" && v.backend !== "opensearch") {
      throw new SearchOptionError(
        `--backend must be elasticsearch or opensearch, got ${JSON.stringify(v.backend)}`,
      );
    }
    backend = v.backend;
  }
  const indexPattern = v.index ?? DEFAULT_INDEX_PATTERN;
  const problem = checkIndexPattern(indexPattern);
  if (problem) throw new SearchOptionError(problem);

  let credentials: Credentials | undefined;
  const apiKey = v["api-key-file"] !== undefined
    ? await readSecret("api-key-file", v["api-key-file"])
    : env("XRD_SEARCH_API_KEY");
  if (v.user !== undefined) {
    const password = v["password-file"] !== undefined
      ? await readSecret("password-file", v["password-file"])
      : env("XRD_SEARCH_PASSWORD");
    if (password === undefined || password === "") {
      throw new SearchOptionError("--user needs --password-file or XRD_SEARCH_PASSWORD");
    }
    credentials = { username: v.user, password };
  } else if (apiKey !== undefined && apiKey !== "") {
    credentials = { apiKey };
  }
  const ca = v["ca-file"] !== undefined ? await readSecret("ca-file", v["ca-file"]) : undefined;

  return {
    connection: {
      servers: input.servers,
      insecure: input.insecure,
      ca,
      credentials,
      requestTimeoutMs: number("request-timeout", v["request-timeout"], 30, 0.1) * 1000,
    },
    backend,
    indexPattern,
    template: !v["no-template"],
    replicas: number("replicas", v.replicas, 1, 0),
    flushIntervalMs: input.time * 1000,
    batchSize: Math.floor(number("batch-size", v["batch-size"], 5000, 1)),
    bulkMaxBytes: Math.floor(
      number("bulk-max-bytes", v["bulk-max-bytes"], DEFAULT_BULK_MAX_BYTES, 1024),
    ),
    spoolDir: v["spool-dir"],
    spoolMaxBytes: number("spool-max-bytes", v["spool-max-bytes"], 1 << 30, 1024),
    deadLetterPath: v["dead-letter"],
    lookupTimeoutMs: number("lookup-timeout", v["lookup-timeout"], 1, 0.01) * 1000,
  };
}
