/**
 * The Arrow family's mapping (arrow, arrow-stream, arrow-rows; design §5.2, §5.3): an Arrow Schema
 * from the dataset's schema, rows into record batches, the check of a table read back, and the
 * adapter from Arrow `Data` to bench/data/columns.ts's ColumnData (so the checksum hashes the
 * columns without building rows). Loaded only when an Arrow codec binds to a dataset other than
 * the tuples (the tuples keep arrow.ts's own code and bytes).
 *
 * Types: f64 Float64, f32 Float32, int32 Int32, uint64 Uint64 (BigUint64Array), bool Bool (bits),
 * string Utf8, bytes Binary, enum Dictionary<Utf8, Int32> whose dictionary is the symbols in schema
 * order, optional a nullable field, list List, record and tuple Struct (a tuple's fields by name),
 * vector FixedSizeList<E>(k) when its length is fixed, List<E> otherwise (E: Float32, Float64,
 * Int32, Uint8), map Map_<Utf8, V>. A union has no mapping here (arrow.ts says n/a at plan time).
 *
 * The builders are written here rather than apache-arrow's makeBuilder because its Dictionary
 * builder numbers symbols in order of first appearance and grows the dictionary from batch to
 * batch (delta dictionaries): the dictionary here is fixed by the schema, one vector shared by
 * every batch, so the writer writes it once. They also keep a batch's garbage to its buffers
 * (arrow-stream.ts: the library's builders left per-value garbage behind each batch).
 */
import type { Data, DataType, Field, RecordBatch, Schema, Table, Vector } from 'apache-arrow';
import { type ColumnBatch, type ColumnData, rowsOf } from '../../data/columns.js';
import type { RecordSchema, Type, VectorElement } from '../../data/schema.js';
import { intrinsicBytes } from '../../data/size.js';
import { CodecError } from '../errors.js';

type ArrowLib = typeof import('apache-arrow');
type Typed = Float64Array | Float32Array | Int32Array | Uint8Array | BigUint64Array;
type TypedCtor = Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor | BigUint64ArrayConstructor;

/** The tuples' batch of arrow-stream: 65,536 rows of 36 bytes of content (about 2.4 MB). */
const BATCH_ROWS = 65_536;
const BATCH_CONTENT = BATCH_ROWS * 36;
/** Records whose intrinsic size sets a dataset's batch rows (the first ones: deterministic, cheap). */
const SAMPLE = 1_000;

/**
 * Rows per record batch for a dataset's records (design §5.3's end): about the tuples' 2.4 MB of
 * content per batch, max(64, floor(65,536 × 36 / intrinsic bytes per record)), the intrinsic size
 * averaged over the first 1,000 records.
 */
export function batchRowsFor(schema: RecordSchema, rows: readonly unknown[]): number {
  const n = Math.min(rows.length, SAMPLE);
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += intrinsicBytes(schema, rows[i]);
  if (n === 0 || bytes === 0) return BATCH_ROWS;
  return Math.max(64, Math.floor(BATCH_CONTENT / (bytes / n)));
}

/** One column being built: `add` takes a value or null (a null slot), `finish` hands the Data over and starts afresh. */
interface ColumnBuilder {
  readonly type: DataType;
  add(v: unknown): void;
  /** A slot under a null parent (a null record, an absent optional vector): any value, here the empty one. */
  addEmpty(): void;
  finish(): Data;
}

/** A growable typed array (doubling). */
class Grow<T extends Typed> {
  a: T;
  n = 0;
  constructor(private readonly ctor: TypedCtor) {
    this.a = new ctor(64) as T;
  }
  room(k: number): void {
    if (this.n + k <= this.a.length) return;
    const next = new this.ctor(Math.max(this.n + k, 2 * this.a.length)) as T;
    (next as Uint8Array).set(this.a as Uint8Array);
    this.a = next;
  }
  take(): T {
    const out = this.a.subarray(0, this.n) as T;
    this.a = new this.ctor(64) as T;
    this.n = 0;
    return out;
  }
}

