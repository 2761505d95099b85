/**
 * The connection options every query and post class accepts.
 *
 * @module
 */
import type { HttpOptions } from "./http.ts";

/**
 * Where the archive is and how to talk to it.
 *
 * @example
 * ```ts
 * import type { ClientOptions } from "./options.ts";
 * const opts: ClientOptions = { url: "https://ps.example.net", apiKey: "…", timeoutMs: 10_000 };
 * ```
 */
export interface ClientOptions extends HttpOptions {
  /** Archive host URL; a pasted `/esmond/perfsonar/archive/` suffix and trailing slashes are trimmed. */
  readonly url: string;
  /** Mount prefix of the archive (default `/esmond`; `null` or `""` for none). */
  readonly scriptAlias?: string | null;
}
