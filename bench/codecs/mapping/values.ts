/**
 * The schema-less formats' mapping (issue 24, design §5.2/§5.3): v8, msgpack (msgpackr),
 * msgpack-js (@msgpack/msgpack), cbor (cbor-x) and bson write a dataset's records as they are held
 * in memory; this module says, from the schema, what each library needs around that:
 * - whether it can carry the schema at all (plan.ts: loaded by every codec, this module only on a
 *   binding's init);
 * - a post-load fix, in place, back to the in-memory form where the library returns something else
 *   (@msgpack/msgpack's bin → Float32Array, bson's Binary → Uint8Array / Float32Array);
 * - a pre-dump copy where the library cannot take a value as it is (bson: a Float32Array becomes a
 *   BSON vector); only the paths that need one are visited or copied, the rest is left alone.
 * The walker (`compileFix`) is shared with the JSON family (json.ts).
 *
 * No library is imported here: the codecs pass in what they need (bson's Binary) when they bind.
 */
import type { RecordSchema, Type, UnionType, VectorElement } from '../../data/schema.js';
import { type Family, type Fix, writtenForm } from './plan.js';

export interface FixRules {
  /** The fix of a value of this type itself (a leaf, or a vector), or null to look inside it. */
  leaf(type: Type): Fix | null;
  /** Which member of a union a value is (-1: none), for the members that have a fix. */
  member(union: UnionType, v: unknown): number;
  /** Build new containers along the fixed paths instead of writing into the value (a dump must not change its input). */
  copy?: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/**
 * A function that fixes every value of `type` at the paths where `rules.leaf` has a fix, or null when
 * none has one (then the records are used as they came). A value of the wrong shape is left as it
 * is: the verification names its path, a fix never throws on data.
 */
export function compileFix(type: Type, rules: FixRules): Fix | null {
  const own = rules.leaf(type);
  if (own) return own;
  switch (type.kind) {
    case 'optional': {
      const f = compileFix(type.of, rules);
      return f && ((v) => (v === null || v === undefined ? v : f(v)));
    }
    case 'list': {
      const f = compileFix(type.of, rules);
      if (!f) return null;
      if (rules.copy) return (v) => (Array.isArray(v) ? v.map((x) => f(x)) : v);
      return (v) => {
        if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = f(v[i]);
        return v;
      };
    }
    case 'map': {
      const f = compileFix(type.values, rules);
      if (!f) return null;
      return (v) => {
        if (!isPlainObject(v)) return v;
        const out: Record<string, unknown> = rules.copy ? {} : v;
        for (const k of Object.keys(v)) out[k] = f(v[k]);
        return out;
      };
    }
    case 'record': {
      const fixes = type.fields.flatMap((fd) => {
        const f = compileFix(fd.type, rules);
        return f ? [[fd.name, f] as const] : [];
      });
      if (fixes.length === 0) return null;
      return (v) => {
        if (!isPlainObject(v)) return v;
        const out = rules.copy ? { ...v } : v;
        for (const [name, f] of fixes) if (Object.hasOwn(v, name)) out[name] = f(v[name]);
        return out;
      };
    }
    case 'tuple': {
      const fixes = type.fields.flatMap((fd, i) => {
        const f = compileFix(fd.type, rules);
        return f ? [[i, f] as const] : [];
      });
      if (fixes.length === 0) return null;
      return (v) => {
        if (!Array.isArray(v)) return v;
        const out = rules.copy ? [...v] : v;
        for (const [i, f] of fixes) out[i] = f(v[i]);
        return out;
      };
    }
    case 'union': {
      const fixes = type.of.map((m) => compileFix(m, rules));
      if (fixes.every((f) => f === null)) return null;
      return (v) => {
        const f = fixes[rules.member(type, v)];
        return f ? f(v) : v;
      };
    }
    default:
      return null;
  }
}

const TYPED: Record<VectorElement, { new (b: ArrayBuffer): ArrayBufferView; from(a: ArrayLike<number>): ArrayBufferView; BYTES_PER_ELEMENT: number }> = {
  f32: Float32Array,
  f64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

/** The typed array a vector of `element` is held in. */
export function typedArrayOf(element: VectorElement): (typeof TYPED)[VectorElement] {
  return TYPED[element];
}

/**
 * What a value in memory or as a schema-less library returned it is, at the level unions are told
 * apart: JS category, with Uint8Array as `bytes` and other typed arrays by element.
 */
export function valueForm(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v !== 'object') return typeof v;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Uint8Array) return 'bytes';
    const el = (Object.keys(TYPED) as VectorElement[]).find((e) => v instanceof TYPED[e]);
    return el ? `vector<${el}>` : 'other';
  }
  if (Array.isArray(v)) return 'array';
  const bsontype = (v as { _bsontype?: unknown })._bsontype;
  if (bsontype === 'Binary') return (v as { sub_type?: unknown }).sub_type === BSON_VECTOR_SUBTYPE ? 'vector<f32>' : 'bytes';
  return 'object';
}

