/**
 * What a failed verification found, walked by the schema: the first record that differs, naming
 * every leaf that differs by its path and kind, and the uint64 verdict of a case: whether the
 * format carried every value in [0, 2**64) exactly, lost some (`lossy`), or refused them
 * (`rejected`). Never declared by a codec: measured here, from the data a case's verification
 * compared, or (rejected) from a dump that threw and a probe that shows it threw because of the uint64.
 *
 * Only the slow path runs this: the record-by-record comparison runs when the checksums already differ.
 * (Moved from bench/verify-diff.ts and made schema-driven; for the tuples its messages are unchanged.)
 */
import type { Uint64Verdict } from '../types.js';
import { memberFits, showValue } from './hash.js';
import { RecordCountError, UINT64_REJECTED } from './failures.js';
import type { RecordSchema, Type, TypeKind } from './schema.js';

export { RecordCountError, UINT64_REJECTED };

const TWO_63 = 9223372036854775808n;

/** The first differing leaf, structured: `{ record: 17, path: '[17].items[3].qty', kind: 'int32', expected: '5', got: '5.5 (number)' }`. */
export interface FirstDifference {
  readonly record: number;
  readonly path: string;
  readonly kind: TypeKind | 'shape';
  readonly expected: string;
  readonly got: string;
}

export interface Difference {
  /**
   * The first record that differs, naming every leaf that differs ("record 3: uint64
   * 9223372036854775808 came back as -9223372036854775808"), or null when every compared record is equal.
   */
  first: string | null;
  /** The first differing leaf of that record, structured; null when none differs. */
  at: FirstDifference | null;
  /**
   * Some record came back as itself (one of its other leaves equal to the generator's) with another
   * uint64, or a uint64 of another type than bigint. A record whose other leaves all differ is
   * another record (dropped or reordered ones shift every later one) and tells nothing about the uint64.
   */
  uint64Differs: boolean;
  /** Records whose uint64 could not be judged that way (no other leaf came back). */
  uint64Unjudged: number;
  /** Some uint64 in the generated data is >= 2**63 (so an exact result says something about the high half). */
  holdsHighUint64: boolean;
  /** Some loaded record is not a record of the schema at all (not an array/object, a tuple of another length): the case fails. */
  notRecords: boolean;
}

/** The word a difference uses for a top-level tuple field (positional: named by its kind, as the suite always did). */
const KIND_WORD: Partial<Record<TypeKind, string>> = { f64: 'float' };

interface Leaf {
  path: string;
  kind: TypeKind;
  expected: unknown;
  got: unknown;
  /** A top-level field of a tuple: named by its kind alone. */
  positional: boolean;
}

/** One record's comparison: the differing leaves, and how many non-uint64 leaves came back equal. */
interface RecordWalk {
  differing: Leaf[];
  equalOther: number;
  otherLeaves: number;
}

const sameNumber = (a: unknown, b: unknown): boolean => typeof b === 'number' && (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)));

/** The first index where two arrays of the same length differ (-1: none), so that a message names the element, not "Uint8Array(12)" twice. */
function firstDiffering(a: ArrayLike<unknown>, b: ArrayLike<unknown>, same: (x: unknown, y: unknown) => boolean): number {
  for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return i;
  return -1;
}

