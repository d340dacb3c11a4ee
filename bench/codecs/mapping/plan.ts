/**
 * What the schema-less formats need at plan time: whether they can carry a schema (forDataset is
 * pure and cheap), and the binding that loads their mapping (values.ts, json.ts) only on its init
 * (json.ts's bindJsonFamily, for the JSON family).
 * Kept small on purpose: every measured child loads it before its baseline, the mappings only for
 * a dataset other than the tuples (what a child holds before its baseline moves figures: registry.ts).
 */
import type { RecordSchema, Type } from '../../data/schema.js';
import type { DatasetCodec, LoadedData, Unsupported } from '../../types.js';
import { once } from '../lazy.js';

/** A value in, the value to keep out (the same object when fixed in place). */
export type Fix = (v: unknown) => unknown;

/** A library (or JSON) that writes records as they are held in memory. */
export type Family = 'json' | 'v8' | 'msgpackr' | 'msgpack-js' | 'cbor-x' | 'bson';

/** How a family writes a type, at the level a load tells a union's members apart. */
export function writtenForm(family: Family, type: Type): string {
  switch (type.kind) {
    case 'f64':
    case 'f32':
    case 'int32':
      return 'number';
    case 'uint64':
      return family === 'json' ? 'string' : 'bigint';
    case 'bool':
      return 'boolean';
    case 'string':
    case 'enum':
      return 'string';
    case 'bytes':
      return family === 'json' ? 'string' : 'bytes';
    case 'vector':
      if (type.element === 'uint8' || family === 'msgpack-js') return family === 'json' ? 'string' : 'bytes'; // JSON base64, a bin
      if (family === 'json' || (family === 'bson' && type.element !== 'f32')) return 'array';
      return `vector<${type.element}>`;
    case 'list':
    case 'tuple':
      return 'array';
    default:
      return 'object'; // record, map
  }
}

/**
 * The first path the family cannot carry, or null: a union two of whose members it writes alike
 * (a load could not tell them apart); for bson, a document key with a NUL or `_bsontype`.
 * Paths as validateSchema writes them: `a.b`, `list[]`, `map{}`, `opt?`, union member `u|1`.
 */
export function cannotCarry(family: Family, schema: RecordSchema): Unsupported | null {
  const visit = (type: Type, path: string, top: boolean): Unsupported | null => {
    switch (type.kind) {
      case 'optional':
        return visit(type.of, `${path}?`, false);
      case 'list':
        return visit(type.of, `${path}[]`, false);
      case 'map':
        return visit(type.values, `${path}{}`, false);
      case 'record':
      case 'tuple':
        for (const f of type.fields) {
          const at = top ? f.name : `${path}.${f.name}`;
          // a tuple below the top level is a BSON array: its field names are not written
          if (family === 'bson' && (type.kind === 'record' || top) && (f.name.includes('\0') || f.name === '_bsontype'))
            return {
              unsupported: `a BSON document key cannot be ${f.name === '_bsontype' ? "'_bsontype' (the bson package takes it for a type tag)" : 'a string with a NUL'}`,
              path: at,
            };
          const u = visit(f.type, at, false);
          if (u) return u;
        }
        return null;
      case 'union': {
        const seen = new Map<string, Type>();
        for (const [i, m] of type.of.entries()) {
          const form = writtenForm(family, m);
          const other = seen.get(form);
          if (other)
            return {
              unsupported: `${family === 'json' ? 'JSON' : family} writes the union members ${other.kind} and ${m.kind} alike (${form}): a load cannot tell them apart`,
              path,
            };
          seen.set(form, m);
          const u = visit(m, `${path}|${i}`, false);
          if (u) return u;
        }
        return null;
      }
      default:
        return null;
    }
  };
  return visit(schema, '', true);
}

/** The first union of a schema, by path (`a.b`, `list[]`, `map{}`, `opt?`): where a format without a union layout (columnar) is n/a. */
export function firstUnion(schema: RecordSchema): string | null {
  const visit = (type: Type, path: string): string | null => {
    switch (type.kind) {
      case 'union':
        return path;
      case 'optional':
        return visit(type.of, `${path}?`);
      case 'list':
        return visit(type.of, `${path}[]`);
      case 'map':
        return visit(type.values, `${path}{}`);
      case 'record':
      case 'tuple':
        for (const f of type.fields) {
          const u = visit(f.type, path === '' ? f.name : `${path}.${f.name}`);
          if (u !== null) return u;
        }
        return null;
      default:
        return null;
    }
  };
  return visit(schema, '');
}

/** Whether the schema holds, anywhere, a type that passes `test`. */
export function schemaHas(schema: RecordSchema, test: (t: Type) => boolean): boolean {
  const visit = (type: Type): boolean =>
    test(type) ||
    (type.kind === 'optional' || type.kind === 'list'
      ? visit(type.of)
      : type.kind === 'map'
        ? visit(type.values)
        : type.kind === 'union'
          ? type.of.some(visit)
          : (type.kind === 'record' || type.kind === 'tuple') && type.fields.some((f) => visit(f.type)));
  return visit(schema);
}

/** Whether the schema holds bytes or vectors: values a decoder may return as views into its input. */
export function holdsBytes(schema: RecordSchema): boolean {
  return schemaHas(schema, (t) => t.kind === 'bytes' || t.kind === 'vector');
}

/**
 * A codec bound to a dataset through its mapping: `no` when the format cannot carry it; otherwise
 * the codec's own writer and reader, given what `prepare` builds from the schema, once, on the
 * binding's init() (before the measured child's baseline) or on first use.
 */
export function bindMapped<M>(
  no: Unsupported | null,
  prepare: () => M | Promise<M>,
  write: (rows: readonly unknown[], path: string, mapping: M) => Promise<void>,
  read: (path: string, mapping: M) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  if (no) return no;
  const mapping = once(async () => prepare());
  return {
    async init() {
      await mapping();
    },
    dump: async (rows, path) => write(rows, path, await mapping()),
    load: async (path) => read(path, await mapping()),
  };
}

/** A decoded whole-file value as the load's rows: the array, each record fixed in place. */
export function fixRows(value: unknown, fix: Fix | null): LoadedData {
  if (!Array.isArray(value)) throw new TypeError('top-level value is not an array');
  if (fix) for (let i = 0; i < value.length; i++) value[i] = fix(value[i]);
  return value as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
}
