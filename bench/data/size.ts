/**
 * Intrinsic size: the bytes of a record's content with no overhead at all (f64 8, f32 4, int32 4,
 * uint64 8, bool 1, an enum 1 or 2, a string its UTF-8 length, bytes their length, a vector its
 * elements at their width, optional/list/record/map the sum of what they hold). The yardstick the
 * reports divide file sizes and memory by; for the tuples 8 + 8 + 20 = 36 bytes.
 */
import { memberFits } from './hash.js';
import type { Type } from './schema.js';

const WIDTH = { f32: 4, f64: 8, int32: 4, uint8: 1 } as const;

/** The intrinsic bytes of one value of `type` (a value that does not fit counts as its type's minimum). */
export function intrinsicBytes(type: Type, v: unknown): number {
  switch (type.kind) {
    case 'f64':
    case 'uint64':
      return 8;
    case 'f32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
    case 'enum':
      return type.symbols.length > 256 ? 2 : 1;
    case 'string':
      return typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0;
    case 'bytes':
      return v instanceof Uint8Array ? v.length : 0;
    case 'vector':
      return (ArrayBuffer.isView(v) || Array.isArray(v) ? (v as ArrayLike<number>).length : 0) * WIDTH[type.element];
    case 'optional':
      return v === null || v === undefined ? 0 : intrinsicBytes(type.of, v);
    case 'list':
      return Array.isArray(v) ? v.reduce((sum: number, x) => sum + intrinsicBytes(type.of, x), 0) : 0;
    case 'map':
      return typeof v === 'object' && v !== null
        ? Object.entries(v).reduce((sum, [k, x]) => sum + Buffer.byteLength(k, 'utf8') + intrinsicBytes(type.values, x), 0)
        : 0;
    case 'union': {
      const m = type.of.find((x) => memberFits(x, v));
      return m ? intrinsicBytes(m, v) : 0;
    }
    case 'record':
    case 'tuple':
      return type.fields.reduce(
        (sum, f, i) => sum + intrinsicBytes(f.type, (v as Record<string | number, unknown> | null)?.[type.kind === 'tuple' ? i : f.name]),
        0,
      );
  }
}