/** The union member whose form is the value's (-1: none). */
export function memberBy(family: Family): (u: UnionType, v: unknown) => number {
  return (u, v) => {
    const f = valueForm(v);
    return u.of.findIndex((m) => writtenForm(family, m) === f);
  };
}

/** BSON's vector subtype (Binary subtype 9; its first byte says the element type, 0x27 for float32). */
const BSON_VECTOR_SUBTYPE = 9;

/** The copy of a Uint8Array's bytes as the typed array of `element` (a whole number of elements), else the value unchanged. */
function bytesAs(element: VectorElement): Fix {
  const T = TYPED[element];
  return (v) => {
    if (!(v instanceof Uint8Array) || v.byteLength % T.BYTES_PER_ELEMENT !== 0) return v;
    // a copy: the bytes are a view into the file's buffer, maybe not aligned to the element width
    return new T(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer);
  };
}

/** A plain array of numbers as the typed array of `element`, else the value unchanged. */
function arrayAs(element: VectorElement): Fix {
  const T = TYPED[element];
  return (v) => (Array.isArray(v) ? T.from(v as number[]) : v);
}

/** The part of bson's Binary the mapping uses (the codec passes in the class: no import here). */
export interface BsonBinary {
  readonly sub_type: number;
  value(): Uint8Array;
  toFloat32Array(): Float32Array;
}
export interface BsonBinaryClass {
  fromFloat32Array(a: Float32Array): unknown;
}

/**
 * The in-place fix that makes a record the library returned the dataset's in-memory form, or null
 * when the library returns it as it is (v8, msgpackr with moreTypes, cbor-x: typed arrays, bytes,
 * BigInts all native).
 */
export function loadFix(lib: Family, type: Type): Fix | null {
  if (lib === 'msgpack-js') {
    return compileFix(type, {
      leaf: (t) => (t.kind === 'vector' && t.element !== 'uint8' ? bytesAs(t.element) : null),
      member: memberBy(lib),
    });
  }
  if (lib === 'bson') {
    const binaryBytes: Fix = (v) => (valueForm(v) === 'bytes' && !(v instanceof Uint8Array) ? (v as BsonBinary).value() : v);
    const binaryF32: Fix = (v) => (valueForm(v) === 'vector<f32>' && !(v instanceof Float32Array) ? (v as BsonBinary).toFloat32Array() : v);
    return compileFix(type, {
      leaf: (t) =>
        t.kind === 'bytes' || (t.kind === 'vector' && t.element === 'uint8')
          ? binaryBytes
          : t.kind === 'vector'
            ? t.element === 'f32'
              ? binaryF32
              : arrayAs(t.element)
            : null,
      member: memberBy(lib),
    });
  }
  return null;
}

/**
 * bson's pre-dump copy of a value of `type`: a Float32Array becomes a BSON vector
 * (`Binary.fromFloat32Array`), a Float64Array or Int32Array a plain array of numbers (the bson
 * package writes no other typed array); null when the type holds none.
 */
export function bsonDumpFix(type: Type, Binary: BsonBinaryClass): Fix | null {
  return compileFix(type, {
    copy: true,
    leaf: (t) => {
      if (t.kind !== 'vector' || t.element === 'uint8') return null;
      if (t.element === 'f32')
        return (v) =>
          ArrayBuffer.isView(v) || Array.isArray(v) ? Binary.fromFloat32Array(v instanceof Float32Array ? v : Float32Array.from(v as number[])) : v;
      return (v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v);
    },
    member: memberBy('v8'), // in memory: v8 writes every value as it is held
  });
}

/**
 * A record as the BSON document written for it, and back: a record is its own document; a tuple at
 * the top level is the document of its fields by name (`{ f, s, u }`, as the tuples' bson codec
 * writes it), read back into an array.
 */
export function bsonDocuments(schema: RecordSchema, Binary: BsonBinaryClass): { toDocument: Fix | null; fromDocument: Fix | null } {
  if (schema.kind === 'record') return { toDocument: bsonDumpFix(schema, Binary), fromDocument: loadFix('bson', schema) };
  const fields = schema.fields.map((f) => ({ name: f.name, dump: bsonDumpFix(f.type, Binary), load: loadFix('bson', f.type) }));
  return {
    toDocument: (v) => {
      if (!Array.isArray(v)) return v;
      const doc: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        doc[f.name] = f.dump ? f.dump(v[i]) : v[i];
      });
      return doc;
    },
    fromDocument: (d) => (isPlainObject(d) ? fields.map((f) => (f.load ? f.load(d[f.name]) : d[f.name])) : d),
  };
}
