/**
 * The dataset's checksum: an order-sensitive, exact SHA-256 over one canonical byte stream per
 * record, derived from the schema, so a load can be verified in one streaming pass without a
 * second copy of the data.
 *
 * Per value (integers little endian): f64 8 bytes (IEEE-754: -0, NaN and subnormals keep their
 * bits), f32 4, int32 4, uint64 8, bool 1, enum its symbol's index as uint32; string: uint32
 * length in UTF-16 units, then each unit as uint16; bytes: uint32 length, then the bytes; vector:
 * uint32 count, then the elements at their width; optional: uint8 0, or 1 then the value; list:
 * uint32 count then the elements; map: uint32 count, then key (as a string) and value in key order
 * (maps are unordered); union: uint8 member index then the member. A record or tuple writes its
 * scalar fields (fixed width) first, in declaration order, then the others in declaration order.
 * For the tuples `[f: f64, s: string, u: uint64]` this is exactly the stream the suite has always
 * hashed (`f64 | u64 | u32 len | UTF-16 units`): the golden checksum is unchanged.
 *
 * The digest is `${records}:${hex}`. A value that does not fit its type (a uint64 that came back as
 * a Number, an out-of-range BigInt, a wrong shape) never throws: it is a *misfit*, hashed as
 * `\0misfit:<typeof>:<value>` so that distinct wrong values still hash differently, and the digest
 * becomes `${records}!${hex}`, which no fitting stream can equal. The first misfit's path is kept.
 *
 * Compiled once per schema into a tree of closures (no code is generated: test/no-eval.test.ts).
 */
import { createHash, type Hash } from 'node:crypto';
import { type RecordSchema, SCALAR_KINDS, type Type, type TypeKind } from './schema.js';

const BATCH = 64 * 1024;
const MAX_UINT64 = 2n ** 64n - 1n;
/** Strings at least this long are written with Buffer#write('utf16le') (raw code units, lone surrogates included): faster than unit by unit. */
const BULK_STRING = 16;

/** The first value that did not fit its type. `kind: 'shape'` is a record that is not a record at all (depth 0). */
export interface Misfit {
  readonly record: number;
  readonly path: string;
  readonly kind: TypeKind | 'shape';
  readonly got: string;
}

/** A value as a difference names it, with its type when it is not what the schema holds. */
export function showValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v} (bigint)`;
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'number') return `${Object.is(v, -0) ? '-0' : String(v)} (number)`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${v.length})`;
  return typeof v === 'object' ? 'an object' : `${String(v)} (${typeof v})`;
}

/** Where the canonical bytes go: a 64 KiB batch fed to SHA-256. */
export class Sink {
  readonly hash: Hash = createHash('sha256');
  readonly buf = Buffer.alloc(BATCH);
  readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  pos = 0;
  /** Index of the record being hashed (for misfit paths). */
  record = 0;
  misfit: Misfit | null = null;

  ensure(bytes: number): void {
    if (this.pos + bytes > BATCH) {
      this.hash.update(this.buf.subarray(0, this.pos));
      this.pos = 0;
    }
  }

  /** Bytes longer than a batch go to the hash directly, after what is batched. */
  direct(bytes: Uint8Array): void {
    this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
    this.hash.update(bytes);
  }

  bad(path: () => string, kind: TypeKind | 'shape', v: unknown): void {
    this.misfit ??= { record: this.record, path: `[${this.record}]${path()}`, kind, got: showValue(v) };
    const text = `${typeof v}:${typeof v === 'bigint' ? v.toString() : String(v)}`;
    this.ensure(BATCH); // flush, then the misfit's own bytes
    this.hash.update(`\u0000misfit:${text.length}:${text}`);
  }

  digest(records: number): string {
    this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return `${records}${this.misfit ? '!' : ':'}${this.hash.digest('hex')}`;
  }
}

/** Writes one value's canonical bytes (or its misfit). */
export type ValueHasher = (v: unknown, k: Sink) => void;

/** Writes one string's canonical bytes; shared by the row hasher and the column hasher. */
export function hashString(s: string, k: Sink): void {
  const len = s.length;
  k.ensure(4);
  k.view.setUint32(k.pos, len, true);
  k.pos += 4;
  if (2 * len > BATCH) {
    k.direct(Buffer.from(s, 'utf16le'));
    return;
  }
  k.ensure(2 * len);
  if (len < BULK_STRING) {
    const view = k.view;
    let p = k.pos;
    for (let i = 0; i < len; i++, p += 2) view.setUint16(p, s.charCodeAt(i), true);
    k.pos = p;
  } else {
    k.pos += k.buf.write(s, k.pos, 'utf16le');
  }
}

