/** Shape checks shared by codecs whose decoded form is (almost) a tuple array. */
import type { Tuple } from '../types.js';

/** Throws unless `value` is an array of [number, string, bigint]. Checked after decoding, outside any hot loop of the library. */
export function assertTuples(value: unknown): asserts value is Tuple[] {
  if (!Array.isArray(value)) throw new TypeError(`expected an array of tuples, got ${describe(value)}`);
  for (let i = 0; i < value.length; i++) assertTuple(value[i], i);
}

export function assertTuple(t: unknown, i: number): asserts t is Tuple {
  if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'number' || typeof t[1] !== 'string' || typeof t[2] !== 'bigint') {
    throw new TypeError(`record ${i} is not [number, string, bigint]: ${describe(t)}`);
  }
}

/** `t` itself once checked (assertTuple): the per-record step of a streaming tuples load. */
export function checkedTuple(t: unknown, i: number): Tuple {
  assertTuple(t, i);
  return t;
}

/** Parse a decimal uint64 string strictly (BigInt() alone would accept '0x10', ' 1', '-1' and ''). */
export function parseUint64(text: unknown, i: number): bigint {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(text)) {
    throw new TypeError(`record ${i}: integer field is not a decimal uint64: ${describe(text)}`);
  }
  const v = BigInt(text);
  if (v >= 18446744073709551616n) throw new RangeError(`record ${i}: integer ${text} does not fit in 64 bits`);
  return v;
}

/** Parse a float field written by Number#toString (round-trips exactly). */
export function parseFloatField(text: unknown, i: number): number {
  if (typeof text !== 'string' || text.length === 0) throw new TypeError(`record ${i}: float field is empty or missing`);
  const v = Number(text);
  if (Number.isNaN(v) && text !== 'NaN') throw new TypeError(`record ${i}: float field is not a number: ${describe(text)}`);
  return v;
}

function describe(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
