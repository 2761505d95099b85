/**
 * Several sinks fed from one decode: every document goes to each of them. Each sink buffers
 * and spools on its own, so a slow or unreachable one does not hold the others back.
 *
 * @module
 */
import type { CollectorDocument, DocumentSink } from "../correlate/sink_contracts.ts";

/**
 * Writes to every sink; flush and close wait for all of them.
 *
 * @example
 * ```ts
 * import { FanoutSink } from "./fanout.ts";
 * import type { CollectorDocument, DocumentSink } from "../correlate/sink_contracts.ts";
 * const seen: string[] = [];
 * const memory = (name: string): DocumentSink => ({
 *   write: (doc: CollectorDocument) => void seen.push(`${name}:${doc.docId}`),
 *   flush: () => Promise.resolve(),
 *   close: () => Promise.resolve(),
 * });
 * const sink = new FanoutSink([memory("a"), memory("b")]);
 * sink.write({ docId: "1", body: {} });
 * seen; // ["a:1", "b:1"]
 * ```
 */
export class FanoutSink implements DocumentSink {
  constructor(readonly sinks: readonly DocumentSink[]) {}

  write(doc: CollectorDocument): void {
    for (const sink of this.sinks) sink.write(doc);
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.flush()));
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close()));
  }
}
