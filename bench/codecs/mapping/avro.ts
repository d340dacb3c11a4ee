/**
 * Avro's mapping (avro, avro-stream; design §5.2, §5.3, §5.7): an Avro schema built from a
 * dataset's schema, the avsc types made from it (with the uint64 logical type the tuples use), the
 * converters between a record in memory and the record avsc writes and reads, and the schema's
 * smallest encoded record (avro's block-count guard).
 *
 * Types: f64 double, f32 float, int32 int, uint64 `fixed uint64_t(8)` big-endian with logicalType
 * `uint64` (a BigInt, as the tuples), bool boolean, string, bytes (a Uint8Array is written through a
 * Buffer view of it; read as a Buffer); enum → enum (symbols that are no Avro names → S0…Sk, mapped
 * back by position); record and tuple → record (a tuple read back into an array); list → array;
 * vector → array of float / double / int (avsc takes plain arrays: copied with Array.from, read back
 * into the typed array), a uint8 vector → bytes; map → map; optional → `["null", T]` (null); union →
 * an Avro union (`["null", …members]` when optional), which avsc unwraps when it can tell the
 * branches apart by value and wraps (`{ branch: value }`) otherwise: the converters do what the
 * avsc type built from the schema does. Named types are defined at their first use, in namespace
 * `footprint`; the top record's keys in the order `type, name, namespace, fields` (the tuples'
 * schema exactly, so a container file's header reads as before).
 *
 * Loaded only on a binding's init (avsc comes in as an argument).
 */
import type * as Avro from 'avsc';
import { memberFits, showValue } from '../../data/hash.js';
import type { RecordSchema, Type } from '../../data/schema.js';
import { avroSymbols, fieldWireNames, NameScope } from './names.js';
import type { Fix } from './plan.js';
import { fixArray, mapArray, mapValues, namedTypes, recordFromWire, recordToWire } from './records.js';
import { typedArrayOf } from './values.js';

export interface AvroLib {
  avro: typeof import('avsc');
  /** Fresh options for each forSchema call (avsc keeps its registry of named types in them), with the uint64 logical type. */
  typeOptions(): Partial<Avro.ForSchemaOptions>;
}

export interface AvroMapping {
  /** The Avro schema (JSON), the record's avsc type and the whole document's `array<record>`. */
  readonly schema: object;
  readonly type: Avro.Type;
  readonly array: Avro.Type;
  /** A record in memory as the value avsc writes (null: as it is). */
  readonly toRecord: Fix | null;
  /** A decoded value as the record in memory. */
  readonly fromRecord: Fix;
  /** The smallest encoding of one record: a block count that cannot fit in the bytes left is corrupt. */
  readonly minRecordBytes: number;
}

const NAMESPACE = 'footprint';
/** Avro's primitive type names: no named type may take one. */
const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];
const VECTOR_ITEMS = { f32: 'float', f64: 'double', int32: 'int' } as const;

/** The Avro schema of a dataset's schema (one that avroCannotCarry accepts: no union directly inside a union). */
export function avroSchema(schema: RecordSchema): object {
  const scope = new NameScope(undefined, PRIMITIVES);
  const names = new Map<string, string>();
  const nameOf = (n: string): string => {
    let a = names.get(n);
    if (a === undefined) {
      a = scope.take(n);
      names.set(n, a);
    }
    return a;
  };
  // the dataset's own type names first, so the uint64's fixed never takes one of them
  for (const n of namedTypes(schema)) nameOf(n);
  const uint64 = scope.take('uint64_t');
  const defined = new Set<string>();
  const json = (t: Type, top = false): unknown => {
    switch (t.kind) {
      case 'f64':
        return 'double';
      case 'f32':
        return 'float';
      case 'int32':
        return 'int';
      case 'bool':
        return 'boolean';
      case 'string':
        return 'string';
      case 'bytes':
        return 'bytes';
      case 'uint64':
        if (defined.has(uint64)) return uint64;
        defined.add(uint64);
        return { type: 'fixed', name: uint64, size: 8, logicalType: 'uint64' };
      case 'enum': {
        const name = nameOf(t.name);
        if (defined.has(name)) return name;
        defined.add(name);
        return { type: 'enum', name, symbols: avroSymbols(t.symbols) };
      }
      case 'record':
      case 'tuple': {
        const name = nameOf(t.name);
        if (defined.has(name)) return name;
        defined.add(name);
        const wires = fieldWireNames(t.fields.map((f) => f.name));
        const fields = t.fields.map((f, i) => ({ name: wires[i], type: json(f.type) }));
        return top ? { type: 'record', name, namespace: NAMESPACE, fields } : { type: 'record', name, fields };
      }
      case 'optional':
        return t.of.kind === 'union' ? ['null', ...t.of.of.map((m) => json(m))] : ['null', json(t.of)];
      case 'list':
        return { type: 'array', items: json(t.of) };
      case 'vector':
        return t.element === 'uint8' ? 'bytes' : { type: 'array', items: VECTOR_ITEMS[t.element] };
      case 'map':
        return { type: 'map', values: json(t.values) };
      case 'union':
        return t.of.map((m) => json(m));
    }
  };
  return json(schema, true) as object;
}

