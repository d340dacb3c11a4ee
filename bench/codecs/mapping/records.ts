/**
 * Converting a dataset's containers field by field, shared by the schema-driven mappings
 * (protobuf.ts, avro.ts): a list's or map's values, and a record (or a tuple, held as an array)
 * as the object the library writes, keyed by its wire names, and back. Each takes the per-field
 * conversions (null: the value as it is); a value of the wrong shape is left alone (the
 * verification names its path).
 */
import type { RecordSchema, Type } from '../../data/schema.js';
import type { Fix } from './plan.js';

/** A list's values converted into a new array (a dump must not change its input). */
export const mapArray =
  (f: Fix): Fix =>
  (v) =>
    Array.isArray(v) ? v.map((x) => f(x)) : v;

/** A list's values converted in place (a load owns what it decoded). */
export const fixArray =
  (f: Fix): Fix =>
  (v) => {
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = f(v[i]);
    return v;
  };

/** A map's values converted, into a new object or in place. */
export const mapValues =
  (f: Fix, copy: boolean): Fix =>
  (v) => {
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = copy ? {} : o;
    for (const k of Object.keys(o)) out[k] = f(o[k]);
    return out;
  };

/**
 * A record (or tuple) in memory as a new object keyed by `wires`, each field through its
 * conversion; null when a record needs none and keeps its names (the library takes it as it is).
 */
export function recordToWire(type: RecordSchema, wires: readonly string[], to: readonly (Fix | null)[]): Fix | null {
  const tuple = type.kind === 'tuple';
  const names = type.fields.map((f) => f.name);
  if (!tuple && to.every((f) => f === null) && wires.every((w, i) => w === names[i])) return null;
  const n = names.length;
  return (v) => {
    if (typeof v !== 'object' || v === null) return v;
    const r = v as Record<string | number, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const x = r[tuple ? i : names[i]!];
      const f = to[i];
      out[wires[i]!] = f ? f(x) : x;
    }
    return out;
  };
}

/** A decoded record (keyed by `wires`) as a new plain object of the dataset's field names, or an array for a tuple. */
export function recordFromWire(type: RecordSchema, wires: readonly string[], from: readonly (Fix | null)[]): Fix {
  const names = type.fields.map((f) => f.name);
  const n = names.length;
  const tuple = type.kind === 'tuple';
  return (v) => {
    if (typeof v !== 'object' || v === null) return v;
    const r = v as Record<string, unknown>;
    const get = (i: number): unknown => {
      const f = from[i];
      const x = r[wires[i]!];
      return f ? f(x) : x;
    };
    if (tuple) return Array.from({ length: n }, (_, i) => get(i));
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) out[names[i]!] = get(i);
    return out;
  };
}

/** Every record, tuple and enum name the schema uses, in the order first met (depth first). */
export function namedTypes(schema: RecordSchema): Set<string> {
  const names = new Set<string>();
  const visit = (t: Type): void => {
    if (t.kind === 'record' || t.kind === 'tuple' || t.kind === 'enum') {
      if (names.has(t.name)) return;
      names.add(t.name);
    }
    if (t.kind === 'record' || t.kind === 'tuple') for (const f of t.fields) visit(f.type);
    else if (t.kind === 'optional' || t.kind === 'list') visit(t.of);
    else if (t.kind === 'map') visit(t.values);
    else if (t.kind === 'union') for (const m of t.of) visit(m);
  };
  visit(schema);
  return names;
}
