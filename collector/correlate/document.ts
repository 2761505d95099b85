/**
 * Documents assembled from parts. A close document repeats its open's and its user's fields;
 * instead of copying ~80 fields into a new object per record, each part is built once (and
 * only when first needed) and serialised once, and a document is the concatenation of its
 * parts' JSON. `body` is still there for whoever wants an object, built on first access.
 *
 * @module
 */
import type { CollectorDocument } from "./sink_contracts.ts";
import {
  FRAME_DOCUMENT,
  type FrameWriter,
  PART_RECIPE,
  PART_REF,
  PART_SHARED,
  PART_TEXT,
} from "./frames.ts";
import type { PartRecipe } from "./part_recipes.ts";
import { flatBytes, writeFlat } from "./flat_field_codec.ts";

/** Document fields. */
export type Fields = Record<string, unknown>;

/**
 * A group of fields, built lazily and serialised at most once, shared by every document that
 * includes it. Parts of one document must not share keys.
 *
 * @example
 * ```ts
 * import { Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const part = Part.lazy(() => ({ xrd_lfn: "/a" }));
 * assert.deepEqual(part.json, '"xrd_lfn":"/a"');
 * ```
 */
export class Part {
  #make?: () => Fields;
  #fields?: Fields;
  /** How the fields are computed, while that is still what they are (see `invalidate`). */
  #recipe?: PartRecipe;
  /** `JSON.stringify(fields)`: a flat string, which encodes faster than a slice of one. */
  #object?: string;

  /** The writer whose output thread was sent this part as shared, and the part's id there. */
  sharedWith?: FrameWriter;
  sharedId = 0;

  /** True for fields taken from an indexed document (see {@linkcode Part.found}). */
  readonly mayRepeatKeys: boolean;

  private constructor(
    make?: () => Fields,
    fields?: Fields,
    mayRepeatKeys = false,
    recipe?: PartRecipe,
  ) {
    this.#make = make;
    this.#fields = fields;
    this.mayRepeatKeys = mayRepeatKeys;
    this.#recipe = recipe;
  }

  /**
   * A part computed from a recipe when first needed; the NDJSON output thread can compute it
   * from the recipe instead (see {@linkcode Part.recipe}).
   */
  static from(recipe: PartRecipe): Part {
    return new Part(undefined, undefined, false, recipe);
  }

  /** A part whose fields are computed when first needed. */
  static lazy(make: () => Fields): Part {
    return new Part(make);
  }

  /** A part from fields already at hand (not copied: don't change them afterwards). */
  static of(fields: Fields): Part {
    return new Part(undefined, fields);
  }

  /**
   * A part from fields of a document found by the older-events lookup: they may repeat keys of
   * the new document's own parts (e.g. `xrd_seq_lost_packets`), where the later part wins, as
   * in `body`; a document holding such a part serialises its `body` for
   * {@linkcode AssembledDocument.json}.
   */
  static found(fields: Fields): Part {
    return new Part(undefined, fields, true);
  }

  /** The fields. */
  get fields(): Fields {
    if (this.#fields === undefined) {
      if (this.#make !== undefined) {
        this.#fields = this.#make();
        this.#make = undefined;
      } else if (this.#recipe !== undefined) {
        this.#fields = this.#recipe.fields();
      } else {
        // Dropped after serialising (below); JSON round-trips these flat values exactly.
        this.#fields = JSON.parse(this.#object!) as Fields;
      }
    }
    return this.#fields;
  }

  /** The fields if they are in memory (not to be built or parsed back), else undefined. */
  get fieldsAtHand(): Fields | undefined {
    return this.#fields;
  }

  /** The fields as one JSON object text (`"{}"` when empty). */
  get object(): string {
    if (this.#object === undefined) {
      const lazy = this.#fields === undefined;
      this.#object = JSON.stringify(this.fields);
      // Cached logins and opens live for the cache time; keeping only their text halves what
      // survives each young-generation collection. Fields are rebuilt when asked for.
      if (lazy) this.#fields = undefined;
    }
    return this.#object;
  }

  /**
   * The fields of a part made from fields at hand ({@linkcode Part.of}) while no text was made
   * here: the output thread can serialise them from a flat copy (see `writeFlat`).
   */
  get flatFields(): Fields | undefined {
    return this.#object === undefined && this.#make === undefined && this.#recipe === undefined
      ? this.#fields
      : undefined;
  }

  /**
   * The recipe, while no text was made here (then sending the text is cheaper) and the fields
   * were not changed after it.
   */
  get recipe(): PartRecipe | undefined {
    return this.#object === undefined ? this.#recipe : undefined;
  }

  /** The fields as JSON members without the braces (`""` when empty). */
  get json(): string {
    return this.object.slice(1, -1);
  }

  /** Forgets the cached JSON after the fields were changed (e.g. a late `U` record). */
  invalidate(): void {
    // Fields never handed out cannot have changed (and may exist only as the text).
    if (this.#fields !== undefined) {
      this.#object = undefined;
      this.#recipe = undefined;
      this.sharedWith = undefined;
    }
  }
}

/** Per part of the document being framed: whether its fields go flat (see `writeFrame`). */
const FLAT_OK = new Uint8Array(256);

/**
 * A finished document made of parts, in output order.
 *
 * @example
 * ```ts
 * import { AssembledDocument, Part } from "./document.ts";
 * import assert from "node:assert/strict";
 * const doc = new AssembledDocument("id", [Part.of({ a: 1 }), Part.of({ b: 2 })]);
 * assert.deepEqual(doc.json, '{"a":1,"b":2}');
 * assert.deepEqual(doc.body, { a: 1, b: 2 });
 * ```
 */