interface Conv {
  to: Fix | null;
  from: Fix | null;
}

/** The bytes as a Buffer (a view of the same memory): avsc writes `bytes` from Buffers only. */
const asBuffer: Fix = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

/** What avsc's unwrapped union looks at to pick a branch: the JS form of a value, and the form each Avro type is read as. */
function decodedForm(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  if (Buffer.isBuffer(v)) return 'buffer';
  return Array.isArray(v) ? 'array' : 'object';
}
function avroForm(a: Avro.Type): string {
  switch (a.typeName) {
    case 'double':
    case 'float':
    case 'int':
    case 'long':
      return 'number';
    case 'bytes':
    case 'fixed':
      return 'buffer';
    case 'enum':
    case 'string':
      return 'string';
    case 'array':
    case 'null':
    case 'boolean':
      return a.typeName;
    case 'logical:uint64':
      return 'bigint';
    default:
      return 'object'; // record, map
  }
}

/** The part of avsc's Tap (its read cursor) the guarded readers use. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
}
interface Reader {
  _read(tap: Tap): unknown;
}

/**
 * avsc's array and map readers, with one check added: a block's item count must fit in the bytes
 * left (every item of a dataset's schema takes at least one byte). avsc allocates `new Array(count)`
 * from the file and reads that many items even past the buffer's end, so one corrupt count inside a
 * record (a list, a map) ran the load out of memory instead of failing; the top-level array has the
 * same check in avro.ts. Written here because avsc has no option for it; the rest is avsc's code.
 */
function guardedTypeHook(avro: AvroLib['avro']): NonNullable<Avro.ForSchemaOptions['typeHook']> {
  const fits = (n: number, tap: Tap): void => {
    if (n > tap.buf.length - tap.pos) throw new RangeError(`a block of ${n} items cannot fit in the ${tap.buf.length - tap.pos} bytes left (corrupt)`);
  };
  const blockSize = (tap: Tap): number => {
    let n = tap.readLong();
    if (n < 0) {
      n = -n;
      tap.skipLong(); // the block's size in bytes
    }
    fits(n, tap);
    return n;
  };
  class GuardedArray extends (avro.types.ArrayType as unknown as new (schema: unknown, opts: unknown) => { itemsType: Reader }) {
    _read(tap: Tap): unknown[] {
      const items = this.itemsType;
      let val: unknown[] | undefined;
      let i = 0;
      for (let n = blockSize(tap); n; n = blockSize(tap)) {
        val ??= new Array(n); // as avsc: the first block's count presizes the array
        while (n--) val[i++] = items._read(tap);
      }
      return val ?? [];
    }
  }
  class GuardedMap extends (avro.types.MapType as unknown as new (schema: unknown, opts: unknown) => { valuesType: Reader }) {
    _read(tap: Tap): Record<string, unknown> {
      const values = this.valuesType;
      const val: Record<string, unknown> = {};
      for (let n = blockSize(tap); n; n = blockSize(tap))
        while (n--) {
          const key = tap.readString();
          val[key] = values._read(tap);
        }
      return val;
    }
  }
  return (schema, opts) => {
    const s = schema as { type?: unknown };
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return undefined;
    if (s.type === 'array') return new GuardedArray(schema, opts) as unknown as Avro.Type;
    if (s.type === 'map') return new GuardedMap(schema, opts) as unknown as Avro.Type;
    return undefined;
  };
}