/** A validity bitmap, allocated at the first null (a column without nulls has none). */
class Validity {
  private bits: Uint8Array | null = null;
  nulls = 0;
  set(i: number, present: boolean): void {
    if (present && !this.bits) return;
    if (!this.bits) this.bits = new Uint8Array(Math.max(64, (i >> 3) + 1)).fill(0xff);
    if (i >> 3 >= this.bits.length) {
      const next = new Uint8Array(Math.max((i >> 3) + 1, 2 * this.bits.length)).fill(0xff);
      next.set(this.bits);
      this.bits = next;
    }
    if (present) this.bits[i >> 3]! |= 1 << (i & 7);
    else {
      this.bits[i >> 3]! &= ~(1 << (i & 7));
      this.nulls++;
    }
  }
  take(length: number): { nullBitmap?: Uint8Array; nullCount: number } {
    const out = this.bits ? { nullBitmap: this.bits.subarray(0, (length + 7) >> 3), nullCount: this.nulls } : { nullCount: 0 };
    this.bits = null;
    this.nulls = 0;
    return out;
  }
}

/** The shared part: slot count and validity; subclasses write a present value or an empty one. */
abstract class Builder implements ColumnBuilder {
  protected length = 0;
  protected readonly valid = new Validity();
  constructor(
    protected readonly lib: ArrowLib,
    readonly type: DataType,
  ) {}
  add(v: unknown): void {
    if (v === null || v === undefined) {
      this.valid.set(this.length, false);
      this.empty();
    } else {
      this.valid.set(this.length, true);
      this.value(v);
    }
    this.length++;
  }
  addEmpty(): void {
    this.valid.set(this.length, true);
    this.empty();
    this.length++;
  }
  finish(): Data {
    const length = this.length;
    this.length = 0;
    return this.lib.makeData({ type: this.type, length, ...this.valid.take(length), ...this.buffers(length) } as never);
  }
  protected abstract value(v: unknown): void;
  protected abstract empty(): void;
  protected abstract buffers(length: number): Record<string, unknown>;
}

/** Fixed-width values (numbers, BigInts, enum indices) in one typed array. */
class FixedBuilder extends Builder {
  private readonly values: Grow<Typed>;
  constructor(
    lib: ArrowLib,
    type: DataType,
    ctor: TypedCtor,
    private readonly convert: (v: unknown) => number | bigint = (v) => v as number,
    /** An enum's: every batch's indices point into this one vector (the IPC writer writes it once). */
    private readonly dictionary?: Vector,
  ) {
    super(lib, type);
    this.values = new Grow(ctor);
  }
  protected value(v: unknown): void {
    this.values.room(1);
    (this.values.a as Float64Array)[this.values.n++] = this.convert(v) as number;
  }
  protected empty(): void {
    this.values.room(1);
    this.values.n++; // a fresh buffer slot is 0 (0n)
  }
  protected buffers(): Record<string, unknown> {
    return this.dictionary ? { data: this.values.take(), dictionary: this.dictionary } : { data: this.values.take() };
  }
}

/** Bools, one bit each. */
class BoolBuilder extends Builder {
  private readonly bits = new Grow<Uint8Array>(Uint8Array);
  protected value(v: unknown): void {
    this.bits.room(1);
    this.bits.n = (this.length >> 3) + 1;
    if (v === true) this.bits.a[this.length >> 3]! |= 1 << (this.length & 7);
  }
  protected empty(): void {
    this.value(false);
  }
  protected buffers(length: number): Record<string, unknown> {
    this.bits.n = (length + 7) >> 3;
    return { data: this.bits.take() };
  }
}

