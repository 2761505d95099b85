/**
 * Generates a large iperf3 3.12-shaped TCP result (many streams, many intervals) wrapped the way
 * bwctl `--verbose` prints it, for the `esmond-ps-pipe` benchmark. Field names and nesting follow
 * the real captures in `testdata/pipe/`; the numbers are synthetic but plausible.
 *
 * @module
 */

/** Size of the generated run. */
export interface GeneratedRunOptions {
  /** Test length in seconds (one interval per second). */
  readonly seconds: number;
  /** Parallel streams. */
  readonly streams: number;
  /** UNIX seconds of the start. */
  readonly timesecs?: number;
}

function streamEntry(socket: number, start: number, seconds: number, bits: number, retr: number) {
  return {
    socket,
    start,
    end: start + seconds,
    seconds,
    bytes: Math.round(bits * seconds / 8),
    bits_per_second: bits,
    retransmits: retr,
    snd_cwnd: 785796,
    snd_wnd: 134144,
    rtt: 160,
    rttvar: 30,
    pmtu: 65535,
    omitted: false,
    sender: true,
  };
}

/**
 * The iperf3 JSON object of a generated run.
 *
 * @example
 * ```ts
 * import { generateIperf3Result } from "./generate_iperf3.ts";
 * import assert from "node:assert/strict";
 * const result = generateIperf3Result({ seconds: 60, streams: 8 });
 * assert.deepEqual((result.intervals as unknown[]).length, 60);
 * ```
 */
export function generateIperf3Result(options: GeneratedRunOptions): Record<string, unknown> {
  const { seconds, streams } = options;
  const timesecs = options.timesecs ?? 1795540650;
  const sockets = Array.from({ length: streams }, (_, i) => 5 + 2 * i);
  const intervals = Array.from({ length: seconds }, (_, t) => {
    const duration = 1 + ((t * 7919) % 1000) / 1e6;
    const list = sockets.map((socket, i) =>
      streamEntry(socket, t, duration, 3e9 + ((t * 31 + i * 17) % 97) * 1e7, (t + i) % 5)
    );
    const bits = list.reduce((sum, s) => sum + s.bits_per_second, 0);
    const retr = list.reduce((sum, s) => sum + s.retransmits, 0);
    return {
      streams: list,
      sum: {
        start: t,
        end: t + duration,
        seconds: duration,
        bytes: Math.round(bits * duration / 8),
        bits_per_second: bits,
        retransmits: retr,
        omitted: false,
        sender: true,
      },
    };
  });
  const totalBits = intervals.reduce((sum, i) => sum + i.sum.bits_per_second, 0) / seconds;
  const endStreams = sockets.map((socket, i) => ({
    sender: { ...streamEntry(socket, 0, seconds, totalBits / streams, i), max_rtt: 200 },
    receiver: {
      socket,
      start: 0,
      end: seconds,
      seconds,
      bytes: 1,
      bits_per_second: totalBits / streams * 0.999,
      sender: true,
    },
  }));
  return {
    start: {
      connected: sockets.map((socket, i) => ({
        socket,
        local_host: "127.0.0.1",
        local_port: 40000 + i,
        remote_host: "127.0.0.1",
        remote_port: 5201,
      })),
      version: "iperf 3.12",
      system_info: "Linux bench 6.1.0 #1 SMP x86_64",
      timestamp: { time: new Date(timesecs * 1000).toUTCString(), timesecs },
      connecting_to: { host: "127.0.0.1", port: 5201 },
      cookie: "benchbenchbenchbenchbenchbenchbench",
      tcp_mss_default: 32768,
      target_bitrate: 0,
      sock_bufsize: 0,
      sndbuf_actual: 16384,
      rcvbuf_actual: 131072,
      test_start: {
        protocol: "TCP",
        num_streams: streams,
        blksize: 131072,
        omit: 0,
        duration: seconds,
        bytes: 0,
        blocks: 0,
        reverse: 0,
        tos: 0,
        target_bitrate: 0,
      },
    },
    intervals,
    end: {
      streams: endStreams,
      sum_sent: {
        start: 0,
        end: seconds,
        seconds,
        bytes: 1,
        bits_per_second: totalBits,
        retransmits: 42,
        sender: true,
      },
      sum_received: {
        start: 0,
        end: seconds,
        seconds,
        bytes: 1,
        bits_per_second: totalBits * 0.999,
        sender: true,
      },
      cpu_utilization_percent: {
        host_total: 50,
        host_user: 1,
        host_system: 49,
        remote_total: 60,
        remote_user: 1,
        remote_system: 59,
      },
      sender_tcp_congestion: "cubic",
      receiver_tcp_congestion: "cubic",
    },
  };
}

/**
 * The generated run as `esmond-ps-pipe` reads it from bwctl (tab-indented JSON as iperf3
 * prints it).
 *
 * @example
 * ```ts
 * import { generateBwctlText } from "./generate_iperf3.ts";
 * const text = generateBwctlText({ seconds: 60, streams: 8 });
 * ```
 */
export function generateBwctlText(options: GeneratedRunOptions): string {
  const json = JSON.stringify(generateIperf3Result(options), null, "\t");
  return [
    "bwctl: Using 127.0.0.1 as the address for remote sender",
    "bwctl: Using 127.0.0.1 as the address for remote receiver",
    "bwctl: Available in-common: iperf nuttcp iperf3 ",
    "bwctl: Using tool: iperf3",
    "bwctl: 9 seconds until test results available",
    "",
    "SENDER START",
    `bwctl: exec_line: iperf3 -c 127.0.0.1 -B 127.0.0.1 -J -p 5201 -i 1 -Z -t ${options.seconds} -P ${options.streams}`,
    "bwctl: start_tool: 4004529450.083027",
    json,
    "bwctl: stop_tool: 4004529510.109140",
    "",
    "SENDER END",
    "",
  ].join("\n");
}
