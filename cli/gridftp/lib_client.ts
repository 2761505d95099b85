/**
 * The {@linkcode ArchiveClient} the loader uses, over the project's esmond client library.
 *
 * @module
 */
import {
  type ClientOptions,
  createTransport,
  EventTypeBulkPost,
  EventTypePost,
  MetadataPost,
} from "../../lib/esmond/mod.ts";
import { eventTypeInfo } from "../../lib/esmond/event_types.ts";
import type { ArchiveClient } from "./archive_writer.ts";

/**
 * The value as the library accepts it. The original posts throughput as a float and the archive
 * stores `int(value)`; the library validates integer event types strictly, so the truncation
 * the archive would do is done here, with the same stored result.
 */
function storable(eventType: string, val: unknown): unknown {
  if (typeof val === "number" && !Number.isInteger(val)) {
    if (eventTypeInfo(eventType)?.dataType === "integer") return Math.trunc(val);
  }
  return val;
}

/**
 * An archive client posting through `lib/esmond` with the given connection options. One
 * transport (one TLS client and connection pool) serves every post of the run; dispose the
 * client to release it.
 *
 * @example
 * ```ts
 * import { libArchiveClient } from "./lib_client.ts";
 * using client = libArchiveClient({ url: "http://127.0.0.1:8000", scriptAlias: "/" });
 * ```
 */
export function libArchiveClient(connection: ClientOptions): ArchiveClient & Disposable {
  const shared = createTransport({ insecure: connection.insecure, caFile: connection.caFile });
  const options: ClientOptions = {
    ...connection,
    transport: connection.transport ?? shared.transport,
  };
  return {
    [Symbol.dispose]() {
      shared.close();
    },
    async postMetadata(metadata) {
      using post = new MetadataPost({ ...options, ...metadata });
      for (const name of metadata.eventTypes) post.addEventType(name);
      return (await post.postMetadata()).metadataKey;
    },
    async putBulk(metadataKey, points) {
      using post = new EventTypeBulkPost({ ...options, metadataKey });
      for (const point of points) {
        for (const value of point.values) {
          post.addDataPoint(value.eventType, point.ts, storable(value.eventType, value.val));
        }
      }
      await post.postData();
    },
    async postValue(metadataKey, eventType, ts, val) {
      using post = new EventTypePost({ ...options, metadataKey, eventType });
      post.addDataPoint(ts, storable(eventType, val));
      await post.postData();
    },
  };
}