export class AssembledDocument implements CollectorDocument {
  readonly docId: string;
  #parts: readonly Part[];
  #body?: Fields;

  constructor(docId: string, parts: readonly Part[]) {
    this.docId = docId;
    this.#parts = parts;
  }

  /** The document as one object (built on first access). */
  get body(): Fields {
    if (this.#body === undefined) {
      const body: Fields = {};
      for (const part of this.#parts) Object.assign(body, part.fields);
      this.#body = body;
    }
    return this.#body;
  }

  /**
   * `body["@timestamp"]` without building `body` when the part that has it is in memory (the
   * leading metadata part of every collector document): parts do not share keys, so the first
   * part holding the key decides.
   */
  get timestamp(): unknown {
    for (const part of this.#parts) {
      const fields = part.fieldsAtHand;
      if (fields === undefined) return this.body["@timestamp"];
      if ("@timestamp" in fields) return fields["@timestamp"];
    }
    return undefined;
  }

  /**
   * The parts as JSON object texts, empty ones left out: merged (each `}` and the next `{`
   * replaced by a comma) they are {@linkcode AssembledDocument.json}, except that with a
   * {@linkcode Part.found} part a key may appear twice (its last value is `body`'s). Lets a sink
   * encode the shared, already flat part texts without building the document's text first.
   */
  get jsonObjects(): string[] {
    const out: string[] = [];
    for (const part of this.#parts) {
      const object = part.object;
      if (object.length > 2) out.push(object);
    }
    return out;
  }

  /**
   * Writes the document as one frame of its parts (see `frames.ts`): recipes where a part
   * has one and no text yet, else the part's JSON text. `reserve(bytes)` makes room in the
   * writer's chunk. False when the document cannot go as parts (a part may repeat keys, a
   * recipe string is not well-formed): what was written is then to be overwritten.
   */
  writeFrame(w: FrameWriter, reserve: (bytes: number) => void): boolean {
    const parts = this.#parts;
    if (parts.length > 255) return false;
    let most = 6;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.mayRepeatKeys) return false;
      const recipe = part.recipe;
      if (recipe !== undefined) {
        most += 5 + recipe.maxBytes();
        continue;
      }
      const flat = part.flatFields;
      const bytes = flat === undefined ? -1 : flatBytes(flat);
      FLAT_OK[i] = bytes >= 0 ? 1 : 0;
      most += bytes >= 0 ? 1 + bytes : 5 + part.object.length * 3;
    }
    reserve(most);
    const start = w.at;
    const firstId = w.nextSharedId;
    w.u32(0);
    w.u8(FRAME_DOCUMENT);
    const countAt = w.at++;
    let count = 0;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const recipe = part.recipe;
      if (recipe === undefined) {
        if (FLAT_OK[i] === 1) {
          w.u8(PART_RECIPE);
          if (!writeFlat(w, part.flatFields!)) return this.#undoShared(w, firstId);
          count++;
          continue;
        }
        const object = part.object;
        if (object.length <= 2) continue;
        w.u8(PART_TEXT);
        w.str(object);
      } else if (part.sharedWith === w && w.holds(part.sharedId)) {
        w.u8(PART_REF);
        w.u32(part.sharedId);
      } else if (recipe.shared) {
        w.u8(PART_SHARED);
        w.u32(w.nextSharedId);
        if (!recipe.write(w)) return this.#undoShared(w, firstId);
        part.sharedWith = w;
        part.sharedId = w.nextSharedId++;
      } else {
        w.u8(PART_RECIPE);
        if (!recipe.write(w)) return this.#undoShared(w, firstId);
      }
      count++;
    }
    w.bytes[countAt] = count;
    w.u32At(start, w.at - start - 4);
    w.commit();
    return true;
  }

  /** A frame given up: ids handed out in it were never seen by the output thread. */
  #undoShared(w: FrameWriter, firstId: number): false {
    for (const part of this.#parts) {
      if (part.sharedWith === w && part.sharedId >= firstId) part.sharedWith = undefined;
    }
    w.nextSharedId = firstId;
    w.rollback();
    return false;
  }

  /** The document as a JSON text, equal to `JSON.stringify(body)`. */
  get json(): string {
    // Concatenated parts would repeat a key there (JSON that a search engine refuses).
    for (const part of this.#parts) if (part.mayRepeatKeys) return JSON.stringify(this.body);
    let out = "{";
    let first = true;
    for (const part of this.#parts) {
      const json = part.json;
      if (json === "") continue;
      out += first ? json : "," + json;
      first = false;
    }
    return out + "}";
  }
}

/** Fields of a looked-up document that belong to the document, not to its open or user. */
const DOC_META = new Set([
  "@timestamp",
  "type",
  "xrd_msg_type",
  "xrd_hasOpenInfo",
  "xrd_hasUserInfo",
  "xrd_hasDerivedStats",
  "xrd_record_add_time",
]);

/**
 * Copies the fields of an indexed document except its own metadata (timestamp, kind, join
 * flags) into `into`, so an older open or login can be joined into a new document.
 *
 * @example
 * ```ts
 * import { withoutMeta } from "./document.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(withoutMeta({ "@timestamp": "x", xrd_msg_type: "fstream_open", xrd_lfn: "/a" }), { xrd_lfn: "/a" });
 * ```
 */
export function withoutMeta(body: Record<string, unknown>, into: Fields = {}): Fields {
  for (const [key, value] of Object.entries(body)) if (!DOC_META.has(key)) into[key] = value;
  return into;
}