/** Utf8 (UTF-8 encoded; a lone surrogate becomes U+FFFD) or Binary: bytes and Int32 offsets. */
class BytesBuilder extends Builder {
  private readonly offsets = new Grow<Int32Array>(Int32Array);
  private readonly bytes = new Grow<Uint8Array>(Uint8Array);
  private readonly encoder = new TextEncoder();
  constructor(
    lib: ArrowLib,
    type: DataType,
    private readonly text: boolean,
  ) {
    super(lib, type);
    this.offsets.room(1);
    this.offsets.n = 1;
  }
  protected value(v: unknown): void {
    const b = this.bytes;
    if (this.text) {
      const s = v as string;
      b.room(3 * s.length); // at most 3 bytes of UTF-8 per UTF-16 unit
      b.n += this.encoder.encodeInto(s, b.a.subarray(b.n)).written;
    } else {
      const x = v as Uint8Array;
      b.room(x.length);
      b.a.set(x, b.n);
      b.n += x.length;
    }
    this.end(b.n);
  }
  protected empty(): void {
    this.end(this.bytes.n);
  }
  private end(at: number): void {
    if (at > 0x7fffffff) throw new RangeError(`a record batch's ${this.text ? 'strings' : 'bytes'} passed 2 GiB, the most Int32 offsets address`);
    this.offsets.room(1);
    this.offsets.a[this.offsets.n++] = at;
  }
  protected buffers(): Record<string, unknown> {
    const valueOffsets = this.offsets.take();
    this.offsets.room(1);
    this.offsets.n = 1;
    return { valueOffsets, data: this.bytes.take() };
  }
}

/** List, variable vector and Map_: Int32 offsets into one child column. */
class ListBuilder extends Builder {
  private readonly offsets = new Grow<Int32Array>(Int32Array);
  private count = 0;
  constructor(
    lib: ArrowLib,
    type: DataType,
    private readonly child: ColumnBuilder,
    private readonly each: (v: unknown, child: ColumnBuilder) => number,
  ) {
    super(lib, type);
    this.offsets.room(1);
    this.offsets.n = 1;
  }
  protected value(v: unknown): void {
    this.count += this.each(v, this.child);
    this.empty();
  }
  protected empty(): void {
    this.offsets.room(1);
    this.offsets.a[this.offsets.n++] = this.count;
  }
  protected buffers(): Record<string, unknown> {
    const valueOffsets = this.offsets.take();
    this.offsets.room(1);
    this.offsets.n = 1;
    this.count = 0;
    return { valueOffsets, child: this.child.finish() };
  }
}

/** A fixed-length vector: k child slots per slot. */
class FixedListBuilder extends Builder {
  constructor(
    lib: ArrowLib,
    type: DataType,
    private readonly child: ColumnBuilder,
    private readonly k: number,
  ) {
    super(lib, type);
  }
  protected value(v: unknown): void {
    const a = v as ArrayLike<number>;
    if (a.length !== this.k) throw new TypeError(`a vector of ${a.length} elements where the schema fixes ${this.k}`);
    for (let i = 0; i < this.k; i++) this.child.add(a[i]);
  }
  protected empty(): void {
    for (let i = 0; i < this.k; i++) this.child.addEmpty();
  }
  protected buffers(): Record<string, unknown> {
    return { child: this.child.finish() };
  }
}

/** A record or tuple: one child per field, read by name or position. */
class StructBuilder extends Builder {
  constructor(
    lib: ArrowLib,
    type: DataType,
    private readonly children: readonly ColumnBuilder[],
    private readonly keys: readonly (string | number)[],
  ) {
    super(lib, type);
  }
  protected value(v: unknown): void {
    const o = v as Record<string | number, unknown>;
    for (let i = 0; i < this.children.length; i++) this.children[i]!.add(o[this.keys[i]!]);
  }
  protected empty(): void {
    for (const c of this.children) c.addEmpty();
  }
  protected buffers(): Record<string, unknown> {
    return { children: this.children.map((c) => c.finish()) };
  }
}

const VECTOR_CTOR: Record<VectorElement, TypedCtor> = { f32: Float32Array, f64: Float64Array, int32: Int32Array, uint8: Uint8Array };

/** A vector's element type. */
function elementType(lib: ArrowLib, e: VectorElement): DataType {
  return e === 'f32' ? new lib.Float32() : e === 'f64' ? new lib.Float64() : e === 'int32' ? new lib.Int32() : new lib.Uint8();
}

