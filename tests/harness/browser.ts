/**
 * A real browser for tests and benchmarks: Debian's `chromium` driven by `playwright-core`,
 * with every request that does not go to a loopback address blocked and recorded, so a test
 * can assert the page made none.
 *
 * @example
 * ```ts ignore
 * import { launchLoopbackBrowser } from "./browser.ts";
 * await using browser = await launchLoopbackBrowser();
 * const page = await browser.context.newPage();
 * ```
 *
 * @module
 */
import { type BrowserContext, chromium } from "playwright-core";

/** Where Debian installs the browser; `CHROMIUM` overrides. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/**
 * The chromium executable, or undefined when it is not installed.
 *
 * @example
 * ```ts
 * import { chromiumPath } from "./browser.ts";
 * chromiumPath();
 * ```
 */
export function chromiumPath(): string | undefined {
  const path = Deno.env.get("CHROMIUM") || DEFAULT_CHROMIUM;
  try {
    return Deno.statSync(path).isFile ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a browser test must be skipped: chromium is absent and this is not CI (on CI the
 * test runs and fails instead). Prints the one-line reason when skipping.
 *
 * @example
 * ```ts
 * import { skipWithoutChromium } from "./browser.ts";
 * Deno.test({ name: "page", ignore: skipWithoutChromium(), fn() {} });
 * ```
 */
export function skipWithoutChromium(): boolean {
  if (chromiumPath() !== undefined || Deno.env.get("CI") === "true") return false;
  console.error(`ignored: chromium is not installed (${DEFAULT_CHROMIUM}; set CHROMIUM=path)`);
  return true;
}

/** Whether a URL points at this machine (or is the browser's own, e.g. `data:`). */
export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  if (!parsed.protocol.startsWith("http") && !parsed.protocol.startsWith("ws")) {
    return parsed.protocol === "data:" || parsed.protocol === "blob:" ||
      parsed.protocol === "about:";
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  return /^127\./.test(host) || host === "::1" || host === "localhost";
}

/** A launched browser with one loopback-only context. */
export interface LoopbackBrowser extends AsyncDisposable {
  /** The context every page should be opened in. */
  readonly context: BrowserContext;
  /** Requests to anything but loopback that were attempted (and blocked). */
  readonly blocked: string[];
  /** Closes the browser. */
  close(): Promise<void>;
}

/** Options of {@linkcode launchLoopbackBrowser}. */
export interface LaunchOptions {
  /** Viewport width (default 1280). */
  readonly width?: number;
  /** Viewport height (default 900). */
  readonly height?: number;
}

/**
 * Starts headless chromium with the network beyond loopback cut off twice: host names other
 * than localhost resolve nowhere, and every non-loopback request is aborted and recorded.
 *
 * @example
 * ```ts ignore
 * import { launchLoopbackBrowser } from "./browser.ts";
 * await using browser = await launchLoopbackBrowser();
 * ```
 */
export async function launchLoopbackBrowser(options: LaunchOptions = {}): Promise<LoopbackBrowser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) {
    throw new Error(`chromium is not installed (${DEFAULT_CHROMIUM}; set CHROMIUM=path)`);
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ],
  });
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    timezoneId: "Europe/Amsterdam",
    locale: "en-GB",
  });
  const blocked: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) await route.continue();
    else {
      blocked.push(url);
      await route.abort("internetdisconnected");
    }
  });
  const close = () => browser.close();
  return { context, blocked, close, [Symbol.asyncDispose]: close };
}
