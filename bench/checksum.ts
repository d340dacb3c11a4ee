/**
 * The tuples' checksums, over the data model (bench/data): rows through the schema-driven hasher,
 * columnar and Arrow loads through the column hasher, both writing the same canonical stream.
 */
import { TUPLE_SCHEMA } from './data/datasets/tuples.js';
import { batchesOf, checksumBatches, countLoaded } from './data/columns.js';
import { checksumRecords } from './data/hash.js';
import type { ArrowData, ColumnarData, LoadedData, Tuple } from './types.js';

/** The tuples' checksum: the data model's schema-driven hasher over the tuples' schema (bench/data/hash.ts). */
export function checksumTuples(tuples: Iterable<Tuple>): string {
  return checksumRecords(TUPLE_SCHEMA, tuples);
}

export function checksumColumnar(c: ColumnarData): string {
  return checksumLoaded(c);
}

/** Arrow record batches, read from their buffers (no rows built). */
export function checksumArrow(a: ArrowData): string {
  return checksumLoaded(a);
}

/** Checksum of whatever a codec's `load` returned. */
export function checksumLoaded(data: LoadedData): string {
  const cols = batchesOf(TUPLE_SCHEMA, data);
  return cols ? checksumBatches(TUPLE_SCHEMA, cols.source, cols.batches) : checksumTuples(data as Tuple[]);
}

/** Number of records in loaded data. */
export function loadedLength(data: LoadedData): number {
  return countLoaded(data);
}