/** Compares `got` with `want` under the hasher's rules, recording differing leaves. */
function walk(type: Type, want: unknown, got: unknown, path: string, positional: boolean, w: RecordWalk) {
  const leaf = (same: boolean) => {
    if (type.kind !== 'uint64') {
      w.otherLeaves++;
      if (same) w.equalOther++;
    }
    if (!same) w.differing.push({ path, kind: type.kind, expected: want, got, positional });
  };
  switch (type.kind) {
    case 'f64':
    case 'f32':
      return leaf(sameNumber(want, got));
    case 'int32':
    case 'uint64':
    case 'bool':
    case 'string':
    case 'enum':
      return leaf(want === got);
    case 'bytes':
    case 'vector': {
      const a = want as ArrayLike<unknown>;
      const b = got as ArrayLike<unknown> | null;
      const fits = type.kind === 'bytes' ? b instanceof Uint8Array : ArrayBuffer.isView(b) || Array.isArray(b);
      if (!fits || b === null || b.length !== a.length) return leaf(false);
      const i = firstDiffering(a, b, type.kind === 'bytes' ? Object.is : sameNumber);
      if (i < 0) return leaf(true);
      w.otherLeaves++;
      w.differing.push({ path: `${path}[${i}]`, kind: type.kind, expected: a[i], got: b[i], positional: false });
      return;
    }
    case 'optional':
      if (want === null || want === undefined || got === null || got === undefined) {
        return leaf((want === null || want === undefined) === (got === null || got === undefined));
      }
      return walk(type.of, want, got, path, positional, w);
    case 'list': {
      const a = want as unknown[];
      if (!Array.isArray(got) || got.length !== a.length) return leaf(false);
      for (let i = 0; i < a.length; i++) walk(type.of, a[i], got[i], `${path}[${i}]`, false, w);
      return;
    }
    case 'map': {
      const a = want as Record<string, unknown>;
      if (typeof got !== 'object' || got === null || Array.isArray(got) || ArrayBuffer.isView(got)) return leaf(false);
      const g = got as Record<string, unknown>;
      // maps are unordered: compared key by key in key order, as hashed; a key on one side only is named with its value and `absent`
      const keys = [...new Set([...Object.keys(a), ...Object.keys(g)])].sort();
      for (const k of keys) {
        const at = `${path}[${JSON.stringify(k)}]`;
        if (Object.hasOwn(a, k) && Object.hasOwn(g, k)) walk(type.values, a[k], g[k], at, false, w);
        else {
          w.otherLeaves++;
          w.differing.push({ path: at, kind: 'map', expected: a[k], got: g[k], positional: false });
        }
      }
      return;
    }
    case 'union': {
      // members are of distinct JS categories: a value and its round trip are of the same member
      const m = type.of.find((x) => memberFits(x, want));
      if (!m || !memberFits(m, got)) return leaf(false);
      return walk(m, want, got, path, positional, w);
    }
    case 'record':
    case 'tuple': {
      if (typeof got !== 'object' || got === null || (type.kind === 'tuple' && (!Array.isArray(got) || got.length !== type.fields.length))) return leaf(false);
      type.fields.forEach((f, i) => {
        const key = type.kind === 'tuple' ? i : f.name;
        walk(
          f.type,
          (want as Record<string | number, unknown>)[key],
          (got as Record<string | number, unknown>)[key],
          type.kind === 'tuple' ? `${path}[${i}]` : `${path}.${f.name}`,
          false,
          w,
        );
      });
      return;
    }
  }
}

/** A value as the difference names it; a value of another type than the generator's says its type (as the suite always named them). */
function show(v: unknown, want: unknown): string {
  if (v === undefined) return 'absent'; // a map key or record field on one side only
  const text = typeof v === 'bigint' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? showValue(v) : String(v);
  return typeof v === typeof want ? text : `${text} (${v === null ? 'null' : typeof v})`;
}

function label(l: Leaf): string {
  return l.positional ? (KIND_WORD[l.kind] ?? l.kind) : `${l.path} ${l.kind}`;
}

/** The record's shape in words: `[float, string, uint64]` for a tuple, `record Name` otherwise. */
export function shapeText(schema: RecordSchema): string {
  return schema.kind === 'tuple' ? `[${schema.fields.map((f) => KIND_WORD[f.type.kind] ?? f.type.kind).join(', ')}]` : `a record ${schema.name}`;
}

/** Compares one record; `null` when it is not a record of the schema at all. */
function walkRecord(schema: RecordSchema, want: unknown, got: unknown): RecordWalk | null {
  const isRecord =
    schema.kind === 'tuple' ? Array.isArray(got) && got.length === schema.fields.length : typeof got === 'object' && got !== null && !Array.isArray(got);
  if (!isRecord) return null;
  const w: RecordWalk = { differing: [], equalOther: 0, otherLeaves: 0 };
  schema.fields.forEach((f, i) => {
    const key = schema.kind === 'tuple' ? i : f.name;
    const path = schema.kind === 'tuple' ? `[${i}]` : `.${f.name}`;
    walk(f.type, (want as Record<string | number, unknown>)[key], (got as Record<string | number, unknown>)[key], path, schema.kind === 'tuple', w);
  });
  return w;
}