/** The mapping of a schema (that avroCannotCarry accepts), with avsc and the uint64 logical type given. */
export function avroMapping(schema: RecordSchema, lib: AvroLib): AvroMapping {
  const json = avroSchema(schema);
  const typeHook = guardedTypeHook(lib.avro);
  const type = lib.avro.Type.forSchema(json as Avro.Schema, { ...lib.typeOptions(), typeHook });
  const array = lib.avro.Type.forSchema({ type: 'array', items: type } as unknown as Avro.Schema, lib.typeOptions());
  const records = new Map<string, Conv>();

  const conv = (t: Type, a: Avro.Type): Conv => {
    switch (t.kind) {
      case 'bytes':
        return { to: asBuffer, from: null };
      case 'vector': {
        if (t.element === 'uint8') return { to: asBuffer, from: null };
        const Typed = typedArrayOf(t.element);
        return { to: (v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v), from: (v) => (Array.isArray(v) ? Typed.from(v) : v) };
      }
      case 'enum': {
        const wire = (a as unknown as { symbols: readonly string[] }).symbols;
        if (wire.every((s, i) => s === t.symbols[i])) return { to: null, from: null };
        const toWire = new Map<unknown, string>(t.symbols.map((s, i) => [s, wire[i]!]));
        const fromWire = new Map<unknown, string>(wire.map((s, i) => [s, t.symbols[i]!]));
        return { to: (v) => toWire.get(v) ?? v, from: (v) => fromWire.get(v) ?? v };
      }
      case 'list': {
        const c = conv(t.of, (a as unknown as { itemsType: Avro.Type }).itemsType);
        return { to: c.to && mapArray(c.to), from: c.from && fixArray(c.from) };
      }
      case 'map': {
        const c = conv(t.values, (a as unknown as { valuesType: Avro.Type }).valuesType);
        return { to: c.to && mapValues(c.to, true), from: c.from && mapValues(c.from, false) };
      }
      case 'optional':
        return union(t.of.kind === 'union' ? t.of.of : [t.of], a, true);
      case 'union':
        return union(t.of, a, false);
      case 'record':
      case 'tuple': {
        let c = records.get(t.name);
        if (!c) {
          c = record(t, a);
          records.set(t.name, c);
        }
        return c;
      }
      default:
        return { to: null, from: null }; // numbers, bool, string; uint64 through the logical type
    }
  };

  const record = (t: RecordSchema, a: Avro.Type): Conv => {
    const afields = (a as unknown as { fields: readonly { name: string; type: Avro.Type }[] }).fields;
    const wires = afields.map((f) => f.name);
    const cs = t.fields.map((f, i) => conv(f.type, afields[i]!.type));
    return {
      to: recordToWire(
        t,
        wires,
        cs.map((c) => c.to),
      ),
      // always a new plain object (or array): avsc's records are instances of its generated class
      from: recordFromWire(
        t,
        wires,
        cs.map((c) => c.from),
      ),
    };
  };

  /** A union of `members` (with Avro's null branch first when optional), wrapped or not as avsc made it. */
  const union = (members: readonly Type[], a: Avro.Type, optional: boolean): Conv => {
    const branches = (a as unknown as { types: readonly (Avro.Type & { branchName: string })[] }).types;
    const off = optional ? 1 : 0;
    const cs = members.map((m, i) => conv(m, branches[i + off]!));
    if (a.typeName === 'union:wrapped') {
      const names = members.map((_, i) => branches[i + off]!.branchName);
      const byName = new Map(names.map((b, i) => [b, i]));
      return {
        to: (v) => {
          if (optional && (v === null || v === undefined)) return null;
          const i = members.findIndex((m) => memberFits(m, v));
          if (i < 0) throw new TypeError(`${showValue(v)} is no member of the union ${names.join(' | ')}`);
          return { [names[i]!]: cs[i]!.to ? cs[i]!.to!(v) : v };
        },
        from: (w) => {
          if (w === null || typeof w !== 'object') return w;
          const k = Object.keys(w)[0];
          const i = k === undefined ? undefined : byName.get(k);
          if (i === undefined) return undefined;
          const x = (w as Record<string, unknown>)[k!];
          return cs[i]!.from ? cs[i]!.from!(x) : x;
        },
      };
    }
    // unwrapped: avsc picks the branch by the value's form; a read value's form says the member
    const byForm = new Map(members.map((_, i) => [avroForm(branches[i + off]!), i]));
    const anyTo = cs.some((c) => c.to);
    const anyFrom = cs.some((c) => c.from);
    return {
      to:
        anyTo || optional
          ? (v) => {
              if (v === null || v === undefined) return optional ? null : v; // undefined (a missing key) is null too
              const c = cs[members.findIndex((m) => memberFits(m, v))];
              return c?.to ? c.to(v) : v;
            }
          : null,
      from: anyFrom
        ? (v) => {
            const c = cs[byForm.get(decodedForm(v)) ?? -1];
            return c?.from ? c.from(v) : v;
          }
        : null,
    };
  };

  const top = conv(schema, type);
  return { schema: json, type, array, toRecord: top.to, fromRecord: top.from!, minRecordBytes: minEncodedBytes(schema) };
}

/** Bytes of Avro's zigzag varint of n >= 0. */
function varintBytes(n: number): number {
  let z = n * 2;
  let b = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    b++;
  }
  return b;
}

/**
 * The fewest bytes one value of the type can take in Avro binary (derived from the schema, not
 * fixed: the tuples' 17 = double 8 + empty string 1 + fixed 8). A fixed-length vector holds its
 * length in items (count, items, the closing zero count).
 */
export function minEncodedBytes(type: Type): number {
  switch (type.kind) {
    case 'f64':
    case 'uint64':
      return 8;
    case 'f32':
      return 4;
    case 'vector':
      if (type.length === undefined) return 1;
      return type.element === 'uint8'
        ? varintBytes(type.length) + type.length
        : varintBytes(type.length) + type.length * (type.element === 'f64' ? 8 : type.element === 'f32' ? 4 : 1) + 1;
    case 'record':
    case 'tuple':
      return type.fields.reduce((s, f) => s + minEncodedBytes(f.type), 0);
    case 'union':
      return 1 + Math.min(...type.of.map(minEncodedBytes));
    default:
      return 1; // int, boolean, enum index, an empty string / bytes / array / map, a null branch
  }
}
