/**
 * Response helpers with esmond's wire conventions: bare `application/json`, `{"detail": …}`
 * errors, `""` for bodiless successes.
 *
 * @module
 */

/** The exact content type the Python clients compare against. */
export const JSON_TYPE = "application/json";

/**
 * A JSON response from already-serialised text.
 *
 * @example
 * ```ts
 * import { jsonText } from "./http_util.ts";
 * jsonText("[]");
 * ```
 */
export function jsonText(
  body: string | ReadableStream<Uint8Array>,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, {
    status,
    headers: { "content-type": JSON_TYPE, "vary": "Accept", ...headers },
  });
}

/**
 * An error response `{"detail": message}`.
 *
 * @example
 * ```ts
 * import { detail } from "./http_util.ts";
 * detail(404, "Not found.");
 * ```
 */
export function detail(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonText(JSON.stringify({ detail: message }), status, headers);
}

/**
 * 201 with the JSON string `""`, esmond's answer to a successful data write.
 *
 * @example
 * ```ts
 * import { created } from "./http_util.ts";
 * created();
 * ```
 */
export function created(): Response {
  return jsonText('""', 201);
}

/** The body was larger than the configured limit. */
export class BodyTooLarge extends Error {
  /** @example `new BodyTooLarge(1024)` */
  constructor(limit: number) {
    super(`Request body larger than ${limit} bytes`);
    this.name = "BodyTooLarge";
  }
}

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`.
 *
 * @example
 * ```ts
 * import { readBody } from "./http_util.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await readBody(new Request("http://x/", { method: "POST", body: "{}" }), 1024), "{}");
 * ```
 */
export async function readBody(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw new BodyTooLarge(maxBytes);
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new BodyTooLarge(maxBytes);
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
