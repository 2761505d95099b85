/**
 * The progress line of `esmond-ps-migrate` on a terminal: series done/total, points read,
 * points/s and the estimated time left (from the pace of finished series). Drawn on stderr at
 * most 5 times a second, only when stderr is a terminal and `--quiet` is not set.
 *
 * @module
 */

const encoder = new TextEncoder();

function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** Counters and the line drawn from them. */
export class MigrateProgress {
  readonly #enabled: boolean;
  readonly #now: () => number;
  readonly #started: number;
  #lastDraw = -Infinity;
  #total = 0;
  #done = 0;
  #points = 0;

  /**
   * Creates the display.
   *
   * @example
   * ```ts
   * import { MigrateProgress } from "./progress.ts";
   * let t = 0;
   * const p = new MigrateProgress({ quiet: true, now: () => t });
   * p.setTotal(4);
   * p.addPoints(1000);
   * t = 2000;
   * p.seriesDone();
   * if (p.line() !== "series 1/4, 1000 points, 500 points/s, ETA 00:06") throw new Error(p.line());
   * ```
   */
  constructor(options: { quiet: boolean; enabled?: boolean; now?: () => number }) {
    this.#enabled = !options.quiet && (options.enabled ?? Deno.stderr.isTerminal());
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
  }

  /** Sets the number of series to migrate. */
  setTotal(total: number): void {
    this.#total = total;
    this.#draw(false);
  }

  /** Counts points read. */
  addPoints(n: number): void {
    this.#points += n;
    this.#draw(false);
  }

  /** Counts a finished series. */
  seriesDone(): void {
    this.#done++;
    this.#draw(false);
  }

  /** Points read so far. */
  get points(): number {
    return this.#points;
  }

  /** Seconds since start. */
  get elapsedSeconds(): number {
    return (this.#now() - this.#started) / 1000;
  }

  /** The text of the line. */
  line(): string {
    const seconds = this.elapsedSeconds;
    const rate = seconds > 0 ? Math.round(this.#points / seconds) : 0;
    const eta = this.#done > 0 ? (seconds / this.#done) * (this.#total - this.#done) : NaN;
    return `series ${this.#done}/${this.#total}, ${this.#points} points, ${rate} points/s, ETA ${
      clock(eta)
    }`;
  }

  #draw(final: boolean): void {
    if (!this.#enabled) return;
    const now = this.#now();
    if (!final && now - this.#lastDraw < 200) return;
    this.#lastDraw = now;
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[K${this.line()}${final ? "\n" : ""}`));
  }

  /** Draws the final line. */
  done(): void {
    this.#draw(true);
  }
}
