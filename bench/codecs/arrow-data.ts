/**
 * The Arrow codecs' own types (apache-arrow's), next to them: the foundation's `ArrowData`
 * (bench/types/codec.ts) describes the same loaded value by shape and imports no library.
 */
import type { Float64, Table, Uint64, Utf8 } from 'apache-arrow';
import type { ColumnBatch } from '../data/columns.js';
import type { ArrowData } from '../types.js';

/** The columns of the Arrow codecs: `f` Float64, `s` Utf8, `u` Uint64 (a BigUint64Array). */
export type ArrowTuples = { f: Float64; s: Utf8; u: Uint64 };

/** What the Arrow codecs' loads return: `ArrowData` holding the checked apache-arrow Table itself. */
export interface ArrowTableData extends ArrowData {
  readonly table: Table<ArrowTuples>;
}

/** What the Arrow codecs' loads return for other datasets: the Table, and its columns checked against the schema (mapping/arrow.ts) for the checksum. */
export interface ArrowColumnsData extends ArrowData {
  readonly batches: readonly ColumnBatch[];
}
