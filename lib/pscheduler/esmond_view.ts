/**
 * The esmond view of a run, kept at this path for the modules that import it from here
 * (`lib/opensearch/document_view.ts`); the code is in `esmond_view/`.
 *
 * @module
 */
export * from "./esmond_view/mod.ts";
