/**
 * What "flat" means for the text family (text, text-stream, text-to-columnar; design §5.5): a CSV
 * line holds a fixed list of scalar fields, so a schema is flat when every leaf reached through
 * records, tuples and fixed-length vectors is a scalar (f64, f32, int32, uint64, bool, enum,
 * string) or an optional number, bool or enum (null is an empty field). Nested records and tuples
 * expand to one column per leaf (`a.b`), a fixed-length vector to one per element (`v0[2]`), in
 * declaration order: the columns of the file, which has no header.
 *
 * The first field in declaration order that has no CSV form (a list, map, union, bytes, an optional
 * string or record, a variable-length vector) makes the dataset n/a, naming it. Here too the text
 * of a number and of a string, and the uint64 digits scanner, that the tuples' paths use as well.
 * Kept small: the codecs call it at plan time and every measured child loads it; rows and columns
 * of other datasets are in mapping/csv.ts, loaded only when a text codec binds to one.
 */
import type { RecordSchema, Type, VectorElement } from '../../data/schema.js';
import type { Unsupported } from '../../types.js';

/** A scalar as one CSV field. */
export type FlatKind = 'f64' | 'f32' | 'int32' | 'uint64' | 'bool' | 'enum' | 'string' | VectorElement;

export interface FlatColumn {
  /** `a.b`, `v0[2]`. */
  readonly name: string;
  readonly kind: FlatKind;
  /** An empty field is null. */
  readonly optional: boolean;
  readonly symbols?: readonly string[];
}

const SCALARS: ReadonlySet<string> = new Set(['f64', 'f32', 'int32', 'uint64', 'bool', 'enum', 'string']);

/** Why a type has no CSV form, or null when it has one. */
function noForm(type: Type): string | null {
  switch (type.kind) {
    case 'bytes':
      return 'bytes have no CSV form';
    case 'list':
    case 'map':
      return `a ${type.kind} has no CSV form (a line holds a fixed set of fields)`;
    case 'union':
      return "a union has no CSV form (a field's text does not say its member)";
    case 'vector':
      return type.length === undefined ? 'a variable-length vector has no CSV form (a line holds a fixed set of fields)' : null;
    case 'optional':
      if (type.of.kind === 'string') return 'an optional string has no CSV form (an empty field would be both null and the empty string)';
      return SCALARS.has(type.of.kind) ? null : `an optional ${type.of.kind} has no CSV form (only an optional number, bool or enum: an empty field)`;
    default:
      return null;
  }
}

/** The schema's columns, or the first field that has no CSV form. */
export function flatColumns(schema: RecordSchema): FlatColumn[] | Unsupported {
  const columns: FlatColumn[] = [];
  const visit = (type: Type, name: string): Unsupported | null => {
    const no = noForm(type);
    if (no) return { unsupported: no, path: name };
    if (type.kind === 'record' || type.kind === 'tuple') {
      for (const f of type.fields) {
        const u = visit(f.type, name === '' ? f.name : `${name}.${f.name}`);
        if (u) return u;
      }
    } else if (type.kind === 'vector') {
      for (let j = 0; j < type.length!; j++) columns.push({ name: `${name}[${j}]`, kind: type.element, optional: false });
    } else {
      const optional = type.kind === 'optional';
      const leaf = type.kind === 'optional' ? type.of : type;
      columns.push({ name, kind: leaf.kind as FlatKind, optional, ...(leaf.kind === 'enum' ? { symbols: leaf.symbols } : {}) });
    }
    return null;
  };
  const u = visit(schema, '');
  if (u) return u;
  const only = columns.length === 1 ? columns[0]! : null;
  if (only && (only.kind === 'string' || only.optional)) {
    return { unsupported: 'a record of one field that may be empty has no CSV form (an empty field is a blank line, which CSV parsers skip)', path: only.name };
  }
  return columns;
}

/** A string Papa.unparse writes verbatim (no quoting): no delimiter, quote, CR, LF, BOM, or edge space. */
export const PLAIN = /^(?! )[^,"\r\n\ufeff]*(?<! )$/;

/**
 * A float as Number#toString writes it (what Papa.unparse uses). JSON.stringify
 * gives the same text for finite numbers but bypasses V8's number-to-string
 * cache: with String(f) the cache kept each float string alive past a scavenge
 * and the 1M-record dump peaked +42 MiB instead of +3 MiB (measured).
 */
export function floatText(f: number): string {
  return Number.isFinite(f) ? JSON.stringify(f) : String(f);
}

const DIGIT_0 = 0x30;
const TWO_32 = 4294967296;

/**
 * Parse bytes [a, b) as a decimal uint64 (digits only, no sign, no leading zero,
 * below 2**64, the same rule as tuples.parseUint64) into two 32-bit words of
 * `words` at record `i`. Exact in doubles: lo * 10 + 9 < 2**36. Written by hand
 * so a row costs no string, regex match or BigInt: only the float field
 * becomes a (short-lived) string.
 */
export function parseUint64Bytes(buf: Buffer, a: number, b: number, words: Uint32Array, i: number, lineNo: number): void {
  const len = b - a;
  if (len < 1 || len > 20 || (len > 1 && buf[a] === DIGIT_0)) {
    throw new TypeError(`line ${lineNo}: integer field is not a decimal uint64: ${JSON.stringify(buf.toString('latin1', a, Math.min(b, a + 40)))}`);
  }
  let lo = 0;
  let hi = 0;
  for (let p = a; p < b; p++) {
    const d = buf[p]! - DIGIT_0;
    if (d < 0 || d > 9) throw new TypeError(`line ${lineNo}: integer field is not a decimal uint64: ${JSON.stringify(buf.toString('latin1', a, b))}`);
    const l = lo * 10 + d;
    const carry = Math.floor(l / TWO_32);
    lo = l - carry * TWO_32;
    hi = hi * 10 + carry;
    if (hi >= TWO_32) throw new RangeError(`line ${lineNo}: integer ${buf.toString('latin1', a, b)} does not fit in 64 bits`);
  }
  words[2 * i] = lo;
  words[2 * i + 1] = hi;
}
