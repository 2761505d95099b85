/**
 * Small fetch helpers shared by the archive's write tests.
 *
 * @module
 */
import { assertEquals, assertMatch } from "../harness/mod.ts";
import type { TestArchive } from "../archive_server.ts";

/** Options of {@linkcode send}. */
export interface SendOptions {
  /** HTTP method (default POST). */
  readonly method?: string;
  /** Token to send; default the archive's, null for none. */
  readonly token?: string | null;
  /** Content type (default application/json). */
  readonly contentType?: string;
}

/**
 * Sends `body` (JSON-encoded unless a string) to `archiveUrl + path` with the archive's token.
 *
 * @example
 * ```ts
 * // await send(archive, "", metadataBody);
 * ```
 */
export function send(
  archive: TestArchive,
  path: string,
  body: unknown,
  options: SendOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
  };
  const token = options.token === undefined ? archive.token : options.token;
  if (token !== null) headers.authorization = `Token ${token}`;
  return fetch(`${archive.archiveUrl}${path}`, {
    method: options.method ?? "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * Asserts status, the bare JSON content type and (optionally) the `detail` message.
 *
 * @example
 * ```ts
 * // await expectStatus(response, 400, "No data payload POSTed.");
 * ```
 */
export async function expectStatus(
  response: Response,
  status: number,
  detail?: string | RegExp,
): Promise<string> {
  const text = await response.text();
  assertEquals(response.status, status, text);
  assertEquals(response.headers.get("content-type"), "application/json");
  if (typeof detail === "string") assertEquals(JSON.parse(text).detail, detail);
  else if (detail) assertMatch(JSON.parse(text).detail, detail);
  return text;
}

/**
 * The body of `GET archiveUrl + path` as text.
 *
 * @example
 * ```ts
 * // await getText(archive, `${key}/throughput/base`);
 * ```
 */
export async function getText(archive: TestArchive, path: string): Promise<string> {
  return await (await fetch(`${archive.archiveUrl}${path}`)).text();
}
