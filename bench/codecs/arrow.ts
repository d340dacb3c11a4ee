/**
 * arrow: Apache Arrow with apache-arrow, whole document: the IPC *file*
 * format (Feather v2: magic, one schema, record batches, a footer), written by
 * tableToIPC(table, 'file') and read by tableFromIPC.
 *
 * Three columns: `f` Float64, `s` Utf8, `u` Uint64. The uint64 column holds a
 * BigUint64Array and comes back as one, so every value is exact. Load returns
 * the Arrow Table itself (LoadedData kind 'arrow'): columnar data in Arrow
 * vectors, like `columnar`'s typed arrays, never turned into rows; the
 * suite's checksum reads the vectors' buffers directly. tableFromIPC does not
 * copy: the vectors are views into the file's bytes, so what a load keeps is
 * about the file itself.
 *
 * Dump builds the three vectors from the tuples (makeVector over typed arrays;
 * vectorFromArray with an explicit Utf8 type for the strings, which would
 * otherwise be dictionary-encoded) as one record batch.
 *
 * Other datasets: columns from the dataset's schema (mapping/arrow.ts, loaded
 * on the binding's init), all rows in one record batch; the load returns the
 * Table and its columns checked against the schema (ColumnData), still no rows.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import type { RecordSchema } from '../data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Tuple, Unsupported } from '../types.js';
import type { ArrowColumnsData, ArrowTableData, ArrowTuples } from './arrow-data.js';
import { CodecError, withCodecContext } from './errors.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import { once } from './lazy.js';
import { tuplesOr } from './bind.js';
import type { ArrowMapping } from './mapping/arrow.js';
import { bindMapped, firstUnion } from './mapping/plan.js';

/** The library, imported on first use (lazy.ts). */
export const arrowLib: () => Promise<typeof import('apache-arrow')> = once(() => import('apache-arrow'));
type ArrowLib = Awaited<ReturnType<typeof arrowLib>>;

/** Tuples [start, end) as an Arrow table of one record batch. */
export function tuplesToTable(lib: ArrowLib, data: readonly Tuple[], start = 0, end = data.length): Table<ArrowTuples> {
  const { makeVector, Table, Utf8, vectorFromArray } = lib;
  const n = end - start;
  const f = new Float64Array(n);
  const u = new BigUint64Array(n);
  const s = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const t = data[start + i]!;
    f[i] = t[0];
    s[i] = t[1];
    u[i] = t[2];
  }
  return new Table<ArrowTuples>({ f: makeVector(f), s: vectorFromArray(s, new Utf8()), u: makeVector(u) });
}

/**
 * Throw unless `table` is columns f: Float64, s: Utf8, u: Uint64 with no nulls
 * and string offsets inside their buffers, so the checksum (and any user) can
 * read the buffers without further checks. A corrupt file can decode into any
 * schema or into offsets that point anywhere.
 */
export function checkArrowTable(lib: ArrowLib, table: Table, codec: string, path: string): ArrowTableData {
  const { DataType, Precision } = lib;
  const fail = (why: string): never => {
    throw new CodecError(codec, path, why);
  };
  const fields = table.schema.fields;
  const [ff, fs, fu] = fields;
  if (fields.length !== 3 || !ff || !fs || !fu || ff.name !== 'f' || fs.name !== 's' || fu.name !== 'u') {
    fail(`columns are [${fields.map((x) => x.name).join(', ')}], expected [f, s, u]`);
  }
  if (!DataType.isFloat(ff!.type) || ff!.type.precision !== Precision.DOUBLE) fail(`column f is ${String(ff!.type)}, expected Float64`);
  if (!DataType.isUtf8(fs!.type)) fail(`column s is ${String(fs!.type)}, expected Utf8`);
  if (!DataType.isInt(fu!.type) || fu!.type.bitWidth !== 64 || fu!.type.isSigned) fail(`column u is ${String(fu!.type)}, expected Uint64`);
  let rows = 0;
  for (const batch of table.batches) {
    const n = batch.numRows;
    const [f, s, u] = batch.data.children;
    if (!f || !s || !u) fail(`record batch at row ${rows} lacks a column`);
    for (const [name, d] of [
      ['f', f],
      ['s', s],
      ['u', u],
    ] as const) {
      if (d!.nullCount !== 0) fail(`column ${name} has ${d!.nullCount} nulls in the record batch at row ${rows}`);
      if (d!.length !== n) fail(`column ${name} has ${d!.length} values in a record batch of ${n} rows at row ${rows}`);
    }
    if (f!.values.length < f!.offset + n || u!.values.length < u!.offset + n) fail(`a value buffer is short in the record batch at row ${rows}`);
    const off = s!.valueOffsets as Int32Array;
    const bytes = s!.values as Uint8Array;
    if (off.length < s!.offset + n + 1) fail(`string offsets are short in the record batch at row ${rows}`);
    for (let i = s!.offset; i < s!.offset + n; i++) {
      if (off[i]! < 0 || off[i + 1]! < off[i]! || off[i + 1]! > bytes.length) fail(`string offsets of row ${rows + i - s!.offset} are out of bounds`);
    }
    rows += n;
  }
  return { kind: 'arrow', n: rows, table: table as unknown as Table<ArrowTuples> };
}

