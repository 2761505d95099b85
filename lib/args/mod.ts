/**
 * Command lines of every tool: the one parse entry ({@linkcode parseCommandLine}) and the one
 * mistake type ({@linkcode UsageError}).
 *
 * @example
 * ```ts
 * import { parseCommandLine, UsageError } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => parseCommandLine(["-x"], { options: {} }), UsageError);
 * ```
 *
 * @module
 */
export { parseCommandLine } from "./parse.ts";
export type { NodeOptions, OptparseConfig, StrictConfig, StrictResult } from "./parse.ts";
export type { OptionKind, OptionSpec, ParsedArgs } from "./optparse.ts";
export { UsageError } from "./usage_error.ts";
