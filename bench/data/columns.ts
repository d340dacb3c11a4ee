/**
 * Loaded data in columns: the physical layout the `columnar` floor and the Arrow loads expose,
 * hashed and counted without building rows, and turned into rows only on the slow path (the diff
 * that names a first difference, issue 22's `arrow-rows`).
 *
 * `ColumnData` has the field names of Arrow's `Data` (structurally: no apache-arrow import here), so
 * an Arrow table's record batches are read as they are; the tuples' legacy `ColumnarData` (three
 * typed arrays, strings as fixed-width latin1) is adapted to one batch.
 *
 * The column hasher writes exactly the row hasher's stream (hash.ts), so a columnar load has the
 * same checksum as the rows it holds. A union has no column form here (no codec lays one out): it is
 * refused when the hasher is compiled, naming the field.
 */
import { hashOneByteString, hashString, Sink } from './hash.js';
import type { ArrowData, ColumnarData } from '../types.js';
import type { RecordSchema, Type } from './schema.js';
import { NotRecordsError } from './failures.js';

/** One column of one batch: Arrow's physical layout, structurally. */
export interface ColumnData {
  /** Slots. */
  readonly length: number;
  /** First slot in the buffers. */
  readonly offset: number;
  /** Bit i (LSB first) set = slot present; absent or empty = no nulls. */
  readonly nullBitmap?: Uint8Array | null;
  readonly values?: ArrayLike<number> | ArrayLike<bigint>;
  /** string, bytes: n + 1 offsets into `values` (UTF-8 bytes); list, map, variable vector: into `children[0]`'s slots. */
  readonly valueOffsets?: Int32Array | null;
  /** record and tuple: one per field; list, vector: the elements; map: one `{key, value}` record column (Arrow's Map). */
  readonly children?: readonly ColumnData[];
  /** Fixed-length vector: elements per slot in `children[0]` (Arrow's FixedSizeList). */
  readonly stride?: number;
  /** Strings of the tuples' columnar layout: this many latin1 bytes per slot, NUL-padded. */
  readonly fixedLatin1Width?: number;
}

/** One batch of records: one column per top-level field, in the schema's order. */
export interface ColumnBatch {
  readonly length: number;
  readonly fields: readonly ColumnData[];
}

interface Batches {
  readonly kind: 'columnar' | 'arrow';
  readonly n: number;
  readonly batches: readonly ColumnBatch[];
}
/** What a load may return: rows (the dataset's in-memory form), or columns. */
export type Loaded = readonly unknown[] | ColumnarData | ArrowData | Batches;

/** How each source stores what the schema does not say: bools as bits (Arrow) or bytes (columnar). */
type Source = 'arrow' | 'columnar';

export { NotRecordsError };

/** The number of records in loaded data. */
export function countLoaded(data: Loaded): number {
  if (Array.isArray(data)) return data.length;
  const n = (data as { n?: unknown }).n;
  if (typeof n !== 'number') throw new NotRecordsError('the load returned neither rows nor columns with a record count');
  return n;
}

/** The columns of loaded data as batches, with their source; null for rows. */
export function batchesOf(schema: RecordSchema, data: Loaded): { source: Source; batches: readonly ColumnBatch[] } | null {
  if (Array.isArray(data)) return null;
  const d = data as { kind?: unknown } & Partial<Omit<ColumnarData, 'kind'> & Omit<ArrowData, 'kind'> & Omit<Batches, 'kind'>>;
  if (d.kind === 'arrow' && d.batches) return { source: 'arrow', batches: d.batches }; // checked and adapted by the codec (codecs/mapping/arrow.ts)
  if (d.kind === 'arrow' && d.table) {
    return {
      source: 'arrow',
      batches: d.table.batches.map((b) => ({ length: b.numRows, fields: b.data.children as readonly unknown[] as readonly ColumnData[] })),
    };
  }
  if (d.kind === 'columnar' && d.batches) return { source: 'columnar', batches: d.batches };
  if (d.kind === 'columnar' && d.floats && d.ints && d.strings && typeof d.stringWidth === 'number')
    return { source: 'columnar', batches: [legacyBatch(schema, d as unknown as ColumnarData)] };
  throw new NotRecordsError(
    `the load returned ${data === null ? 'null' : typeof data}${d.kind !== undefined ? ` of kind ${String(d.kind)}` : ''}: neither rows nor columns`,
  );
}

