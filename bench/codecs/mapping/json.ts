/**
 * The JSON family's mapping (json, ndjson, json-stream; design §5.3): what JSON has no value for
 * is written as text and revived after parsing, in place, visiting only the paths that need it.
 * - uint64: a decimal string (as the tuples write it), revived to a BigInt;
 * - bytes: a base64 string, revived to a Buffer;
 * - vector: an array of numbers (a uint8 vector, a Uint8Array, base64 as bytes), revived to its
 *   typed array (a float32 prints as the shortest text of its double: exact);
 * - every other type is JSON's own: −0 and NaN/±Infinity do not survive (0, null: lossy).
 * A union two of whose members JSON writes alike (a string and a uint64) cannot be carried: n/a.
 */
import type { RecordSchema, Type } from '../../data/schema.js';
import type { DatasetCodec, LoadedData, Unsupported } from '../../types.js';
import { bindMapped, compileFix, type Fix, memberBy, schemaHas, typedArrayOf, unionClash } from './values.js';

/** How a type's values are written in JSON, at the level a parsed value tells union members apart. */
function jsonForm(type: Type): string {
  switch (type.kind) {
    case 'f64':
    case 'f32':
    case 'int32':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'uint64':
    case 'string':
    case 'enum':
    case 'bytes':
      return 'string';
    case 'vector':
      return type.element === 'uint8' ? 'string' : 'array';
    case 'list':
    case 'tuple':
      return 'array';
    default:
      return 'object';
  }
}

const DECIMAL_UINT64 = /^(0|[1-9][0-9]{0,19})$/;

/**
 * JSON.stringify's replacer for records that hold BigInts or typed arrays: a BigInt as its decimal
 * string, a Uint8Array as base64, any other typed array as an array of its numbers. It reads the
 * holder's own value, because a Buffer's toJSON has already run when the replacer is called.
 */
export function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const raw = (this as Record<string, unknown>)[key];
    if (ArrayBuffer.isView(raw)) {
      return raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') : Array.from(raw as Float32Array);
    }
  }
  return value;
}

export type Replacer = ((this: unknown, key: string, value: unknown) => unknown) | undefined;

export interface JsonMapping {
  /** The replacer, only when the schema holds a type JSON has no value for (otherwise stringify runs without one). */
  readonly replacer: Replacer;
  /** The in-place reviver of one parsed record, or null when a parsed record is already the in-memory form. */
  readonly revive: Fix | null;
}

/** The first path JSON cannot carry (a union it writes ambiguously), or null. */
export function jsonUnsupported(schema: RecordSchema): Unsupported | null {
  return unionClash(schema, jsonForm, 'JSON');
}

/** The replacer and reviver for a schema (call jsonUnsupported first). */
export function jsonMapping(schema: RecordSchema): JsonMapping {
  const textual = schemaHas(schema, (t) => t.kind === 'uint64' || t.kind === 'bytes' || t.kind === 'vector');
  const base64: Fix = (v) => (typeof v === 'string' ? Buffer.from(v, 'base64') : v);
  const revive = compileFix(schema, {
    leaf(t) {
      if (t.kind === 'uint64') return (v) => (typeof v === 'string' && DECIMAL_UINT64.test(v) ? BigInt(v) : v);
      if (t.kind === 'bytes') return base64;
      if (t.kind === 'vector') {
        if (t.element === 'uint8') return base64;
        const T = typedArrayOf(t.element);
        return (v) => (Array.isArray(v) ? T.from(v as number[]) : v);
      }
      return null;
    },
    member: memberBy(jsonForm), // a parsed value's form is jsonForm's word for its member
  });
  return { replacer: textual ? jsonReplacer : undefined, revive };
}

/**
 * A JSON-family codec bound to a dataset: the codec's own writer and reader, given the schema's
 * replacer and reviver. Unsupported where JSON cannot carry the schema.
 */
export function bindJsonFamily(
  schema: RecordSchema,
  write: (rows: readonly unknown[], path: string, replacer: Replacer) => Promise<void>,
  read: (path: string, revive: Fix | null) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  return bindMapped(
    jsonUnsupported(schema),
    () => jsonMapping(schema),
    (rows, path, m) => write(rows, path, m.replacer),
    (path, m) => read(path, m.revive),
  );
}
