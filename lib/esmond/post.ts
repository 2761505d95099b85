/**
 * The post side: create (or find) a metadata, write points one by one or in bulk. Values are
 * validated before anything is sent; data writes are never blindly retried.
 *
 * @module
 */
export { Poster } from "./poster.ts";
export { MetadataPost, type MetadataPostOptions } from "./metadata_post.ts";
export {
  type DuplicatePolicy,
  EventTypePost,
  type EventTypePostOptions,
} from "./event_type_post.ts";
export { EventTypeBulkPost, type EventTypeBulkPostOptions } from "./bulk_post.ts";