/** The tuples' legacy columnar layout as one batch (f: floats, s: fixed-width latin1, u: ints), in the schema's field order. */
function legacyBatch(schema: RecordSchema, c: ColumnarData): ColumnBatch {
  const byKind: Record<string, ColumnData> = {
    f64: { length: c.n, offset: 0, values: c.floats },
    string: { length: c.n, offset: 0, values: c.strings, fixedLatin1Width: c.stringWidth },
    uint64: { length: c.n, offset: 0, values: c.ints },
  };
  const kinds = schema.fields.map((f) => f.type.kind);
  if (kinds.length !== 3 || new Set(kinds).size !== 3 || kinds.some((k) => !byKind[k])) {
    throw new NotRecordsError(`the legacy columnar layout (floats, strings, ints) holds [f64, string, uint64] records, not ${schema.name}`);
  }
  return { length: c.n, fields: kinds.map((k) => byKind[k]!) };
}

/** Reads one column's value at a row, or writes it to a sink. */
interface ColumnReader {
  present(col: ColumnData, row: number): boolean;
  hash(col: ColumnData, row: number, k: Sink): void;
  value(col: ColumnData, row: number): unknown;
}

// ignoreBOM keeps a string's leading U+FEFF (by default the decoder drops it as a byte-order mark)
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function present(col: ColumnData, row: number): boolean {
  const bits = col.nullBitmap;
  if (!bits || bits.length === 0) return true;
  const i = col.offset + row;
  return (bits[i >> 3]! & (1 << (i & 7))) !== 0;
}

function stringBytes(col: ColumnData, row: number): Uint8Array {
  const values = col.values as Uint8Array;
  const w = col.fixedLatin1Width;
  if (w !== undefined) {
    // trailing NUL padding of the fixed-width field is not part of the string
    const start = (col.offset + row) * w;
    let end = start + w;
    while (end > start && values[end - 1] === 0) end--;
    return values.subarray(start, end);
  }
  const off = col.valueOffsets!;
  return values.subarray(off[col.offset + row]!, off[col.offset + row + 1]!);
}

