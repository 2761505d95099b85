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
 * import assert from "node:assert/strict";
 * const response = jsonText("[]");
 * assert.equal(response.headers.get("content-type"), "application/json");
 * assert.deepEqual(await response.json(), []);
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
 * import assert from "node:assert/strict";
 * const response = detail(404, "Not found.");
 * assert.equal(response.status, 404);
 * assert.equal(await response.text(), '{"detail":"Not found."}');
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
 * import assert from "node:assert/strict";
 * const response = created();
 * assert.equal(response.status, 201);
 * assert.equal(await response.text(), '""');
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

/** The client went away (or stalled past the idle limit) before its body was read. */
export class BodyAborted extends Error {
  /** @example `new BodyAborted("client disconnected mid-body")` */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BodyAborted";
  }
}

/** The body is not valid UTF-8. */
export class BodyNotUtf8 extends Error {
  /** @example `new BodyNotUtf8()` */
  constructor() {
    super("Request body is not valid UTF-8");
    this.name = "BodyNotUtf8";
  }
}

/** Options of {@linkcode readBody}. */
export interface ReadBodyOptions {
  /** Longest wait for the next chunk of the body, in ms (default 30,000). */
  readonly idleMs?: number;
}

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`, invalid UTF-8
 * ({@linkcode BodyNotUtf8}) and a client that disconnects or sends nothing for `idleMs`
 * ({@linkcode BodyAborted}).
 *
 * @example
 * ```ts
 * import { readBody } from "./http_util.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await readBody(new Request("http://x/", { method: "POST", body: "{}" }), 1024), "{}");
 * ```
 */
export async function readBody(
  request: Request,
  maxBytes: number,
  options: ReadBodyOptions = {},
): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw new BodyTooLarge(maxBytes);
  if (!request.body) return "";
  const idleMs = options.idleMs ?? 30_000;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    while (true) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new BodyAborted(`client sent no body data for ${idleMs} ms`)),
          idleMs,
        );
      });
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await Promise.race([reader.read(), stalled]);
      } catch (error) {
        if (error instanceof BodyAborted) throw error;
        throw new BodyAborted("client disconnected mid-body", { cause: error });
      } finally {
        clearTimeout(timer);
      }
      if (step.done) break;
      size += step.value.byteLength;
      if (size > maxBytes) throw new BodyTooLarge(maxBytes);
      chunks.push(step.value);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(all);
  } catch {
    throw new BodyNotUtf8();
  }
}
