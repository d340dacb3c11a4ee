/**
 * The built-in datasets with what bench/data derives from their schemas (checksum, verification,
 * size): for the parent, the side measurements and tests. A measured child does not import this
 * before its baseline (registry.ts gives it the bare definition first): see datasets/tuples.ts.
 */
import type { LoadedData, Tuple } from '../types.js';
import { defineDataset } from './dataset.js';
import { tuplesDefinition } from './datasets/tuples.js';
import { checksumRecords } from './hash.js';

/** The original experiment as a Dataset. */
export const tuples = defineDataset(tuplesDefinition);

/** The tuples' checksum (public API, as before the data model): `tuples.checksum` of rows. */
export function checksumTuples(data: Iterable<Tuple>): string {
  return checksumRecords(tuplesDefinition.schema, data);
}

/** Checksum of whatever a codec's `load` returned for the tuples (public API): rows or columns. */
export function checksumLoaded(data: LoadedData): string {
  return tuples.checksum(data);
}