function isOneByte(bytes: Uint8Array, latin1: boolean): boolean {
  if (latin1) return true;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

function reader(type: Type, source: Source, where: string): ColumnReader {
  const num = (set: (k: Sink, v: number) => void, width: number): ColumnReader => ({
    present,
    value: (col, row) => (col.values as ArrayLike<number>)[col.offset + row],
    hash: (col, row, k) => {
      k.ensure(width);
      set(k, (col.values as ArrayLike<number>)[col.offset + row]!);
      k.pos += width;
    },
  });
  switch (type.kind) {
    case 'f64':
      return num((k, v) => k.view.setFloat64(k.pos, v, true), 8);
    case 'f32':
      return num((k, v) => k.view.setFloat32(k.pos, v, true), 4);
    case 'int32':
      return num((k, v) => k.view.setInt32(k.pos, v, true), 4);
    case 'uint64':
      return {
        present,
        value: (col, row) => (col.values as ArrayLike<bigint>)[col.offset + row],
        hash: (col, row, k) => {
          k.ensure(8);
          k.view.setBigUint64(k.pos, (col.values as ArrayLike<bigint>)[col.offset + row]!, true);
          k.pos += 8;
        },
      };
    case 'bool': {
      const at =
        source === 'arrow'
          ? (col: ColumnData, row: number): boolean => {
              const i = col.offset + row;
              return ((col.values as Uint8Array)[i >> 3]! & (1 << (i & 7))) !== 0;
            }
          : (col: ColumnData, row: number): boolean => (col.values as Uint8Array)[col.offset + row] !== 0;
      return {
        present,
        value: at,
        hash: (col, row, k) => {
          k.ensure(1);
          k.buf[k.pos++] = at(col, row) ? 1 : 0;
        },
      };
    }
    case 'string':
      return {
        present,
        value: (col, row) => {
          const b = stringBytes(col, row);
          return col.fixedLatin1Width !== undefined ? Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1') : utf8.decode(b);
        },
        hash: (col, row, k) => {
          // one-byte text is hashed from its bytes (each byte one UTF-16 unit); other text is decoded first
          const b = stringBytes(col, row);
          const latin1 = col.fixedLatin1Width !== undefined;
          if (isOneByte(b, latin1)) hashOneByteString(b, k);
          else hashString(utf8.decode(b), k);
        },
      };
    case 'bytes':
      return {
        present,
        value: (col, row) => {
          const off = col.valueOffsets!;
          return (col.values as Uint8Array).slice(off[col.offset + row]!, off[col.offset + row + 1]!);
        },
        hash: (col, row, k) => {
          const off = col.valueOffsets!;
          const b = (col.values as Uint8Array).subarray(off[col.offset + row]!, off[col.offset + row + 1]!);
          k.ensure(4);
          k.view.setUint32(k.pos, b.length, true);
          k.pos += 4;
          if (b.length > k.buf.length) return k.direct(b);
          k.ensure(b.length);
          k.buf.set(b, k.pos);
          k.pos += b.length;
        },
      };
    case 'optional': {
      const inner = reader(type.of, source, where);
      return {
        present: () => true,
        value: (col, row) => (inner.present(col, row) ? inner.value(col, row) : null),
        hash: (col, row, k) => {
          k.ensure(1);
          if (!inner.present(col, row)) {
            k.buf[k.pos++] = 0;
            return;
          }
          k.buf[k.pos++] = 1;
          inner.hash(col, row, k);
        },
      };
    }
    case 'record':
    case 'tuple': {
      const fields = recordReaders(type, source, where);
      return {
        present,
        value: (col, row) => fields.value(col.children!, col.offset + row),
        hash: (col, row, k) => fields.hash(col.children!, col.offset + row, k),
      };
    }
    case 'enum':
      return enumReader(type.symbols, where);
    case 'list':
      return listReader(reader(type.of, source, `${where}[]`), type.of.kind, where);
    case 'vector':
      return vectorReader(type.element, type.length, where);
    case 'map':
      return mapReader(reader({ kind: 'string' }, source, `${where}{}`), reader(type.values, source, `${where}{}`), type.values.kind, where);
    default:
      throw new Error(`${where}: a ${type.kind} has no column form here (the data model reads columns of every kind but union)`);
  }
}

/** An enum's values are its symbols' indices in the schema (Uint8Array or Uint16Array). */
function enumReader(symbols: readonly string[], where: string): ColumnReader {
  const at = (col: ColumnData, row: number): number => (col.values as ArrayLike<number>)[col.offset + row]!;
  return {
    present,
    value: (col, row) => symbols[at(col, row)] ?? at(col, row),
    hash: (col, row, k) => {
      const i = at(col, row);
      if (!(i < symbols.length)) return k.bad(() => where, 'enum', i);
      k.ensure(4);
      k.view.setUint32(k.pos, i, true);
      k.pos += 4;
    },
  };
}

/** The child slots [start, end) of a list, map or vector slot: through `valueOffsets`, or `stride` per slot. */
function span(col: ColumnData, row: number): [number, number] {
  const i = col.offset + row;
  if (col.stride !== undefined) return [i * col.stride, (i + 1) * col.stride];
  const off = col.valueOffsets!;
  return [off[i]!, off[i + 1]!];
}

function listReader(inner: ColumnReader, kind: Type['kind'], where: string): ColumnReader {
  return {
    present,
    value: (col, row) => {
      const [s, e] = span(col, row);
      const child = col.children![0]!;
      const out: unknown[] = [];
      for (let j = s; j < e; j++) out.push(inner.present(child, j) ? inner.value(child, j) : null);
      return out;
    },
    hash: (col, row, k) => {
      const [s, e] = span(col, row);
      const child = col.children![0]!;
      k.ensure(4);
      k.view.setUint32(k.pos, e - s, true);
      k.pos += 4;
      for (let j = s; j < e; j++) {
        if (inner.present(child, j)) inner.hash(child, j, k);
        else k.bad(() => `${where}[${j - s}]`, kind, null);
      }
    },
  };
}

const VECTOR_PUT = {
  f32: [4, (k: Sink, v: number) => k.view.setFloat32(k.pos, v, true)],
  f64: [8, (k: Sink, v: number) => k.view.setFloat64(k.pos, v, true)],
  int32: [4, (k: Sink, v: number) => k.view.setInt32(k.pos, v, true)],
  uint8: [1, (k: Sink, v: number) => k.view.setUint8(k.pos, v)],
} as const;

/** A vector's elements are `children[0].values` (a typed array of its element type), by stride or offsets. */
function vectorReader(element: keyof typeof VECTOR_PUT, length: number | undefined, where: string): ColumnReader {
  const [width, put] = VECTOR_PUT[element];
  return {
    present,
    value: (col, row) => {
      const [s, e] = span(col, row);
      const child = col.children![0]!;
      return (child.values as Float32Array).slice(child.offset + s, child.offset + e);
    },
    hash: (col, row, k) => {
      const [s, e] = span(col, row);
      const child = col.children![0]!;
      const values = child.values as ArrayLike<number>;
      if (length !== undefined && e - s !== length) return k.bad(() => where, 'vector', e - s);
      k.ensure(4);
      k.view.setUint32(k.pos, e - s, true);
      k.pos += 4;
      for (let j = child.offset + s; j < child.offset + e; j++) {
        k.ensure(width);
        put(k, values[j]!);
        k.pos += width;
      }
    },
  };
}

/** A map is a list of `{key, value}` entries (Arrow's Map): hashed in key order, valued in stored order. */
function mapReader(key: ColumnReader, value: ColumnReader, kind: Type['kind'], where: string): ColumnReader {
  const entries = (col: ColumnData, row: number) => {
    const [s, e] = span(col, row);
    const ent = col.children![0]!;
    const [keys, values] = ent.children!;
    const out: { key: string; j: number }[] = [];
    for (let j = ent.offset + s; j < ent.offset + e; j++) out.push({ key: key.value(keys!, j) as string, j });
    return { out, values: values! };
  };
  return {
    present,
    value: (col, row) => {
      const { out, values } = entries(col, row);
      const o: Record<string, unknown> = {};
      for (const { key: name, j } of out) o[name] = value.present(values, j) ? value.value(values, j) : null;
      return o;
    },
    hash: (col, row, k) => {
      const { out, values } = entries(col, row);
      out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)); // UTF-16 code-unit order, as the row hasher
      k.ensure(4);
      k.view.setUint32(k.pos, out.length, true);
      k.pos += 4;
      for (const { key: name, j } of out) {
        hashString(name, k);
        if (value.present(values, j)) value.hash(values, j, k);
        else k.bad(() => `${where}[${JSON.stringify(name)}]`, kind, null);
      }
    },
  };
}