/** Writes a string given as one-byte characters (ASCII UTF-8, or latin1): each byte is one UTF-16 unit. */
export function hashOneByteString(bytes: Uint8Array, k: Sink): void {
  const len = bytes.length;
  k.ensure(4);
  k.view.setUint32(k.pos, len, true);
  k.pos += 4;
  if (2 * len > BATCH) {
    k.direct(Buffer.from(Buffer.from(bytes).toString('latin1'), 'utf16le'));
    return;
  }
  k.ensure(2 * len);
  const view = k.view;
  let p = k.pos;
  for (let i = 0; i < len; i++, p += 2) view.setUint16(p, bytes[i]!, true);
  k.pos = p;
}

const VECTOR_WIDTH = { f32: 4, f64: 8, int32: 4, uint8: 1 } as const;

/** The value hasher of a type; `path` names where the value sits (called only for a misfit). */
export function compileValue(type: Type, path: () => string): ValueHasher {
  switch (type.kind) {
    case 'f64':
      return (v, k) => {
        if (typeof v !== 'number') return k.bad(path, 'f64', v);
        k.ensure(8);
        k.view.setFloat64(k.pos, v, true);
        k.pos += 8;
      };
    case 'f32':
      return (v, k) => {
        if (typeof v !== 'number' || (Math.fround(v) !== v && !Number.isNaN(v))) return k.bad(path, 'f32', v);
        k.ensure(4);
        k.view.setFloat32(k.pos, v, true);
        k.pos += 4;
      };
    case 'int32':
      return (v, k) => {
        if (typeof v !== 'number' || (v | 0) !== v || Object.is(v, -0)) return k.bad(path, 'int32', v);
        k.ensure(4);
        k.view.setInt32(k.pos, v, true);
        k.pos += 4;
      };
    case 'uint64':
      return (v, k) => {
        if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT64) return k.bad(path, 'uint64', v);
        k.ensure(8);
        k.view.setBigUint64(k.pos, v, true);
        k.pos += 8;
      };
    case 'bool':
      return (v, k) => {
        if (typeof v !== 'boolean') return k.bad(path, 'bool', v);
        k.ensure(1);
        k.buf[k.pos++] = v ? 1 : 0;
      };
    case 'enum': {
      const index = new Map<unknown, number>(type.symbols.map((s, i) => [s, i]));
      return (v, k) => {
        const i = index.get(v);
        if (i === undefined) return k.bad(path, 'enum', v);
        k.ensure(4);
        k.view.setUint32(k.pos, i, true);
        k.pos += 4;
      };
    }
    case 'string':
      return (v, k) => (typeof v === 'string' ? hashString(v, k) : k.bad(path, 'string', v));
    case 'bytes':
      return (v, k) => {
        if (!(v instanceof Uint8Array)) return k.bad(path, 'bytes', v);
        k.ensure(4);
        k.view.setUint32(k.pos, v.length, true);
        k.pos += 4;
        if (v.length > BATCH) return k.direct(v);
        k.ensure(v.length);
        k.buf.set(v, k.pos);
        k.pos += v.length;
      };
    case 'vector': {
      const width = VECTOR_WIDTH[type.element];
      const element = type.element;
      return (v, k) => {
        // a plain array of the same numbers is the same vector; a typed array of another element type is not
        const typedOk = ArrayBuffer.isView(v) && !(v instanceof DataView) && vectorElementOf(v) === element;
        if (!(typedOk || Array.isArray(v))) return k.bad(path, 'vector', v);
        const a = v as ArrayLike<number>;
        const n = a.length;
        if (type.length !== undefined && n !== type.length) return k.bad(path, 'vector', v);
        k.ensure(4);
        k.view.setUint32(k.pos, n, true);
        k.pos += 4;
        for (let i = 0; i < n; i++) {
          const x = a[i];
          if (typeof x !== 'number') return k.bad(() => `${path()}[${i}]`, 'vector', x);
          k.ensure(width);
          if (element === 'f32') k.view.setFloat32(k.pos, x, true);
          else if (element === 'f64') k.view.setFloat64(k.pos, x, true);
          else if (element === 'int32') k.view.setInt32(k.pos, x, true);
          else k.view.setUint8(k.pos, x);
          k.pos += width;
        }
      };
    }
    case 'optional': {
      const inner = compileValue(type.of, path);
      return (v, k) => {
        k.ensure(1);
        if (v === null || v === undefined) {
          k.buf[k.pos++] = 0;
          return;
        }
        k.buf[k.pos++] = 1;
        inner(v, k);
      };
    }
    case 'list': {
      let i = 0;
      const inner = compileValue(type.of, () => `${path()}[${i}]`);
      return (v, k) => {
        if (!Array.isArray(v)) return k.bad(path, 'list', v);
        k.ensure(4);
        k.view.setUint32(k.pos, v.length, true);
        k.pos += 4;
        for (i = 0; i < v.length; i++) inner(v[i], k);
      };
    }
    case 'map': {
      let key = '';
      const inner = compileValue(type.values, () => `${path()}[${JSON.stringify(key)}]`);
      return (v, k) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return k.bad(path, 'map', v);
        const keys = Object.keys(v).sort(); // UTF-16 code-unit order
        k.ensure(4);
        k.view.setUint32(k.pos, keys.length, true);
        k.pos += 4;
        for (key of keys) {
          hashString(key, k);
          inner((v as Record<string, unknown>)[key], k);
        }
      };
    }
    case 'union': {
      const members = type.of.map((m) => ({ fits: (v: unknown) => memberFits(m, v), hash: compileValue(m, path) }));
      return (v, k) => {
        const i = members.findIndex((m) => m.fits(v));
        if (i < 0) return k.bad(path, 'union', v);
        k.ensure(1);
        k.buf[k.pos++] = i;
        members[i]!.hash(v, k);
      };
    }
    case 'record':
    case 'tuple':
      return compileRecord(type, path, 'record');
  }
}