/** How Arrow carries a dataset's types (arrow, arrow-stream, arrow-rows). */
export const ARROW_CARRIES =
  'Other datasets: columns from the schema: f64 Float64, f32 Float32, int32 Int32, uint64 Uint64, bool Bool (bits), string Utf8 (a lone surrogate becomes U+FFFD), bytes Binary, enum Dictionary<Utf8, Int32> of the symbols, optional a nullable field, list List, record and tuple Struct, vector FixedSizeList(k) when its length is fixed, List otherwise, map Map<Utf8, V>; a union has no Arrow mapping (n/a).';

/** The first union in a schema, as n/a: Arrow has union types (DenseUnion), not mapped here. Paths as validateSchema writes them. */
export function arrowCannotCarry(schema: RecordSchema): Unsupported | null {
  const path = firstUnion(schema);
  return path === null ? null : { unsupported: 'a union has no Arrow mapping here', path };
}

/** An Arrow codec bound to a dataset other than the tuples: the schema's mapping (mapping/arrow.ts) built on init. */
export function bindArrow(
  schema: RecordSchema,
  write: (rows: readonly unknown[], path: string, m: ArrowMapping) => Promise<void>,
  read: (path: string, m: ArrowMapping) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  return bindMapped(arrowCannotCarry(schema), async () => (await import('./mapping/arrow.js')).arrowMapping(await arrowLib(), schema), write, read);
}

/** A dataset's records as an IPC file of one record batch (arrow's dump, and so arrow-rows' file). */
export async function writeArrowFile(rows: readonly unknown[], path: string, m: ArrowMapping): Promise<void> {
  const lib = await arrowLib();
  await writeFile(path, lib.tableToIPC(new lib.Table([m.batch(rows, 0, rows.length)]), 'file'));
}

/** A table read back, checked against the mapping's schema: the lazy form (the Table) with its columns for the checksum. */
export function arrowColumns(m: ArrowMapping, table: Table, codec: string, path: string): ArrowColumnsData {
  const batches = m.check(table, codec, path);
  return { kind: 'arrow', n: table.numRows, table: table as unknown as ArrowColumnsData['table'], batches };
}

export const arrow: Codec = {
  name: 'arrow',
  kind: 'whole',
  returns: 'lazy',
  extension: 'arrow',
  description: `Apache Arrow IPC file format via apache-arrow tableToIPC / tableFromIPC, columns f Float64, s Utf8, u Uint64 (BigUint64Array) in one record batch; loads into Arrow vectors (columnar, no rows built). ${ARROW_CARRIES}`,
  packages: ['apache-arrow'],
  async init() {
    await arrowLib();
  },
  forDataset: (dataset) =>
    tuplesOr(arrow, dataset, (schema) =>
      bindArrow(schema, writeArrowFile, (path, m) =>
        withCodecContext('arrow', path, async () => {
          const lib = await arrowLib();
          await checkArrowIpc(path, 'file');
          return arrowColumns(m, lib.tableFromIPC(await readFile(path)), 'arrow', path);
        }),
      ),
    ),
  async dump(data, path) {
    const lib = await arrowLib();
    await writeFile(path, lib.tableToIPC(tuplesToTable(lib, data), 'file'));
  },
  load(path) {
    return withCodecContext('arrow', path, async () => {
      const lib = await arrowLib();
      await checkArrowIpc(path, 'file'); // the library trusts the file: arrow-ipc-check.ts
      return checkArrowTable(lib, lib.tableFromIPC(await readFile(path)), 'arrow', path);
    });
  },
};
