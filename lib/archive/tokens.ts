/**
 * API tokens: stored as SHA-256 hashes, shown in clear once when created.
 *
 * @module
 */
import type { ArchiveDb } from "./schema.ts";
import { createHash } from "node:crypto";
import { prepared } from "./metadata_store.ts";

// Synchronous: every authenticated request hashes its token, and WebCrypto's async digest
// costs a round trip through the event loop each time.
function sha256Hex(text: string): Promise<string> {
  return Promise.resolve(createHash("sha256").update(text, "utf8").digest("hex"));
}

// The hashes of the last few tokens presented: an archiver posts every run with the same one.
// Only the hash is remembered; whether it is still valid is asked of the database each time.
const recentHashes = new Map<string, string>();
const RECENT_MAX = 64;

function tokenHash(token: string): Promise<string> {
  const known = recentHashes.get(token);
  if (known !== undefined) return Promise.resolve(known);
  const hash = createHash("sha256").update(token, "utf8").digest("hex");
  if (recentHashes.size >= RECENT_MAX) recentHashes.delete(recentHashes.keys().next().value!);
  recentHashes.set(token, hash);
  return Promise.resolve(hash);
}

/** A token as listed (never the token itself). */
export interface TokenInfo {
  /** Row id (used by `token revoke --id`). */
  readonly id: number;
  /** The user it belongs to. */
  readonly user: string;
  /** First 8 hex digits of its hash, to tell tokens apart. */
  readonly fingerprint: string;
  /** UNIX seconds of creation. */
  readonly created: number;
}

/**
 * Throws unless `user` is a user name `token list` can show on one line: 1 to 64 printable
 * characters, no whitespace or control characters.
 *
 * @example
 * ```ts
 * import { checkUserName } from "./tokens.ts";
 * import assert from "node:assert/strict";
 * checkUserName("perfsonar");
 * assert.throws(() => checkUserName("a\tb"));
 * ```
 */
export function checkUserName(user: string): void {
  // deno-lint-ignore no-control-regex
  if (user.length === 0 || user.length > 64 || /[\s\u0000-\u001f\u007f-\u009f]/u.test(user)) {
    throw new Error(
      `user name ${
        JSON.stringify(user)
      } refused: 1 to 64 characters, no whitespace or control characters`,
    );
  }
}

/**
 * Creates a token for `user` and returns it (40 hex digits, like DRF keys).
 *
 * @example
 * ```ts
 * import { addToken } from "./tokens.ts";
 * import { openArchiveDb } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const db = openArchiveDb(":memory:");
 * const token = await addToken(db, "perfsonar");
 * assert.match(token, /^[0-9a-f]{40}$/);
 * db.close();
 * ```
 */
export async function addToken(db: ArchiveDb, user: string): Promise<string> {
  checkUserName(user);
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  prepared(db.writer, "INSERT INTO tokens (user, hash, created) VALUES (?, ?, ?)").run(
    user,
    await sha256Hex(token),
    Math.floor(Date.now() / 1000),
  );
  return token;
}

/**
 * Every token, oldest first.
 *
 * @example
 * ```ts
 * import { addToken, listTokens } from "./tokens.ts";
 * import { openArchiveDb } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const db = openArchiveDb(":memory:");
 * await addToken(db, "perfsonar");
 * assert.deepEqual(listTokens(db).map((t) => t.user), ["perfsonar"]);
 * db.close();
 * ```
 */
export function listTokens(db: ArchiveDb): TokenInfo[] {
  const rows = prepared(db.reader, "SELECT id, user, hash, created FROM tokens ORDER BY id")
    .all() as { id: number; user: string; hash: string; created: number }[];
  return rows.map((r) => ({
    id: r.id,
    user: r.user,
    fingerprint: r.hash.slice(0, 8),
    created: r.created,
  }));
}

/**
 * Deletes every token of `user`; returns how many were removed.
 *
 * @example
 * ```ts
 * import { addToken, revokeTokens } from "./tokens.ts";
 * import { openArchiveDb } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const db = openArchiveDb(":memory:");
 * await addToken(db, "perfsonar");
 * assert.equal(revokeTokens(db, "perfsonar"), 1);
 * assert.equal(revokeTokens(db, "perfsonar"), 0);
 * db.close();
 * ```
 */
export function revokeTokens(db: ArchiveDb, user: string): number {
  const result = prepared(db.writer, "DELETE FROM tokens WHERE user = ?").run(user);
  return Number(result.changes);
}

/**
 * The user owning `token`, or undefined when it is unknown.
 *
 * @example
 * ```ts
 * import { addToken, userForToken } from "./tokens.ts";
 * import { openArchiveDb } from "./schema.ts";
 * import assert from "node:assert/strict";
 * const db = openArchiveDb(":memory:");
 * const token = await addToken(db, "perfsonar");
 * assert.equal(await userForToken(db, token), "perfsonar");
 * assert.equal(await userForToken(db, "0".repeat(40)), undefined);
 * db.close();
 * ```
 */
export async function userForToken(db: ArchiveDb, token: string): Promise<string | undefined> {
  const row = prepared(db.reader, "SELECT user FROM tokens WHERE hash = ?").get(
    await tokenHash(token),
  ) as { user: string } | undefined;
  return row?.user;
}
