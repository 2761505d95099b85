/**
 * `esmond-ps-archive` from command line to exit status: an embedded esmond-compatible measurement archive on SQLite.
 *
 * ```
 * esmond-ps-archive serve  --db FILE|:memory: [--host 127.0.0.1] [--port 8080] [--script-alias /esmond]
 *                          [--graphs auto|on|off]
 * esmond-ps-archive serve  --opensearch URL [--os-user U --os-password P | --os-api-key K]
 *                          [--os-ca FILE] [--os-cert FILE --os-key FILE] [--os-insecure] …
 * esmond-ps-archive token  add|list|revoke [USER] --db FILE
 * esmond-ps-archive import FILE… --db FILE
 * esmond-ps-archive seed   --demo --db FILE
 * esmond-ps-archive pscheduler-doc [--observer ADDR] [--names FILE] [--offline] [--esmond] FILE…
 * ```
 *
 * @module
 */
import { parseCommandLine, UsageError } from "../../lib/args/mod.ts";
import { escapeControl, getLogger, setupLogging } from "../../lib/log/mod.ts";
import {
  addToken,
  importJsonText,
  listTokens,
  openArchiveDb,
  revokeTokens,
  seedDemo,
  serveArchive,
} from "../../lib/archive/mod.ts";
import { shownUrl } from "../../lib/opensearch/connection.ts";
import { DocUsageError, pschedulerDoc } from "../pscheduler/doc_command.ts";
import { systemResolver } from "../../lib/archive/name_service.ts";
import { parseNameTable, tableResolver } from "../../lib/pscheduler/mod.ts";
import { usageMessage } from "../options/usage_message.ts";

const USAGE = `usage:
  esmond-ps-archive serve --db FILE|:memory: [--host 127.0.0.1] [--port 8080]
                          [--script-alias /esmond] [--max-body BYTES] [--new-token USER]
                          [--public-url URL] [--body-timeout SECONDS]
                          [--header-timeout SECONDS] [--idle-timeout SECONDS]
                          [--max-keys N] [--max-key-length N] [--max-value-length N]
                          [--max-event-types N]
                          (--public-url is the origin put in answers, default the
                          checked Host header; limits per metadata default to 256 keys,
                          keys of 256 and values of 8192 characters, 256 event types;
                          timeouts: body 30 s, headers 10 s, idle connection 120 s)
                          [--graphs auto|on|off]  (the graphs page at /graphs/; auto:
                          on when the host is a loopback address)
                          [--logstash-path /logstash]... [--no-logstash] [--logstash-anonymous]
                          [--names FILE] [--offline]
                          (pScheduler's http archiver posts run results to --logstash-path,
                          default /logstash, with the same token as the write API; --names
                          and --offline set the name service of that ingest)
                          (--new-token prints a fresh token for USER on stdout: the way
                          to write to a :memory: archive)
  esmond-ps-archive serve --opensearch URL [--os-user USER --os-password PASS | --os-api-key KEY]
                          [--os-ca FILE] [--os-cert FILE --os-key FILE] [--os-insecure]
                          [--no-template] ...
                          serve perfSONAR 5's pscheduler_* indices; /logstash writes there
                          (TLS verified unless --os-insecure; the template and lifecycle
                          policy are installed when missing unless --no-template; --db then
                          only holds tokens, default :memory:)
  esmond-ps-archive token add USER --db FILE      create a token (printed once)
  esmond-ps-archive token list --db FILE          list users and token fingerprints
  esmond-ps-archive token revoke USER --db FILE   delete every token of USER
  esmond-ps-archive import FILE... --db FILE      load esmond-ps-get-bulk -o json files
  esmond-ps-archive seed --demo --db FILE [--hours 48]  fill with demo measurements
  esmond-ps-archive pscheduler-doc [--observer ADDR] [--names FILE] [--offline]
                    [--esmond [--measurement-agent ADDR]] FILE...
                    print the Logstash document (or esmond view) of pScheduler run results
options: -v/--verbose, -q/--quiet, -h/--help`;

