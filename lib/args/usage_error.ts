/**
 * The one command-line mistake type of every tool: the message is one line naming the mistake;
 * each tool prints it its own way and exits with its usage status.
 *
 * @module
 */

/**
 * A command-line mistake.
 *
 * @example
 * ```ts
 * import { UsageError } from "./usage_error.ts";
 * import assert from "node:assert/strict";
 * const error = new UsageError("--db FILE is required");
 * assert.equal(error.name, "UsageError");
 * assert.equal(error.message, "--db FILE is required");
 * ```
 */
export class UsageError extends Error {
  /** Creates the error with its one-line message (`cause`: the parser's own error). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}
