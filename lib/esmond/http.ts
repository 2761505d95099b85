/**
 * The one HTTP layer of the esmond client: auth header, User-Agent, per-request timeout,
 * bounded retries with exponential backoff and jitter (GETs, and requests the caller marks
 * idempotent), TLS options, `verbose` URL logging and typed errors.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import { ArchiveHttpError, ArchiveNetworkError, ArchiveValidationError } from "./errors.ts";
import { createTransport, type Transport } from "./transport.ts";
import { ResponseTooLarge } from "./response_limit.ts";
import { DEFAULT_USER_AGENT } from "./version.ts";

/** Settings of {@linkcode HttpClient}; a subset of the library's `ClientOptions`. */
export interface HttpOptions {
  /** User name; needed only for the old `ApiKey user:key` header form. */
  readonly username?: string;
  /** API key; when set, writes (and reads) carry an `Authorization` header. */
  readonly apiKey?: string;
  /** `token` (default): `Authorization: Token <key>`; `apikey`: `ApiKey <user>:<key>`. */
  readonly authScheme?: "token" | "apikey";
  /** Per-attempt timeout in milliseconds (default 30000; 0 disables it). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for retryable failures (default 3). */
  readonly retries?: number;
  /** First backoff delay in milliseconds (default 500); doubles per retry, with jitter. */
  readonly backoffMs?: number;
  /** Upper bound of one backoff delay in milliseconds (default 15000). */
  readonly maxBackoffMs?: number;
  /** Skip TLS certificate verification (off by default). */
  readonly insecure?: boolean;
  /** PEM file of extra CA certificates to trust. */
  readonly caFile?: string;
  /**
   * Send plain `http:` GETs over kept-alive connections with reused buffers instead of
   * `fetch` (much less CPU and memory per page; anything unusual still goes through `fetch`).
   * Default false.
   */
  readonly keepAliveHttp?: boolean;
  /**
   * The most bytes an answer's body may hold (default 512 MiB, `MAX_RESPONSE_BYTES`); a larger
   * one fails the request at once, without retries.
   */
  readonly maxResponseBytes?: number;
  /** Log every request URL at info level instead of debug. */
  readonly verbose?: boolean;
  /** `User-Agent` header (default names the project and version). */
  readonly userAgent?: string;
  /** Called before every attempt (e.g. to print the original tools' `[url: …]` lines). */
  readonly onRequest?: (info: { method: string; url: string; attempt: number }) => void;
  /** Replaces the transport (fault-injection tests). */
  readonly transport?: Transport;
  /** Replaces the backoff sleep (fake clocks in tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Replaces `Math.random` for the jitter. */
  readonly random?: () => number;
}

/** A successful response. */
export interface HttpResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** Body text. */
  readonly text: string;
  /** The URL that answered. */
  readonly url: string;
}

/** One request of {@linkcode HttpClient.request}. */
export interface HttpRequest {
  /** HTTP method (default GET). */
  readonly method?: string;
  /** Absolute URL. */
  readonly url: string;
  /** JSON text to send (sets `Content-Type: application/json`). */
  readonly body?: string;
  /** Statuses that count as success (default: any 2xx). */
  readonly expect?: readonly number[];
  /**
   * Whether the request may be repeated after a network error or 5xx. Default: true for GET
   * and HEAD only — a POST that may have been applied is never blindly repeated. 429 (the
   * server refused before doing anything) is retried for every method.
   */
  readonly idempotent?: boolean;
  /** Whether to send the `Authorization` header (default: whenever an API key is set). */
  readonly auth?: boolean;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * The `Authorization` header value for the given credentials, or undefined without a key.
 *
 * @example
 * ```ts
 * import { authorizationHeader } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(authorizationHeader({ apiKey: "abc" }), "Token abc");
 * assert.deepEqual(authorizationHeader({ username: "u", apiKey: "abc", authScheme: "apikey" }), "ApiKey u:abc");
 * ```
 */
export function authorizationHeader(
  options: Pick<HttpOptions, "username" | "apiKey" | "authScheme">,
): string | undefined {
  if (!options.apiKey) return undefined;
  if (options.authScheme === "apikey") {
    if (!options.username) {
      throw new ArchiveValidationError("username", "the ApiKey auth scheme needs a user name");
    }
    return `ApiKey ${options.username}:${options.apiKey}`;
  }
  return `Token ${options.apiKey}`;
}

/**
 * The delay before retry number `attempt` (1-based): exponential with "full jitter", i.e. a
 * random value in [base·2^(attempt−1)/2, base·2^(attempt−1)], capped at `max`.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./http.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(backoffDelay({ attempt: 3, baseMs: 100, maxMs: 10_000, random: () => 1 }), 400);
 * ```
 */
export function backoffDelay(
  opts: { attempt: number; baseMs: number; maxMs: number; random: () => number },
): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** (opts.attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * opts.random());
}

/** Parses a `Retry-After` header given in seconds; dates and junk are ignored. */
function retryAfterMs(headers: Headers): number | undefined {
  const v = headers.get("retry-after");
  if (!v || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v) * 1000;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? `: ${cause.message}` : "";
    return `${error.message}${inner}`.replace(/\s+/g, " ");
  }
  return String(error);
}

/**
 * Sends requests to an esmond archive with the library's policies. Close it (or use
 * `using`) to release a custom TLS client.
 *
 * @example
 * ```ts
 * import { HttpClient } from "./http.ts";
 * using http = new HttpClient({ timeoutMs: 5000, retries: 2 });
 * // const res = await http.request({ url: "http://127.0.0.1:8000/esmond/perfsonar/archive/" });
 * ```
 */
