/**
 * The shapes `esmond-ps-pipe` passes between its parts: what the input yields, and the payload
 * (metadata + one bulk data item) that gets posted, spooled or printed by `--dry-run`.
 *
 * @module
 */
import type { MeasurementSubject } from "../../lib/esmond/subject.ts";

/**
 * Metadata of one measurement: the measurement subject (`point-to-point`; tool `bwctl/<tool>`
 * for bwctl input, `--tool-name` (default `iperf3`) for plain iperf3 JSON; the local address
 * toward the receiver as measurement agent) and the free-form parameters, named as
 * `MetadataPost` takes them.
 */
export interface PipeMetadata extends MeasurementSubject {
  /** Always `point-to-point` for bwctl/iperf3 tests. */
  readonly subjectType: "point-to-point";
  /** The host that received the data. */
  readonly destination: string;
  /** The receiver as bwctl (or `--input-destination`) named it. */
  readonly inputDestination: string;
  /** `start.test_start.duration`, absent when falsy. */
  readonly timeDuration?: number;
  /** `TCP`/`UDP`, absent when unknown. */
  readonly ipTransportProtocol?: string;
  /** Free-form keys (`bw-parallel-streams`, `bw_ignore_first_seconds`). */
  readonly freeform: Readonly<Record<string, string | number>>;
}

/** One value of the bulk PUT. */
export interface EventValue {
  /** Event-type name, e.g. `throughput`. */
  readonly eventType: string;
  /** The value exactly as it goes on the wire. */
  readonly val: unknown;
}

/** Everything one run stores: one metadata and the values at one timestamp. */
export interface PipePayload {
  /** The metadata POSTed first. */
  readonly metadata: PipeMetadata;
  /** Event types declared on the metadata, in order. */
  readonly eventTypes: readonly string[];
  /** UNIX seconds every value is stored at. */
  readonly ts: number;
  /** The values of the bulk PUT, in order. */
  readonly values: readonly EventValue[];
  /** iperf3's own `error` text when the measurement failed (stored as a `failures` point). */
  readonly failure?: string;
}

/** What the bwctl `--verbose` chatter around the tool output says. */
export interface BwctlHeader {
  /** `bwctl: Using tool: <tool>`. */
  readonly toolName?: string;
  /** `bwctl: Using <addr> as the address for remote sender`. */
  readonly inputSource?: string;
  /** `bwctl: Using <addr> as the address for remote receiver`. */
  readonly inputDestination?: string;
  /** Whether a `bwctl: start_tool:` line was seen. */
  readonly startToolSeen: boolean;
  /** UNIX seconds of `start_tool` (bwctl prints NTP-era seconds). */
  readonly startToolTime?: number;
  /** Whether a `bwctl: stop_tool:` line was seen. */
  readonly stopToolSeen: boolean;
  /** Whether any line started with `bwctl:`. */
  readonly anyBwctlLine: boolean;
  /** Lines of the tool's output (between start_tool and stop_tool), `bwctl:` lines removed. */
  readonly toolOutput: readonly string[];
  /** The `bwctl:` lines between start_tool and stop_tool (e.g. `local tool ... was killed`). */
  readonly interleaved: readonly string[];
}
