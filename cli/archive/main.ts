/**
 * `esmond-ps-archive` from command line to exit status: an embedded esmond-compatible
 * measurement archive on SQLite.
 *
 * ```
 * esmond-ps-archive serve  --db FILE|:memory: [--host 127.0.0.1] [--port 8080] [--script-alias /esmond]
 * esmond-ps-archive token  add|list|revoke [USER] --db FILE
 * esmond-ps-archive import FILE… --db FILE
 * esmond-ps-archive seed   --demo --db FILE
 * ```
 *
 * @module
 */
import { parseCommandLine, UsageError } from "../../lib/args/mod.ts";
import { usageMessage } from "../options/usage_message.ts";
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

const USAGE = `usage:
  esmond-ps-archive serve --db FILE|:memory: [--host 127.0.0.1] [--port 8080]
                          [--script-alias /esmond] [--max-body BYTES] [--new-token USER]
                          [--public-url URL] [--body-timeout SECONDS]
                          [--header-timeout SECONDS] [--idle-timeout SECONDS]
                          [--max-keys N] [--max-key-length N] [--max-value-length N]
                          [--max-event-types N]
                          (--new-token prints a fresh token for USER on stdout: the way
                          to write to a :memory: archive; --public-url is the origin put
                          in answers, default the checked Host header; limits per
                          metadata default to 256 keys, keys of 256 and values of 8192
                          characters, 256 event types; timeouts: body 30 s, headers 10 s, idle connection 120 s)
  esmond-ps-archive token add USER --db FILE      create a token (printed once)
  esmond-ps-archive token list --db FILE          list users and token fingerprints
  esmond-ps-archive token revoke USER --db FILE   delete every token of USER
  esmond-ps-archive import FILE... --db FILE      load esmond-ps-get-bulk -o json files
  esmond-ps-archive seed --demo --db FILE [--hours 48]  fill with demo measurements
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

async function run(argv: readonly string[]): Promise<number> {
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
      const archive = serveArchive({
        dbPath: requireDb(values.db),
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
      });
      if (values["new-token"]) console.log(await addToken(archive.db, values["new-token"]));
      log.info("serving {db} at {url}{alias}/perfsonar/archive/", {
        db: values.db,
        url: archive.url,
        alias: values["script-alias"].replace(/\/+$/, ""),
      });
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
    return error instanceof UsageError ? 2 : 1;
  }
}