function parse(args: readonly string[]) {
  return parseCommandLine(args, {
    allowPositionals: true,
    options: {
      db: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8080" },
      "script-alias": { type: "string", default: "/esmond" },
      "max-body": { type: "string" },
      "public-url": { type: "string" },
      "body-timeout": { type: "string" },
      "header-timeout": { type: "string" },
      "idle-timeout": { type: "string" },
      "max-keys": { type: "string" },
      "max-key-length": { type: "string" },
      "max-value-length": { type: "string" },
      "max-event-types": { type: "string" },
      "new-token": { type: "string" },
      graphs: { type: "string", default: "auto" },
      opensearch: { type: "string" },
      "os-user": { type: "string" },
      "os-password": { type: "string" },
      "os-api-key": { type: "string" },
      "os-ca": { type: "string" },
      "os-cert": { type: "string" },
      "os-key": { type: "string" },
      "os-insecure": { type: "boolean", default: false },
      "no-template": { type: "boolean", default: false },
      "logstash-path": { type: "string", multiple: true },
      "no-logstash": { type: "boolean", default: false },
      "logstash-anonymous": { type: "boolean", default: false },
      names: { type: "string" },
      offline: { type: "boolean", default: false },
      demo: { type: "boolean", default: false },
      hours: { type: "string", default: "48" },
      verbose: { type: "boolean", short: "v", default: false },
      quiet: { type: "boolean", short: "q", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

function requireDb(db: string | undefined): string {
  if (db === undefined) throw new UsageError("--db FILE is required");
  return db;
}

function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--opensearch must be an http(s) URL, got ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--opensearch must be an http(s) URL, got ${text}`);
  }
  return text;
}

function positiveInt(text: string, name: string): number {
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`${name} must be a non-negative integer, got ${text}`);
  }
  return Number(text);
}

function optionalInt(text: string | undefined, name: string): number | undefined {
  return text === undefined ? undefined : positiveInt(text, name);
}

function seconds(text: string | undefined, name: string): number | undefined {
  const n = optionalInt(text, name);
  if (n === 0) throw new UsageError(`${name} must be at least 1 second`);
  return n === undefined ? undefined : n * 1000;
}

function logstashPaths(given: string[] | undefined): string[] {
  const paths = given && given.length > 0 ? given : ["/logstash"];
  for (const p of paths) {
    if (!p.startsWith("/")) throw new UsageError(`--logstash-path must start with /, got ${p}`);
    if (p.startsWith("/perfsonar/") || p.startsWith("/esmond/")) {
      throw new UsageError(`--logstash-path ${p} would hide the esmond API`);
    }
  }
  return paths;
}

async function ingestResolver(names: string | undefined, offline: boolean) {
  let table = {};
  if (names !== undefined) {
    try {
      table = parseNameTable(JSON.parse(await Deno.readTextFile(names)));
    } catch (error) {
      throw new UsageError(`--names ${names}: ${(error as Error).message}`);
    }
  }
  return offline ? tableResolver(table) : tableResolver(table, { fallback: systemResolver() });
}

async function run(argv: readonly string[]): Promise<number> {
  if (argv[0] === "pscheduler-doc") return await pschedulerDoc(argv.slice(1));
  const { values, positionals } = parse(argv);
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  await setupLogging({ verbose: values.verbose, quiet: values.quiet });
  const log = getLogger("esmond-ps-archive");
  const [command, ...rest] = positionals;
  switch (command) {
    case "serve": {
      const port = positiveInt(values.port, "--port");
      if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
      if (!["auto", "on", "off"].includes(values.graphs)) {
        throw new UsageError(`--graphs must be auto, on or off, got ${values.graphs}`);
      }
      const opensearch = values.opensearch === undefined ? undefined : {
        url: checkedUrl(values.opensearch),
        username: values["os-user"],
        password: values["os-password"] ?? Deno.env.get("ESMOND_OPENSEARCH_PASSWORD"),
        apiKey: values["os-api-key"] ?? Deno.env.get("ESMOND_OPENSEARCH_API_KEY"),
        caFile: values["os-ca"],
        certFile: values["os-cert"],
        keyFile: values["os-key"],
        insecure: values["os-insecure"],
      };
      const archive = serveArchive({
        dbPath: opensearch ? values.db ?? ":memory:" : requireDb(values.db),
        opensearch,
        installTemplate: !values["no-template"],
        hostname: values.host,
        port,
        scriptAlias: values["script-alias"],
        maxBodyBytes: optionalInt(values["max-body"], "--max-body"),
        publicUrl: values["public-url"],
        bodyIdleMs: seconds(values["body-timeout"], "--body-timeout"),
        headerTimeoutMs: seconds(values["header-timeout"], "--header-timeout"),
        idleMs: seconds(values["idle-timeout"], "--idle-timeout"),
        limits: {
          maxKeys: optionalInt(values["max-keys"], "--max-keys"),
          maxKeyLength: optionalInt(values["max-key-length"], "--max-key-length"),
          maxValueLength: optionalInt(values["max-value-length"], "--max-value-length"),
          maxEventTypes: optionalInt(values["max-event-types"], "--max-event-types"),
        },
        graphs: values.graphs === "auto" ? undefined : values.graphs === "on",
        logstash: values["no-logstash"] ? undefined : {
          paths: logstashPaths(values["logstash-path"]),
          anonymous: values["logstash-anonymous"],
          resolver: await ingestResolver(values.names, values.offline),
        },
      });
      if (values["new-token"]) console.log(await addToken(archive.db, values["new-token"]));
      if (!values["no-logstash"]) {
        log.info("pScheduler http archiver ingest at {url}{paths}", {
          url: archive.url,
          paths: logstashPaths(values["logstash-path"]).join(", "),
        });
      }
      log.info("serving {db} at {url}{alias}/perfsonar/archive/", {
        db: opensearch ? shownUrl(opensearch.url) : values.db,
        url: archive.url,
        alias: values["script-alias"].replace(/\/+$/, ""),
      });
      if (archive.graphs) log.info("graphs page at {url}/graphs/", { url: archive.url });
      await archive.finished;
      return 0;
    }
    case "token": {
      const [action, user] = rest;
      const db = openArchiveDb(requireDb(values.db));
      try {
        if (action === "add" || action === "revoke") {
          if (!user) throw new UsageError(`token ${action} needs a USER`);
          if (action === "add") console.log(await addToken(db, user));
          else {
            const n = revokeTokens(db, user);
            if (n === 0) throw new UsageError(`no token for user ${user}`);
            log.info("revoked {n} token(s) of {user}", { n, user });
          }
        } else if (action === "list") {
          for (const t of listTokens(db)) {
            console.log(`${t.user}\t${t.fingerprint}\t${new Date(t.created * 1000).toISOString()}`);
          }
        } else {
          throw new UsageError("token needs add, list or revoke");
        }
      } finally {
        db.close();
      }
      return 0;
    }
    case "import": {
      if (rest.length === 0) throw new UsageError("import needs at least one FILE");
      const db = openArchiveDb(requireDb(values.db));
      try {
        for (const file of rest) {
          let text: string;
          try {
            text = await Deno.readTextFile(file);
          } catch (error) {
            throw new Error(`cannot read ${file}: ${(error as Error).message}`);
          }
          try {
            const r = await importJsonText(db, text, Math.floor(Date.now() / 1000));
            log.info("imported {file} ({kind}): {metadata} metadata, {points} points", {
              file,
              ...r,
            });
          } catch (error) {
            throw new Error(`${file}: ${(error as Error).message} (nothing from it was stored)`);
          }
        }
      } finally {
        db.close();
      }
      return 0;
    }
    case "seed": {
      if (!values.demo) throw new UsageError("seed needs --demo (the only seed there is)");
      const hours = positiveInt(values.hours, "--hours");
      const db = openArchiveDb(requireDb(values.db));
      try {
        const r = await seedDemo(db, { hours });
        log.info("seeded {metadata} metadata, {points} points over the last {hours} h", {
          ...r,
          hours,
        });
      } finally {
        db.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

/**
 * Runs `esmond-ps-archive` with `argv`; resolves to the exit status (2 for a usage mistake, 1
 * for any other failure, printed as one line on stderr).
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * import assert from "node:assert/strict";
 * const status = await main(["token", "list"]); // prints "esmond-ps-archive: --db FILE is required"
 * assert.equal(status, 2);
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    // A parse error is said in one short line of the tool's own (usage_message.ts).
    const parseError = error instanceof UsageError && error.cause !== undefined;
    const line = usageMessage(parseError ? error.cause : error);
    console.error(`esmond-ps-archive: ${escapeControl(line)}`);
    return error instanceof UsageError || error instanceof DocUsageError ? 2 : 1;
  }
}
