/**
 * The typed errors of the esmond client library. Every failure the library raises is an
 * {@linkcode ArchiveError}; callers that only want one message line use `error.message`.
 *
 * @module
 */

/**
 * Base class of every error the esmond client raises.
 *
 * @example
 * ```ts
 * import { ArchiveError } from "./errors.ts";
 * try {
 *   throw new ArchiveError("boom");
 * } catch (e) {
 *   if (e instanceof ArchiveError) console.error(e.message);
 * }
 * ```
 */
export class ArchiveError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ArchiveError";
  }
}

/** How many characters of a response body an {@linkcode ArchiveHttpError} keeps. */
export const BODY_EXCERPT_LENGTH = 200;

/**
 * Shortens a response body to one printable line for error messages.
 *
 * @example
 * ```ts
 * import { excerpt } from "./errors.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(excerpt('{"detail":"Not found."}'), '{"detail":"Not found."}');
 * ```
 */
export function excerpt(body: string, max: number = BODY_EXCERPT_LENGTH): string {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Fields of an {@linkcode ArchiveHttpError}. */
export interface ArchiveHttpErrorInit {
  /** HTTP status; 0 when no response was received. */
  readonly status: number;
  /** The request URL. */
  readonly url: string;
  /** The HTTP method. */
  readonly method?: string;
  /** The response body (it is shortened). */
  readonly body?: string;
  /** Why the response was refused, when the status alone does not say it. */
  readonly reason?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * The archive answered with an unexpected status or an unreadable body (a truncated or
 * non-JSON 200 is one too). `status` is 0 for the {@linkcode ArchiveNetworkError} subclass.
 *
 * @example
 * ```ts
 * import { ArchiveHttpError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new ArchiveHttpError({ status: 404, url: "http://h/x", body: '{"detail":"Not found."}' });
 * assert.deepEqual(e.message, 'GET http://h/x: HTTP 404: {"detail":"Not found."}');
 * ```
 */
export class ArchiveHttpError extends ArchiveError {
  /** HTTP status; 0 when no response was received. */
  readonly status: number;
  /** The request URL. */
  readonly url: string;
  /** The HTTP method. */
  readonly method: string;
  /** A short, single-line excerpt of the response body. */
  readonly bodyExcerpt: string;
  /** The server's `detail` message when the body was esmond's `{"detail": …}` form. */
  readonly detail?: string;

  /** Creates the error; the message names the method, URL, status and the body excerpt. */
  constructor(init: ArchiveHttpErrorInit) {
    const bodyExcerpt = excerpt(init.body ?? "");
    const method = init.method ?? "GET";
    const what = init.reason ?? (init.status === 0 ? "no response" : `HTTP ${init.status}`);
    super(
      `${method} ${init.url}: ${what}${bodyExcerpt ? `: ${bodyExcerpt}` : ""}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = "ArchiveHttpError";
    this.status = init.status;
    this.url = init.url;
    this.method = method;
    this.bodyExcerpt = bodyExcerpt;
    this.detail = detailOf(init.body);
  }
}

function detailOf(body: string | undefined): string | undefined {
  if (!body || body[0] !== "{") return undefined;
  try {
    const parsed = JSON.parse(body);
    return typeof parsed?.detail === "string" ? parsed.detail : undefined;
  } catch {
    return undefined;
  }
}

/**
 * No usable response: connection refused/reset, DNS failure, TLS failure or a timeout, after
 * all retries. It is an {@linkcode ArchiveHttpError} with `status` 0, so one `catch` handles both.
 *
 * @example
 * ```ts
 * import { ArchiveNetworkError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new ArchiveNetworkError({ url: "http://h/", reason: "connection refused" });
 * assert.deepEqual(e.status, 0);
 * ```
 */
export class ArchiveNetworkError extends ArchiveHttpError {
  /** True when the request was abandoned because it exceeded the timeout. */
  readonly timedOut: boolean;
  /** How many attempts were made. */
  readonly attempts: number;
  /** What went wrong, without the method and URL. */
  readonly reason: string;

  /** Creates the error. */
  constructor(
    init: {
      url: string;
      method?: string;
      reason: string;
      timedOut?: boolean;
      attempts?: number;
      cause?: unknown;
    },
  ) {
    super({
      status: 0,
      url: init.url,
      method: init.method,
      reason: init.reason,
      cause: init.cause,
    });
    this.name = "ArchiveNetworkError";
    this.reason = init.reason;
    this.timedOut = init.timedOut ?? false;
    this.attempts = init.attempts ?? 1;
  }
}

/**
 * A value, timestamp or metadata field was refused before anything was sent. `field` names it
 * (`val.numerator`, `val[2].start`, `ts`, `source`, …).
 *
 * @example
 * ```ts
 * import { ArchiveValidationError } from "./errors.ts";
 * import assert from "node:assert/strict";
 * const e = new ArchiveValidationError("val.denominator", "must be greater than 0");
 * assert.deepEqual(e.message, "val.denominator: must be greater than 0");
 * ```
 */
export class ArchiveValidationError extends ArchiveError {
  /** The refused field. */
  readonly field: string;

  /** Creates the error; the message starts with the field name. */
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = "ArchiveValidationError";
    this.field = field;
  }
}
