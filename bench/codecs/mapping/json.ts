/**
 * The JSON family's mapping (json, ndjson, json-stream; design §5.3): what JSON has no value for
 * is written as text and revived after parsing, in place, visiting only the paths that need it.
 * - uint64: a decimal string (as the tuples write it), revived to a BigInt;
 * - bytes: a base64 string, revived to a Buffer;
 * - vector: an array of numbers (a uint8 vector, a Uint8Array, base64 as bytes), revived to its
 *   typed array (a float32 prints as the shortest text of its double: exact);
 * - every other type is JSON's own: −0 and NaN/±Infinity do not survive (0, null: lossy).
 * A union two of whose members JSON writes alike (a string and a uint64) cannot be carried: n/a
 * (plan.ts; this module loads only when a JSON codec binds to a dataset other than the tuples).
 */
import type { RecordSchema } from '../../data/schema.js';
import { type Fix, schemaHas } from './plan.js';
import { compileFix, memberBy, typedArrayOf } from './values.js';

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

/** The replacer and reviver for a schema (that plan.ts's cannotCarry accepts). */
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
    member: memberBy('json'),
  });
  return { replacer: textual ? jsonReplacer : undefined, revive };
}
