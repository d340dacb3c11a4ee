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
 * same checksum as the rows it holds. A union has no column form (no columnar format here carries
 * one): it is refused when the hasher is compiled, naming the field.
 */
import { hashOneByteString, hashString, Sink } from './hash.js';
import type { ArrowData, ColumnarData } from '../types.js';
import type { EnumType, ListType, MapType, RecordSchema, Type, VectorType } from './schema.js';
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
  /** string, bytes: n + 1 offsets into `values` (UTF-8 bytes). */
  readonly valueOffsets?: Int32Array | null;
  /** record and tuple fields; list, vector and map: the one element column (a map's: a record of key and value). */
  readonly children?: readonly ColumnData[];
  /** enum: `values` index these strings (Arrow's dictionary); absent, `values` are the schema's symbol indices. */
  readonly dictionary?: readonly string[];
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
  if (d.kind === 'arrow' && d.batches) return { source: 'arrow', batches: d.batches }; // checked and adapted by the codec (mapping/arrow.ts)
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

const utf8 = new TextDecoder();

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
      return enumReader(type, where);
    case 'list':
    case 'vector':
    case 'map':
      return sequenceReader(type, source, where);
    default:
      throw new Error(`${where}: a ${type.kind} has no column form here (the data model reads columns of every kind but union)`);
  }
}

/** An enum: an index into the column's dictionary (Arrow), or the schema's symbol index itself. */
function enumReader(type: EnumType, where: string): ColumnReader {
  const bySymbol = new Map<string, number>(type.symbols.map((s, i) => [s, i]));
  // per column, its dictionary's positions as schema indices (-1: not a symbol of the enum)
  const toSchema = new WeakMap<ColumnData, Int32Array>();
  const index = (col: ColumnData, row: number): number => {
    const i = (col.values as ArrayLike<number>)[col.offset + row]!;
    if (!col.dictionary) return i >= 0 && i < type.symbols.length ? i : -1;
    let map = toSchema.get(col);
    if (!map) {
      map = Int32Array.from(col.dictionary, (s) => bySymbol.get(s) ?? -1);
      toSchema.set(col, map);
    }
    return map[i] ?? -1;
  };
  const raw = (col: ColumnData, row: number): unknown => {
    const i = (col.values as ArrayLike<number>)[col.offset + row];
    return col.dictionary ? (col.dictionary[i as number] ?? i) : i;
  };
  return {
    present,
    value: (col, row) => {
      const i = index(col, row);
      return i < 0 ? raw(col, row) : type.symbols[i];
    },
    hash: (col, row, k) => {
      const i = index(col, row);
      if (i < 0) return k.bad(() => where, 'enum', raw(col, row));
      k.ensure(4);
      k.view.setUint32(k.pos, i, true);
      k.pos += 4;
    },
  };
}

const VECTOR_OF = { f32: Float32Array, f64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;
const VECTOR_WIDTH = { f32: 4, f64: 8, int32: 4, uint8: 1 } as const;
const VECTOR_WRITE: Record<keyof typeof VECTOR_OF, (v: DataView, at: number, x: number) => void> = {
  f32: (v, at, x) => v.setFloat32(at, x, true),
  f64: (v, at, x) => v.setFloat64(at, x, true),
  int32: (v, at, x) => v.setInt32(at, x, true),
  uint8: (v, at, x) => v.setUint8(at, x),
};

/**
 * A list, vector or map: a count, then its elements from the child column, between the column's
 * offsets (a fixed-length vector: `length` elements a slot). A map's child is a record of key and
 * value; its entries are hashed in key order, as the row hasher does (maps are unordered).
 */
function sequenceReader(type: ListType | VectorType | MapType, source: Source, where: string): ColumnReader {
  const fixed = type.kind === 'vector' ? type.length : undefined;
  const range = (col: ColumnData, row: number): [number, number] => {
    const i = col.offset + row;
    if (fixed !== undefined) return [i * fixed, (i + 1) * fixed];
    const off = col.valueOffsets!;
    return [off[i]!, off[i + 1]!];
  };
  const count = (k: Sink, n: number): void => {
    k.ensure(4);
    k.view.setUint32(k.pos, n, true);
    k.pos += 4;
  };
  if (type.kind === 'vector') {
    const width = VECTOR_WIDTH[type.element];
    const write = VECTOR_WRITE[type.element];
    const T = VECTOR_OF[type.element];
    return {
      present,
      value: (col, row) => {
        const [a, b] = range(col, row);
        const c = col.children![0]!;
        const vals = c.values as ArrayLike<number>;
        const out = new T(b - a);
        for (let j = a; j < b; j++) out[j - a] = vals[c.offset + j]!;
        return out;
      },
      hash: (col, row, k) => {
        const [a, b] = range(col, row);
        const c = col.children![0]!;
        const vals = c.values as ArrayLike<number>;
        count(k, b - a);
        for (let j = a; j < b; j++) {
          k.ensure(width);
          write(k.view, k.pos, vals[c.offset + j]!);
          k.pos += width;
        }
      },
    };
  }
  if (type.kind === 'list') {
    const item = reader(type.of, source, `${where}[]`);
    const kind = type.of.kind;
    return {
      present,
      value: (col, row) => {
        const [a, b] = range(col, row);
        const c = col.children![0]!;
        const out = new Array<unknown>(b - a);
        for (let j = a; j < b; j++) out[j - a] = item.present(c, j) ? item.value(c, j) : null;
        return out;
      },
      hash: (col, row, k) => {
        const [a, b] = range(col, row);
        const c = col.children![0]!;
        count(k, b - a);
        for (let j = a; j < b; j++) {
          if (item.present(c, j)) item.hash(c, j, k);
          else k.bad(() => `${where}[${j - a}]`, kind, null);
        }
      },
    };
  }
  const key = reader({ kind: 'string' }, source, `${where}{}`);
  const item = reader(type.values, source, `${where}{}`);
  const kind = type.values.kind;
  const entries = (col: ColumnData, row: number) => {
    const [a, b] = range(col, row);
    const e = col.children![0]!;
    const [kc, vc] = e.children!;
    const out: { key: string; at: number }[] = [];
    for (let j = a; j < b; j++) out.push({ key: key.value(kc!, e.offset + j) as string, at: e.offset + j });
    return { out, vc: vc! };
  };
  return {
    present,
    value: (col, row) => {
      const { out, vc } = entries(col, row);
      const o: Record<string, unknown> = {};
      for (const { key: name, at } of out) o[name] = item.present(vc, at) ? item.value(vc, at) : null;
      return o;
    },
    hash: (col, row, k) => {
      const { out, vc } = entries(col, row);
      out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)); // UTF-16 code-unit order, as Object.keys().sort()
      count(k, out.length);
      for (const { key: name, at } of out) {
        hashString(name, k);
        if (item.present(vc, at)) item.hash(vc, at, k);
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
