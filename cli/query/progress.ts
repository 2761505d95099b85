/**
 * A one-line progress display for long runs (files, points, rate), drawn on stderr only when
 * stderr is a terminal and `--quiet` is not set; otherwise it does nothing.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Counters shown by {@linkcode Progress}. */
export class Progress {
  readonly #enabled: boolean;
  readonly #started = performance.now();
  #lastDraw = 0;
  #files = 0;
  #points = 0;

  /**
   * Creates the display.
   *
   * @example
   * ```ts
   * import { Progress } from "./progress.ts";
   * import assert from "node:assert/strict";
   * const progress = new Progress({ quiet: false, enabled: false }); // default: stderr is a tty
   * progress.addPoints(1000);
   * assert.match(progress.line(), /^0 files, 1000 points, \d+ points\/s$/);
   * progress.done();
   * ```
   */
  constructor(options: { quiet: boolean; enabled?: boolean }) {
    this.#enabled = !options.quiet && (options.enabled ?? Deno.stderr.isTerminal());
  }

  /** Counts points and redraws at most 5 times a second. */
  addPoints(n: number): void {
    this.#points += n;
    this.#draw(false);
  }

  /** Counts a finished file. */
  addFile(): void {
    this.#files++;
    this.#draw(false);
  }

  /** The text of the line. */
  line(): string {
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0 ? Math.round(this.#points / seconds) : 0;
    return `${this.#files} files, ${this.#points} points, ${rate} points/s`;
  }

  #draw(final: boolean): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (!final && now - this.#lastDraw < 200) return;
    this.#lastDraw = now;
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[K${this.line()}${final ? "\n" : ""}`));
  }

  /** Draws the final line. */
  done(): void {
    this.#draw(true);
  }
}
