/**
 * Python JSON and Python numbers, the one module for the client, the renderers and the
 * archive:
 *
 * - {@linkcode parsePyJson} / {@linkcode stringifyPyJson}: the client's fast view (plain
 *   values; integral floats as {@linkcode PyFloat}; objects JS would reorder as a `Map`);
 * - {@linkcode parsePyJsonTree} / {@linkcode stringifyPyJsonTree}: the archive's exact tree
 *   ({@linkcode PyNum}, {@linkcode PyObject}: big integers kept, errors with positions);
 * - {@linkcode pyFloatRepr} (the one Python float text), {@linkcode pyFloatJson},
 *   {@linkcode pyNumber}.
 *
 * @example
 * ```ts
 * import { parsePyJson, parsePyJsonTree, stringifyPyJson, stringifyPyJsonTree } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const text = '{"400":2,"196":113.0}';
 * assert.equal(stringifyPyJson(parsePyJson(text)), text);
 * assert.equal(stringifyPyJsonTree(parsePyJsonTree(text)), text);
 * ```
 *
 * @module
 */
export * from "./float_text.ts";
export * from "./py_float.ts";
export * from "./parse.ts";
export * from "./tree.ts";