/** Everything the Arrow codecs need for one schema (built once per binding). */
export interface ArrowMapping {
  readonly schema: Schema;
  /** arrow-stream's rows per record batch for these records (batchRowsFor). */
  batchRows(rows: readonly unknown[]): number;
  /** Rows [start, end) as one record batch. */
  batch(rows: readonly unknown[], start: number, end: number): RecordBatch;
  /** Throws (a CodecError) unless `table` holds this schema's columns with buffers in bounds; returns the columns for the checksum. */
  check(table: Table, codec: string, path: string): ColumnBatch[];
  /** The table checked, then every record built in the dataset's in-memory form (arrow-rows; bench/data/columns.ts rowsOf). */
  rows(table: Table, codec: string, path: string): unknown[];
}

/** The Arrow mapping of a schema that has no union (arrow.ts's arrowCannotCarry). */
export function arrowMapping(lib: ArrowLib, schema: RecordSchema): ArrowMapping {
  const { Field: F } = lib;
  // the same enum name is the same type: one dictionary id and one dictionary vector
  // (one Dictionary type object too: apache-arrow's Schema refuses two with the same id)
  const dictionaries = new Map<string, { type: DataType; vector: Vector }>();
  const dictionaryOf = (type: Type & { kind: 'enum' }) => {
    let d = dictionaries.get(type.name);
    if (!d) {
      d = {
        type: new lib.Dictionary(new lib.Utf8(), new lib.Int32(), dictionaries.size),
        vector: lib.vectorFromArray([...type.symbols], new lib.Utf8()),
      };
      dictionaries.set(type.name, d);
    }
    return d;
  };

  const arrowType = (type: Type): DataType => {
    switch (type.kind) {
      case 'f64':
        return new lib.Float64();
      case 'f32':
        return new lib.Float32();
      case 'int32':
        return new lib.Int32();
      case 'uint64':
        return new lib.Uint64();
      case 'bool':
        return new lib.Bool();
      case 'string':
        return new lib.Utf8();
      case 'bytes':
        return new lib.Binary();
      case 'enum':
        return dictionaryOf(type).type;
      case 'optional':
        return arrowType(type.of);
      case 'list':
        return new lib.List(field('item', type.of));
      case 'vector': {
        const item = new F('item', elementType(lib, type.element), false);
        return type.length === undefined ? new lib.List(item) : new lib.FixedSizeList(type.length, item);
      }
      case 'record':
      case 'tuple':
        return new lib.Struct(type.fields.map((f) => field(f.name, f.type)));
      case 'map':
        return new lib.Map_(new F('entries', new lib.Struct([new F('key', new lib.Utf8(), false), field('value', type.values)] as never[]), false), false);
      case 'union':
        throw new TypeError('a union has no Arrow mapping here');
    }
  };
  const field = (name: string, type: Type): Field => new F(name, arrowType(type), type.kind === 'optional');

  const builder = (type: Type): ColumnBuilder => {
    const at = arrowType(type);
    switch (type.kind) {
      case 'f64':
        return new FixedBuilder(lib, at, Float64Array);
      case 'f32':
        return new FixedBuilder(lib, at, Float32Array);
      case 'int32':
        return new FixedBuilder(lib, at, Int32Array);
      case 'uint64':
        return new FixedBuilder(lib, at, BigUint64Array, (v) => v as bigint);
      case 'bool':
        return new BoolBuilder(lib, at);
      case 'string':
        return new BytesBuilder(lib, at, true);
      case 'bytes':
        return new BytesBuilder(lib, at, false);
      case 'enum': {
        const index = new Map<unknown, number>(type.symbols.map((s, i) => [s, i]));
        const toIndex = (v: unknown): number => {
          const i = index.get(v);
          if (i === undefined) throw new TypeError(`${JSON.stringify(v)} is not a symbol of the enum ${type.name}`);
          return i;
        };
        return new FixedBuilder(lib, at, Int32Array, toIndex, dictionaryOf(type).vector);
      }
      case 'optional':
        return builder(type.of);
      case 'list':
        return new ListBuilder(lib, at, builder(type.of), (v, child) => {
          const a = v as readonly unknown[];
          for (const x of a) child.add(x);
          return a.length;
        });
      case 'vector': {
        const child = new FixedBuilder(lib, elementType(lib, type.element), VECTOR_CTOR[type.element]);
        if (type.length !== undefined) return new FixedListBuilder(lib, at, child, type.length);
        return new ListBuilder(lib, at, child, (v, c) => {
          const a = v as ArrayLike<number>;
          for (let i = 0; i < a.length; i++) c.add(a[i]);
          return a.length;
        });
      }
      case 'record':
      case 'tuple':
        return new StructBuilder(
          lib,
          at,
          type.fields.map((f) => builder(f.type)),
          type.fields.map((f, i) => (type.kind === 'tuple' ? i : f.name)),
        );
      case 'map': {
        const keys = new BytesBuilder(lib, new lib.Utf8(), true);
        const values = builder(type.values);
        const entries: ColumnBuilder = {
          type: (at as InstanceType<ArrowLib['Map_']>).children[0]!.type,
          add: () => {},
          addEmpty: () => {},
          finish: () => lib.makeData({ type: entries.type, nullCount: 0, children: [keys.finish(), values.finish()] } as never),
        };
        return new ListBuilder(lib, at, entries, (v) => {
          let n = 0;
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
            keys.add(k);
            values.add(x);
            n++;
          }
          return n;
        });
      }
      case 'union':
        throw new TypeError('a union has no Arrow mapping here');
    }
  };

  const arrowSchema = new lib.Schema(schema.fields.map((f) => field(f.name, f.type)));
  const top = builder(schema) as StructBuilder;

  return {
    schema: arrowSchema,
    batchRows: (rows) => batchRowsFor(schema, rows),
    batch(rows, start, end) {
      for (let i = start; i < end; i++) top.add(rows[i]);
      return new lib.RecordBatch(arrowSchema, top.finish() as Data<never>);
    },
    check(table, codec, path) {
      const fail = (why: string): never => {
        throw new CodecError(codec, path, why);
      };
      const got = table.schema.fields;
      if (
        got.length !== arrowSchema.fields.length ||
        got.some((f, i) => f.name !== arrowSchema.fields[i]!.name || String(f.type) !== String(arrowSchema.fields[i]!.type))
      ) {
        fail(
          `columns are [${got.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}], expected [${arrowSchema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}]`,
        );
      }
      const out: ColumnBatch[] = [];
      let rows = 0;
      for (const batch of table.batches) {
        const cols = batch.data.children;
        if (cols.length !== schema.fields.length) fail(`the record batch at row ${rows} has ${cols.length} columns`);
        out.push({
          length: batch.numRows,
          fields: schema.fields.map((f, i) => columnOf(cols[i]!, f.type, batch.numRows, `${f.name} (record batch at row ${rows})`, fail)),
        });
        rows += batch.numRows;
      }
      return out;
    },
    rows(table, codec, path) {
      return Array.from(rowsOf(schema, 'arrow', this.check(table, codec, path)));
    },
  };
}

