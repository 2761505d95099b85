/**
 * The most an answer's body may hold before a transport gives up on it, so a broken or hostile
 * server cannot grow the process without bound. An esmond page is far below it: a 10,000-point
 * histogram page is a few MB, a listing of every metadata of a large archive tens of MB.
 *
 * @module
 */

/** The default limit of an answer's body: 512 MiB. */
export const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/**
 * The answer's body is larger than the limit; the transport stopped reading it. Not worth a
 * retry: the server answers the same again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResponseTooLarge } from "./response_limit.ts";
 * assert.equal(new ResponseTooLarge(1024).message, "the answer is larger than 1024 bytes");
 * ```
 */
export class ResponseTooLarge extends Error {
  /** Creates the error for a limit of `limit` bytes. */
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = "ResponseTooLarge";
  }
}
