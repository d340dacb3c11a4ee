/**
 * The codec contract (public, versioned): what a format implements, for the built-in codecs and for
 * a `--codec-module`. The package publishes it (bench/index.ts); a change that would break a codec
 * written against it bumps CODEC_CONTRACT_VERSION. No import: this is the foundation.
 */

/**
 * 1: `Codec` with `dump(tuples, path)`, `load(path)` returning `LoadedData`, optional `init`,
 * `packages`, `returns` and `dumpBy`; and optional `forDataset` (a codec without it is a
 * tuples-only codec, so codecs written before it are unaffected).
 */
export const CODEC_CONTRACT_VERSION = 1;

/** One record of the experiment: a float in [0,1), a 20-char string, a uint64. */
export type Tuple = [number, string, bigint];

/**
 * The typed-array layout ("the floor"): the same N records held in three
 * columns. Strings are fixed-width latin1 bytes, `stringWidth` per record.
 */
export interface ColumnarData {
  readonly kind: 'columnar';
  readonly n: number;
  readonly floats: Float64Array;
  readonly ints: BigUint64Array;
  readonly strings: Uint8Array;
  readonly stringWidth: number;
}

/**
 * Arrow vectors as the Arrow codecs load them (`bench/codecs/arrow-data.ts` has the apache-arrow
 * types): a Table of record batches, checked on load (three columns, Float64, Utf8 and Uint64, no
 * nulls, string offsets in bounds), so the checksum reads the buffers directly, without building
 * rows. Here only the parts the checksum reads, by shape: the foundation imports no library.
 */
export interface ArrowData {
  readonly kind: 'arrow';
  readonly n: number;
  readonly table: ArrowTableView;
}

/** An apache-arrow `Table` as far as the suite reads it: its record batches' column buffers. */
export interface ArrowTableView {
  readonly batches: readonly { readonly numRows: number; readonly data: { readonly children: readonly ArrowColumnView[] } }[];
}

/** One column of a record batch (apache-arrow's `Data`): `values` (and for strings `valueOffsets`) start at `offset`. */
export interface ArrowColumnView {
  readonly offset: number;
  readonly values: unknown;
  readonly valueOffsets?: unknown;
}

/** What a codec's `load` returns: the tuples themselves, or a columnar view of them (typed arrays, or Arrow vectors). */
export type LoadedData = Tuple[] | ColumnarData | ArrowData;

/** Whole-document codecs hold the full serialized form at once; streaming ones go record by record. */
export type CodecKind = 'whole' | 'stream';

/**
 * What a codec's load hands the application, declared by the codec (and checked against what its
 * load returned, in the measured child): loads that return different things do not compare.
 * - `rows`: the tuples as JavaScript values, used as they are (`Tuple[]`);
 * - `columns`: typed arrays, one per field (`ColumnarData`): no value is built per record;
 * - `lazy`: a view whose values are decoded when read (Arrow vectors, `ArrowData`).
 */
export const LOAD_RETURNS = ['rows', 'columns', 'lazy'] as const;
export type LoadReturns = (typeof LOAD_RETURNS)[number];

/**
 * A format. Adding one = one file in `bench/codecs/` exporting an object of
 * this type, plus one line in `bench/codecs/index.ts`.
 */
export interface Codec {
  /** Short unique name used on the command line and in reports (e.g. `json`). */
  readonly name: string;
  readonly kind: CodecKind;
  /** File extension, without the dot. */
  readonly extension: string;
  /** One sentence for the report: what the format is and how it encodes the uint64. */
  readonly description: string;
  /** Library packages whose versions the report must record (e.g. `['msgpackr']`). */
  readonly packages?: readonly string[];
  /**
   * What `load` returns (LOAD_RETURNS). @default 'rows'. A load that returns `ColumnarData` must
   * declare `columns`, one that returns `ArrowData` `lazy`: the measured child fails the case otherwise.
   */
  readonly returns?: LoadReturns;
  /**
   * The codec whose dump writes this codec's files, with the same code and the same bytes
   * (`arrow-rows` reads what `arrow` writes): the suite runs no dump case of its own (the tables show
   * its dump as that codec's), and its loads read that codec's dump file. Its `dump` is that codec's.
   */
  readonly dumpBy?: string;
  /**
   * Load the codec's libraries and build what it needs once (schemas). Codecs
   * whose libraries are large import them here, not at module load, so that
   * every measured child (which imports the whole registry) does not carry
   * them. The measuring child awaits it before taking its baseline, so the
   * loading is not charged to the phase; `dump` and `load` call it themselves
   * when nobody did. Idempotent.
   */
  init?(): Promise<void>;
  /**
   * Bind to a dataset (the data model, bench/data): the dump and load the measured child uses for
   * it, or why the format cannot carry it. Pure and cheap, no library import. Absent: the codec
   * carries the tuples only, with its `dump` and `load`.
   */
  forDataset?(dataset: DatasetRef): DatasetCodec | Unsupported;
  /** Write `data` to `path`. Resolves when the file is complete and closed. */
  dump(data: readonly Tuple[], path: string): Promise<void>;
  /** Read `path` back. Throws an Error naming the codec and the file on bad input. */
  load(path: string): Promise<LoadedData>;
}

/** What a codec is told about a dataset (bench/data's DatasetInfo carries more: its schema's description, default N). */
export interface DatasetRef {
  /** `tuples`, … */
  readonly name: string;
  /** The dataset's schema (bench/data/schema.ts RecordSchema, plain JSON-able objects). */
  readonly schema: unknown;
  /** SHA-256 of the schema's canonical JSON: the same name with another schema is another dataset. */
  readonly fingerprint: string;
}

/** A codec bound to one dataset: its records in, its records (or columns of them) out. */
export interface DatasetCodec {
  /** Dataset-dependent set-up (schemas, descriptors), awaited before the child's baseline. */
  init?(): Promise<void>;
  dump(rows: readonly unknown[], path: string): Promise<void>;
  load(path: string): Promise<LoadedData>;
}

/** A format that cannot carry a dataset: why, and the first field it cannot carry ('' when the whole dataset). */
export interface Unsupported {
  readonly unsupported: string;
  readonly path: string;
}
