/**
 * Runs the real collector (`collector/main.ts`, with its registered permissions) as a child
 * process for the search tests, and sends it UDP datagrams from one fixed sender socket.
 *
 * @module
 */
import { denoRunArgs, findTool } from "../../scripts/tools.ts";
import { testDataUrl } from "../harness/test_data.ts";

/** A running collector process. */
export interface CollectorProcess {
  /** The UDP port it listens on. */
  readonly port: number;
  /** What it logged so far. */
  stderr(): string;
  /** Sends a signal and waits for exit; resolves the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

/** A collector running in the background. */
export interface RunningCollector<T> {
  /** What `ready` found in its log. */
  readonly ready: T;
  /** What it logged so far. */
  stderr(): string;
  /** Sends a signal (default SIGTERM) and waits for exit; resolves the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

/**
 * Starts the collector with `args` and resolves once `ready` finds something in its log (60 s
 * at most; rejects if it exits before).
 */
export async function spawnCollector<T>(
  args: string[],
  ready: (log: string) => T | undefined,
): Promise<RunningCollector<T>> {
  const tool = findTool("xrootd-fstream-collector")!;
  const child = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(tool, args),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  let found: (value: T) => void = () => {};
  const isReady = new Promise<T>((r) => (found = r));
  const reading = (async () => {
    for await (const chunk of child.stderr) {
      text += decoder.decode(chunk, { stream: true });
      const value = ready(text);
      if (value !== undefined) found(value);
    }
  })();
  const exited = child.status.then((s) => s.code);
  const value = await Promise.race([
    isReady,
    exited.then((code) => {
      throw new Error(`collector exited (${code}) before it was ready:\n${text}`);
    }),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`collector not ready after 60 s:\n${text}`)), 60_000)
    ),
  ]);
  return {
    ready: value,
    stderr: () => text,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      const code = await exited;
      await reading;
      return code;
    },
  };
}

/** Starts the collector with `args` (plus `-b 127.0.0.1 -p 0`) and waits until it listens. */
export async function startCollector(args: string[]): Promise<CollectorProcess> {
  const c = await spawnCollector(["-b", "127.0.0.1", "-p", "0", ...args], (text) => {
    const match = /listening on udp \S*?:(\d+)/.exec(text) ?? /port=(\d+)/.exec(
      text.split("\n").find((l) => l.includes("listening on udp")) ?? "",
    );
    return match ? Number(match[1]) : undefined;
  });
  return { port: c.ready, stderr: c.stderr, stop: c.stop };
}

/** A UDP socket on a fixed loopback port that sends datagrams to a collector. */
export class Sender {
  readonly #socket: Deno.DatagramConn;
  constructor(port = 0) {
    this.#socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port });
  }
  /** The local port (part of the server identity the collector derives). */
  get port(): number {
    return (this.#socket.addr as Deno.NetAddr).port;
  }
  /** Sends each datagram to `port`, `gapMs` apart. */
  async send(port: number, datagrams: readonly Uint8Array[], gapMs = 2): Promise<void> {
    for (const d of datagrams) {
      await this.#socket.send(d, { transport: "udp", hostname: "127.0.0.1", port });
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
  }
  /** Closes the socket. */
  close(): void {
    this.#socket.close();
  }
}

/** The datagrams of a real capture file (`testdata/xrootd/NAME`), in order. */
export async function captureDatagrams(name: string): Promise<Uint8Array[]> {
  const url = testDataUrl("xrootd", name);
  const text = await Deno.readTextFile(url);
  return text.split("\n").filter((l) => l.trim() !== "").map((line) => {
    const { b64 } = JSON.parse(line) as { b64: string };
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  });
}