function vectorElementOf(v: ArrayBufferView): string {
  if (v instanceof Float32Array) return 'f32';
  if (v instanceof Float64Array) return 'f64';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Uint8Array) return 'uint8';
  return 'other';
}

/** Whether a value belongs to a union member: by JS category (a union's members are of distinct categories). */
export function memberFits(m: Type, v: unknown): boolean {
  switch (m.kind) {
    case 'f64':
    case 'f32':
    case 'int32':
      return typeof v === 'number';
    case 'uint64':
      return typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'string':
    case 'enum':
      return typeof v === 'string';
    case 'bytes':
      return v instanceof Uint8Array;
    case 'vector':
      return ArrayBuffer.isView(v) && !(v instanceof Uint8Array);
    case 'list':
    case 'tuple':
      return Array.isArray(v);
    default:
      return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
  }
}

/**
 * A record or tuple: the scalar fields first, then the others. `shape` is the misfit kind of a
 * value that is not this record at all: 'shape' at depth 0 (the load returned something that is
 * not records: the case fails), 'record' deeper (a nested value of the wrong form: lossy at its path).
 */
function compileRecord(type: RecordSchema, path: () => string, shape: 'shape' | 'record'): ValueHasher {
  const positional = type.kind === 'tuple';
  const parts = type.fields.map((f, i) => ({
    key: positional ? i : f.name,
    scalar: SCALAR_KINDS.has(f.type.kind),
    hash: compileValue(f.type, positional ? () => `${path()}[${i}]` : () => `${path()}.${f.name}`),
  }));
  const order = [...parts.filter((p) => p.scalar), ...parts.filter((p) => !p.scalar)];
  const keys = order.map((p) => p.key);
  const hashers = order.map((p) => p.hash);
  const n = order.length;
  if (positional) {
    return (v, k) => {
      if (!Array.isArray(v) || v.length !== n) return k.bad(path, shape, v);
      for (let i = 0; i < n; i++) hashers[i]!(v[keys[i] as number], k);
    };
  }
  return (v, k) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return k.bad(path, shape, v);
    const o = v as Record<string, unknown>;
    for (let i = 0; i < n; i++) hashers[i]!(o[keys[i] as string], k);
  };
}

const compiled = new WeakMap<RecordSchema, ValueHasher>();

/** The record hasher of a schema (compiled once per schema object). */
export function recordHasher(schema: RecordSchema): ValueHasher {
  let h = compiled.get(schema);
  if (!h) {
    h = compileRecord(schema, () => '', 'shape');
    compiled.set(schema, h);
  }
  return h;
}

/** A streaming checksum: add records one at a time, then `digest()`. */
export class RecordHasher {
  private readonly sink = new Sink();
  private readonly hashRecord: ValueHasher;
  private count = 0;

  constructor(schema: RecordSchema) {
    this.hashRecord = recordHasher(schema);
  }

  add(record: unknown): void {
    this.sink.record = this.count;
    this.hashRecord(record, this.sink);
    this.count++;
  }

  /** The first value that did not fit the schema, or null. */
  get misfit(): Misfit | null {
    return this.sink.misfit;
  }

  digest(): string {
    return this.sink.digest(this.count);
  }
}

/** The checksum of records (rows), `${count}:${hex}`, or `${count}!${hex}` when some value did not fit the schema. */
export function checksumRecords(schema: RecordSchema, records: Iterable<unknown>): string {
  const h = new RecordHasher(schema);
  for (const r of records) h.add(r);
  return h.digest();
}