/**
 * One Arrow Data as ColumnData, its buffers checked to hold `length` slots (a corrupt file can decode
 * into any lengths or offsets): no data buffer is copied (but an enum's indices under a dictionary
 * other than the schema's symbols); `stride` only on a fixed-length vector (apache-arrow's Data has
 * a stride of 1 on every other type, which the column reader would take for a fixed length).
 */
function columnOf(d: Data, type: Type, length: number, where: string, fail: (why: string) => never): ColumnData {
  if (d.offset !== 0) fail(`${where}: column offset ${d.offset} (a file's columns start at 0)`);
  if (d.length < length) fail(`${where}: ${d.length} slots where ${length} are needed`);
  const bits = d.nullBitmap;
  if (bits && bits.length > 0 && bits.length * 8 < length) fail(`${where}: the validity bitmap is short`);
  const t = type.kind === 'optional' ? type.of : type;
  const offsets = (limit: number, what: string): Int32Array => {
    const off = d.valueOffsets as Int32Array;
    if (!off || off.length < length + 1) fail(`${where}: ${what} offsets are short`);
    for (let i = 0; i < length; i++)
      if (off[i]! < 0 || off[i + 1]! < off[i]! || off[i + 1]! > limit) fail(`${where}: ${what} offsets of slot ${i} are out of bounds`);
    return off;
  };
  const base = { length: d.length, offset: 0, nullBitmap: bits, values: d.values as ColumnData['values'] };
  switch (t.kind) {
    case 'bool':
      if (!d.values || (d.values as Uint8Array).length * 8 < length) fail(`${where}: the value buffer is short`);
      return base;
    case 'string':
    case 'bytes':
      return { ...base, valueOffsets: offsets((d.values as Uint8Array).length, t.kind === 'string' ? 'string' : 'bytes') };
    case 'enum': {
      const indices = d.values as Int32Array;
      if (!indices || indices.length < length) fail(`${where}: the value buffer is short`);
      if (!d.dictionary) fail(`${where}: the dictionary is missing`);
      // columns hold an enum as the schema's symbol indices: what our writer's dictionary (the symbols in
      // schema order) makes its indices; another dictionary's are translated (a copy), by symbol
      const dict = d.dictionary!.toArray() as (string | null)[];
      if (dict.length <= t.symbols.length && dict.every((s, i) => s === t.symbols[i])) return base;
      const bySymbol = new Map<unknown, number>(t.symbols.map((s, i) => [s, i]));
      const toSchema = dict.map((s) => bySymbol.get(s) ?? t.symbols.length); // past the symbols: a difference at this path
      return { ...base, values: Int32Array.from(indices.subarray(0, length), (i) => toSchema[i] ?? t.symbols.length) };
    }
    case 'list': {
      const child = d.children[0];
      if (!child) fail(`${where}: the list has no child column`);
      const off = offsets(child!.length, 'list');
      return { ...base, valueOffsets: off, children: [columnOf(child!, t.of, off[length]!, `${where}[]`, fail)] };
    }
    case 'vector': {
      const child = d.children[0];
      if (!child) fail(`${where}: the vector has no child column`);
      if (t.length !== undefined) return { ...base, stride: t.length, children: [numbers(child!, length * t.length, `${where}[]`, fail)] };
      const off = offsets(child!.length, 'vector');
      return { ...base, valueOffsets: off, children: [numbers(child!, off[length]!, `${where}[]`, fail)] };
    }
    case 'map': {
      const entries = d.children[0];
      if (entries?.children.length !== 2) fail(`${where}: the map has no key and value columns`);
      const off = offsets(entries!.length, 'map');
      const n = off[length]!;
      if (entries!.offset !== 0 || entries!.length < n) fail(`${where}: the map's entries are short`);
      const [k, v] = entries!.children;
      const entryCols = [columnOf(k!, { kind: 'string' }, n, `${where}{}`, fail), columnOf(v!, t.values, n, `${where}{}`, fail)];
      return { ...base, valueOffsets: off, children: [{ length: entries!.length, offset: 0, children: entryCols }] };
    }
    case 'record':
    case 'tuple': {
      if (d.children.length !== t.fields.length) fail(`${where}: ${d.children.length} fields where ${t.fields.length} are expected`);
      return { ...base, children: t.fields.map((f, i) => columnOf(d.children[i]!, f.type, length, `${where}.${f.name}`, fail)) };
    }
    case 'union':
      return fail(`${where}: a union has no Arrow mapping here`);
    default:
      return numbers(d, length, where, fail);
  }
}

/** A column of fixed-width numbers (f64, f32, int32, uint64, a vector's elements) holding `length` slots. */
function numbers(d: Data, length: number, where: string, fail: (why: string) => never): ColumnData {
  if (d.offset !== 0) fail(`${where}: column offset ${d.offset} (a file's columns start at 0)`);
  if (!d.values || (d.values as ArrayLike<number>).length < length) fail(`${where}: the value buffer is short`);
  return { length: d.length, offset: 0, nullBitmap: d.nullBitmap, values: d.values as ColumnData['values'] };
}
