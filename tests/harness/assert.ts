/**
 * Assertions for the test suite, with the Deno standard library's names, on top of
 * `node:assert/strict` (the `@std/assert` package is not reachable from here).
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 * assertEquals({ a: [1] }, { a: [1] });
 * ```
 *
 * @module
 */
export {
  deepStrictEqual as assertEquals,
  fail,
  match as assertMatch,
  notDeepStrictEqual as assertNotEquals,
  ok as assert,
  rejects as assertRejects,
  throws as assertThrows,
} from "node:assert/strict";