/** Whether a record holds a uint64 >= 2**63 anywhere (walked by the schema). */
function holdsHigh(type: Type, v: unknown): boolean {
  switch (type.kind) {
    case 'uint64':
      return typeof v === 'bigint' && v >= TWO_63;
    case 'optional':
      return v !== null && v !== undefined && holdsHigh(type.of, v);
    case 'list':
      return Array.isArray(v) && v.some((x) => holdsHigh(type.of, x));
    case 'map':
      return typeof v === 'object' && v !== null && Object.values(v).some((x) => holdsHigh(type.values, x));
    case 'union': {
      const m = type.of.find((x) => memberFits(x, v));
      return m !== undefined && holdsHigh(m, v);
    }
    case 'record':
    case 'tuple':
      return type.fields.some((f, i) => holdsHigh(f.type, (v as Record<string | number, unknown>)[type.kind === 'tuple' ? i : f.name]));
    default:
      return false;
  }
}

/** Whether some record holds a uint64 >= 2**63 (almost always within the first few records). */
export function holdsHighUint64(schema: RecordSchema, records: Iterable<unknown>): boolean {
  for (const r of records) if (holdsHigh(schema, r)) return true;
  return false;
}

/**
 * Compare loaded records with the expected ones record by record (over the shorter of the two),
 * up to the first record whose uint64 alone differs (after it, the verdict cannot change).
 */
export function diffRecords(schema: RecordSchema, loaded: Iterable<unknown>, expected: Iterable<unknown>): Difference {
  const d: Difference = { first: null, at: null, uint64Differs: false, uint64Unjudged: 0, holdsHighUint64: false, notRecords: false };
  const want = expected[Symbol.iterator]();
  let i = 0;
  for (const got of loaded) {
    const next = want.next();
    if (next.done) break;
    const w = next.value;
    if (!d.holdsHighUint64 && holdsHigh(schema, w)) d.holdsHighUint64 = true;
    const r = walkRecord(schema, w, got);
    if (r === null) {
      d.notRecords = true;
      if (d.first === null) {
        d.first = `record ${i}: is not ${shapeText(schema)}: ${show(got, w)}`;
        d.at = { record: i, path: `[${i}]`, kind: 'shape', expected: shapeText(schema), got: showValue(got) };
      }
      d.uint64Unjudged++;
      i++;
      continue;
    }
    if (r.differing.length > 0 && d.first === null) {
      d.first = `record ${i}: ${r.differing.map((l) => `${label(l)} ${show(l.expected, l.expected)} came back as ${show(l.got, l.expected)}`).join('; ')}`;
      const l = r.differing[0]!;
      d.at = { record: i, path: `[${i}]${l.path}`, kind: l.kind, expected: show(l.expected, l.expected), got: show(l.got, l.expected) };
    }
    const uint64Differs = r.differing.some((l) => l.kind === 'uint64');
    const sameRecord = r.otherLeaves === 0 || r.equalOther > 0;
    if (!sameRecord) d.uint64Unjudged++;
    else if (uint64Differs) d.uint64Differs = true;
    i++;
    if (d.uint64Differs) break; // the verdict is lossy whatever follows, and the first difference is named: a lossy million records need not all be compared
  }
  return d;
}

/**
 * The uint64 verdict of one verification. Undefined when it cannot tell: the data held no value >=
 * 2**63, or some records came back as other records (no other leaf equal), so their uint64 was not
 * judged and none of those judged differed. `high` says whether the data holds a value >= 2**63
 * (asked only when there is no diff).
 */
export function verdictOf(verified: boolean, high: () => boolean, diff?: Difference): Uint64Verdict | undefined {
  if (diff?.uint64Differs) return 'lossy';
  if (!(diff ? diff.holdsHighUint64 : high())) return undefined;
  if (verified) return 'exact';
  return diff && diff.uint64Unjudged === 0 ? 'exact' : undefined;
}

/** A case's verdict from its runs' verdicts, or from the error of a dump that failed. */
export function caseUint64(runs: readonly { uint64?: Uint64Verdict }[], failureError?: string): Uint64Verdict | undefined {
  if (failureError?.includes(UINT64_REJECTED)) return 'rejected';
  if (runs.some((r) => r.uint64 === 'lossy')) return 'lossy';
  if (runs.some((r) => r.uint64 === 'exact')) return 'exact';
  return undefined;
}

/** One verdict per codec over its dump and load cases: the worst seen (rejected, then lossy, then exact). */
export function codecUint64(cases: readonly { codec: string; uint64?: Uint64Verdict }[], codec: string): Uint64Verdict | undefined {
  const seen = new Set(cases.filter((c) => c.codec === codec).map((c) => c.uint64));
  for (const v of ['rejected', 'lossy', 'exact'] as const) if (seen.has(v)) return v;
  return undefined;
}