export class HttpClient implements Disposable {
  readonly #options: HttpOptions;
  readonly #transport: Transport;
  readonly #close: () => void;
  readonly #auth: string | undefined;
  readonly #log = getLogger("esmond", "http");

  /** Creates the client; reads `caFile` now, so a bad path fails early. */
  constructor(options: HttpOptions = {}) {
    this.#options = options;
    this.#auth = authorizationHeader(options);
    if (options.transport) {
      this.#transport = options.transport;
      this.#close = () => {};
    } else {
      try {
        const t = createTransport({
          insecure: options.insecure,
          caFile: options.caFile,
          keepAliveHttp: options.keepAliveHttp,
        });
        this.#transport = t.transport;
        this.#close = t.close;
      } catch (e) {
        throw new ArchiveValidationError("caFile", `cannot use ${options.caFile}: ${describe(e)}`);
      }
    }
  }

  /** Releases the TLS client. */
  close(): void {
    this.#close();
  }

  /** Same as {@linkcode HttpClient.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Sends one request, retrying per policy. Throws {@linkcode ArchiveHttpError} for an
   * unexpected status and {@linkcode ArchiveNetworkError} when no response came.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? "GET";
    const idempotent = req.idempotent ?? (method === "GET" || method === "HEAD");
    const retries = Math.max(0, this.#options.retries ?? 3);
    const headers: Record<string, string> = {
      "Accept": "application/json, */*",
      "User-Agent": this.#options.userAgent ?? DEFAULT_USER_AGENT,
    };
    if (req.body !== undefined) headers["Content-Type"] = "application/json";
    if (this.#auth && req.auth !== false) headers["Authorization"] = this.#auth;

    for (let attempt = 1;; attempt++) {
      this.#options.onRequest?.({ method, url: req.url, attempt });
      // Never log the Authorization header: only method, URL and attempt.
      const line = "{method} {url} (attempt {attempt})";
      const props = { method, url: req.url, attempt };
      if (this.#options.verbose) this.#log.info(line, props);
      else this.#log.debug(line, props);

      let failure: ArchiveHttpError;
      let retryable: boolean;
      let waitHint: number | undefined;
      try {
        const res = await this.#send(method, req, headers);
        const ok = req.expect ? req.expect.includes(res.status) : res.status >= 200 &&
          res.status < 300;
        if (ok) return { ...res, url: req.url };
        failure = new ArchiveHttpError({
          status: res.status,
          url: req.url,
          method,
          body: res.text,
        });
        retryable = res.status === 429 || (idempotent && RETRY_STATUS.has(res.status));
        waitHint = retryAfterMs(res.headers);
      } catch (e) {
        if (e instanceof ArchiveNetworkError) {
          failure = e;
        } else {
          failure = new ArchiveNetworkError({
            url: req.url,
            method,
            reason: describe(e),
            cause: e,
          });
        }
        // A refusal that comes out the same on every try (Deno's blocked ports, a bad URL) is
        // not worth a retry.
        retryable = idempotent && !(e instanceof ResponseTooLarge) &&
          !DETERMINISTIC_REFUSAL.test(failure.message);
      }
      if (!retryable || attempt > retries) throw finalError(failure, attempt);
      const delay = Math.min(
        this.#options.maxBackoffMs ?? 15_000,
        Math.max(
          waitHint ?? 0,
          backoffDelay({
            attempt,
            baseMs: this.#options.backoffMs ?? 500,
            maxMs: this.#options.maxBackoffMs ?? 15_000,
            random: this.#options.random ?? Math.random,
          }),
        ),
      );
      // The URL once, in the message (the program logs keep only the message): not again as a
      // field, nor inside the reason. URLs are normalised, so they hold no `{`.
      const prefix = `${method} ${req.url}: `;
      const reason = (failure.message.startsWith(prefix)
        ? failure.message.slice(prefix.length)
        : failure.message).replaceAll(` for url (${req.url})`, "");
      this.#log.warn(
        `retrying ${method} ${req.url.replaceAll("{", "%7B")} in {delay} ms: {reason}`,
        {
          method,
          delay,
          reason,
        },
      );
      await (this.#options.sleep ?? defaultSleep)(delay);
    }
  }

  async #send(
    method: string,
    req: HttpRequest,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = timeoutMs > 0
      ? setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError"));
      }, timeoutMs)
      : undefined;
    try {
      return await this.#transport({
        method,
        url: req.url,
        headers,
        body: req.body,
        signal: controller.signal,
        maxBytes: this.#options.maxResponseBytes,
      });
    } catch (e) {
      if (timedOut) {
        throw new ArchiveNetworkError({
          url: req.url,
          method,
          reason: `timed out after ${timeoutMs} ms`,
          timedOut: true,
          cause: e,
        });
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Transport failures that a retry cannot change. */
const DETERMINISTIC_REFUSAL =
  /Requests to port \d+ are blocked|Invalid URL|scheme '[^']*' is not supported|redirect count exceeded|too many redirects|maximum number of redirects/i;

/** The error to raise after the last attempt; the message says how many attempts were made. */
function finalError(failure: ArchiveHttpError, attempts: number): ArchiveHttpError {
  if (attempts === 1) return failure;
  const suffix = ` (after ${attempts} attempts)`;
  if (failure instanceof ArchiveNetworkError) {
    return new ArchiveNetworkError({
      url: failure.url,
      method: failure.method,
      reason: `${failure.reason}${suffix}`,
      timedOut: failure.timedOut,
      attempts,
      cause: failure.cause,
    });
  }
  return new ArchiveHttpError({
    status: failure.status,
    url: failure.url,
    method: failure.method,
    body: failure.bodyExcerpt,
    reason: `HTTP ${failure.status}${suffix}`,
  });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