/** A record's fields over its child columns: hashed in the row hasher's order (scalars first), valued in field order. */
function recordReaders(type: RecordSchema, source: Source, where: string) {
  const parts = type.fields.map((f, i) => ({
    i,
    name: f.name,
    kind: f.type.kind,
    scalar: isScalar(f.type),
    path: type.kind === 'tuple' ? `${where}[${i}]` : `${where}.${f.name}`,
    r: reader(f.type, source, type.kind === 'tuple' ? `${where}[${i}]` : `${where}.${f.name}`),
  }));
  const order = [...parts.filter((p) => p.scalar), ...parts.filter((p) => !p.scalar)];
  // a null slot in a column the schema does not make optional is a misfit at that field
  const nonNull = (p: (typeof parts)[number], cols: readonly ColumnData[], row: number, k: Sink): void => {
    const col = cols[p.i]!;
    if (p.r.present(col, row)) p.r.hash(col, row, k);
    else k.bad(() => p.path, p.kind, null);
  };
  return {
    hash: (cols: readonly ColumnData[], row: number, k: Sink): void => {
      for (const p of order) nonNull(p, cols, row, k);
    },
    value: (cols: readonly ColumnData[], row: number): unknown => {
      if (type.kind === 'tuple') return parts.map((p) => (p.r.present(cols[p.i]!, row) ? p.r.value(cols[p.i]!, row) : null));
      const o: Record<string, unknown> = {};
      for (const p of parts) o[p.name] = p.r.present(cols[p.i]!, row) ? p.r.value(cols[p.i]!, row) : null;
      return o;
    },
  };
}

function isScalar(type: Type): boolean {
  return type.kind === 'f64' || type.kind === 'f32' || type.kind === 'int32' || type.kind === 'uint64' || type.kind === 'bool' || type.kind === 'enum';
}

const compiled = new WeakMap<RecordSchema, Map<Source, ReturnType<typeof recordReaders>>>();
function readersOf(schema: RecordSchema, source: Source): ReturnType<typeof recordReaders> {
  const bySource = compiled.get(schema) ?? new Map<Source, ReturnType<typeof recordReaders>>();
  compiled.set(schema, bySource);
  const r = bySource.get(source) ?? recordReaders(schema, source, '');
  bySource.set(source, r);
  return r;
}

/** The checksum of records held in columns: the same digest the row hasher gives for the same records. */
export function checksumBatches(schema: RecordSchema, source: Source, batches: readonly ColumnBatch[]): string {
  const r = readersOf(schema, source);
  const k = new Sink();
  let records = 0;
  for (const b of batches) {
    if (b.fields.length !== schema.fields.length) throw new NotRecordsError(`a batch of ${b.fields.length} columns for ${schema.fields.length} fields`);
    for (let row = 0; row < b.length; row++) {
      k.record = records++;
      r.hash(b.fields, row, k);
    }
  }
  return k.digest(records);
}

/** The records held in columns, one at a time, in the dataset's in-memory form (slow path). */
export function* rowsOf(schema: RecordSchema, source: Source, batches: readonly ColumnBatch[]): Generator<unknown> {
  const r = readersOf(schema, source);
  for (const b of batches) for (let row = 0; row < b.length; row++) yield r.value(b.fields, row);
}

/** The records of loaded data one at a time: the rows themselves, or rows built from columns. */
export function loadedRows(schema: RecordSchema, data: Loaded): Iterable<unknown> {
  const cols = batchesOf(schema, data);
  return cols ? rowsOf(schema, cols.source, cols.batches) : (data as readonly unknown[]);
}
