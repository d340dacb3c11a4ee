/**
 * Schema inference from the records of a reader's sample (`--data sample.ndjson`, design §7.2):
 * every record's value at each path is merged into one summary (`Seen`), and each summary becomes
 * a type of the type language:
 *
 * - numbers: `int32` when all are integers in int32's range, `f64` otherwise; integers beyond 2^53
 *   (BigInts from the parser) make the path `uint64` when every value beside them is a non-negative
 *   integer below 2^64, else `f64` with a note of how many lose digits; a `--uint64` path is `uint64`
 *   whatever the sample holds (a value that is not a non-negative integer below 2^64 is refused);
 * - strings `string` (the longest noted), booleans `bool`, arrays `list` of their merged elements;
 * - objects: a `record` named from the path, or a `map` when they look like one (many distinct
 *   keys, few of them per object, or keys that are not identifiers);
 * - `null` or a missing key: `optional`; always null: `optional<string>`, noted;
 * - two kinds at one path: a `union` (one member per JS category; number kinds widen instead).
 *
 * Every decision that is not plain is said in a note (`user: union (string in 40%, record in 60%)`).
 */
import { InputError } from '../errors.js';
import { type Field, type RecordType, type Type, t, validateSchema } from './schema.js';

/** A bad sample or schema file: one line naming the file (and the line), exit 2. */
export class DataSampleError extends InputError {
  override name = 'DataSampleError';
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const TWO_64 = 2n ** 64n;
/** Objects with more distinct keys than this, each holding on average fewer than half of them, are maps. */
const MAP_DISTINCT_KEYS = 32;
const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Strings at least this long are noted at their path, beside the longest string of the sample. */
const LONG_STRING = 64 * 1024;

/** What was seen at one path, over every record. */
interface Seen {
  /** Values seen here, null included (a record field: how many objects held the key). */
  values: number;
  nulls: number;
  numbers: number;
  /** Numbers that are not int32 (fractions, -0, out of range). */
  notInt32: number;
  /** Numbers that are negative or not integers (cannot sit beside a uint64). */
  notUnsigned: number;
  bigints: number;
  /** BigInts that are negative or >= 2^64 (no uint64). */
  bigOutside: number;
  /** BigInts that a double cannot hold exactly. */
  bigLossy: number;
  /** The first value that is not null and not an integer in [0, 2^64): refused at a --uint64 path. */
  notUint64: { line: number; value: string } | null;
  strings: number;
  longest: string;
  bools: number;
  arrays: number;
  elements: Seen | null;
  objects: number;
  keys: Map<string, Seen> | null;
  /** Keys over all objects (for the average per object). */
  keyCount: number;
  /** Objects holding a key that is integer-like or not identifier-like. */
  oddKeyObjects: number;
}

const seen = (): Seen => ({
  values: 0,
  nulls: 0,
  numbers: 0,
  notInt32: 0,
  notUnsigned: 0,
  bigints: 0,
  bigOutside: 0,
  bigLossy: 0,
  notUint64: null,
  strings: 0,
  longest: '',
  bools: 0,
  arrays: 0,
  elements: null,
  objects: 0,
  keys: null,
  keyCount: 0,
  oddKeyObjects: 0,
});

const isInt32 = (v: number): boolean => Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0);

/** A value for a message: numbers and BigInts as written, other things by kind. */
export function valueWords(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return 'a string';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Adds one value (of record `line`) to what was seen at its path. */
function observe(s: Seen, v: unknown, line: number, file: string): void {
  s.values++;
  if (v === null) {
    s.nulls++;
    return;
  }
  const unsigned = (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n && v < TWO_64);
  if (!unsigned && s.notUint64 === null) s.notUint64 = { line, value: valueWords(v) };
  if (typeof v === 'number') {
    s.numbers++;
    if (!isInt32(v)) s.notInt32++;
    if (!(Number.isInteger(v) && v >= 0)) s.notUnsigned++;
  } else if (typeof v === 'bigint') {
    s.bigints++;
    if (v < 0n || v >= TWO_64) s.bigOutside++;
    if (BigInt(Number(v)) !== v) s.bigLossy++;
  } else if (typeof v === 'string') {
    s.strings++;
    if (v.length > s.longest.length) s.longest = v;
  } else if (typeof v === 'boolean') {
    s.bools++;
  } else if (Array.isArray(v)) {
    s.arrays++;
    if (v.length > 0) {
      s.elements ??= seen();
      for (const x of v) observe(s.elements, x, line, file);
    }
  } else {
    s.objects++;
    s.keys ??= new Map();
    let odd = false;
    let count = 0;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === '__proto__') throw new DataSampleError(`${file}: line ${line}: a key "__proto__" (it can be neither a field nor a map key)`);
      count++;
      if (INTEGER_LIKE.test(k) || !IDENTIFIER.test(k)) odd = true;
      let child = s.keys.get(k);
      if (!child) {
        child = seen();
        s.keys.set(k, child);
      }
      observe(child, x, line, file);
    }
    s.keyCount += count;
    if (odd) s.oddKeyObjects++;
  }
}

/** Two summaries as one (the values of a map: every key's summary merged). */
function merge(a: Seen, b: Seen): Seen {
  const out: Seen = {
    values: a.values + b.values,
    nulls: a.nulls + b.nulls,
    numbers: a.numbers + b.numbers,
    notInt32: a.notInt32 + b.notInt32,
    notUnsigned: a.notUnsigned + b.notUnsigned,
    bigints: a.bigints + b.bigints,
    bigOutside: a.bigOutside + b.bigOutside,
    bigLossy: a.bigLossy + b.bigLossy,
    notUint64: a.notUint64 && b.notUint64 ? (a.notUint64.line <= b.notUint64.line ? a.notUint64 : b.notUint64) : (a.notUint64 ?? b.notUint64),
    strings: a.strings + b.strings,
    longest: b.longest.length > a.longest.length ? b.longest : a.longest,
    bools: a.bools + b.bools,
    arrays: a.arrays + b.arrays,
    elements: a.elements && b.elements ? merge(a.elements, b.elements) : (a.elements ?? b.elements),
    objects: a.objects + b.objects,
    keys: null,
    keyCount: a.keyCount + b.keyCount,
    oddKeyObjects: a.oddKeyObjects + b.oddKeyObjects,
  };
  if (a.keys || b.keys) {
    out.keys = new Map(a.keys ?? []);
    for (const [k, s] of b.keys ?? []) {
      const mine = out.keys.get(k);
      out.keys.set(k, mine ? merge(mine, s) : s);
    }
  }
  return out;
}

/**
 * `1,234`. Not toLocaleString: its first call loads ICU's number formatting, 7.4 MiB of RSS, and a
 * measured child that reads a sample does this before its baseline.
 */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A share as a whole percentage, never rounded to 0% or 100% when it is neither. */
function share(part: number, whole: number): string {
  const p = Math.round((100 * part) / whole);
  return `${part > 0 && p === 0 ? '<1' : part < whole && p === 100 ? '>99' : p}%`;
}

/** Bytes for a note: `812 B`, `3.4 KiB`, `1.0 MiB`. */
export function byteWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** `user-name` -> `UserName`: a piece of a record's name (only [A-Za-z0-9] kept). */
function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

export interface InferOptions {
  /** The record type's name (`Sample`); nested records are named from it and their path (`SampleUser`). */
  readonly name: string;
  /** Paths (`id`, `user.id`, `items[].id`, `tags{}`) typed `uint64` whatever the sample holds. */
  readonly uint64Paths?: readonly string[];
  /** The sample's line of each record, for refusals (default: record i is line i + 1). */
  readonly lines?: readonly number[];
  /** The sample's name in messages. */
  readonly file: string;
}

export interface Inference {
  readonly schema: RecordType;
  /** What the inference made of each path that is not plain: `user: union (string in 40%, record in 60%)`. */
  readonly notes: readonly string[];
}

/** The schema of sample records (objects, one per line of the sample), with notes. */
export function inferSchema(records: readonly Record<string, unknown>[], options: InferOptions): Inference {
  const { file } = options;
  const top = seen();
  records.forEach((r, i) => {
    observe(top, r, options.lines?.[i] ?? i + 1, file);
  });
  if (records.length === 0) throw new DataSampleError(`${file}: no records to infer a schema from`);
  const forced = new Set(options.uint64Paths ?? []);
  const used = new Set<string>(); // uint64 paths that name something
  const names = new Set<string>();
  const notes: string[] = [];
  const note = (path: string, text: string): void => {
    notes.push(`${path}: ${text}`);
  };
  let longest = { path: '', bytes: -1 };

  const uniqueName = (base: string): string => {
    let name = base;
    for (let i = 2; names.has(name); i++) name = `${base}${i}`;
    names.add(name);
    return name;
  };

  const numberType = (s: Seen, path: string): Type => {
    if (forced.has(path)) {
      used.add(path);
      if (s.notUint64)
        throw new DataSampleError(`${file}: line ${s.notUint64.line}: ${path} is ${s.notUint64.value}, not an integer in [0, 2^64) (--uint64 ${path})`);
      note(path, 'uint64 (--uint64)');
      return t.uint64();
    }
    if (s.bigints > 0) {
      if (s.bigOutside === 0 && s.notUnsigned === 0) {
        note(path, 'uint64 (integers above 2^53)');
        return t.uint64();
      }
      note(path, `f64 (rounded: ${count(s.bigLossy)} value${s.bigLossy === 1 ? '' : 's'} lose${s.bigLossy === 1 ? 's' : ''} digits)`);
      return t.f64();
    }
    return s.notInt32 === 0 ? t.int32() : t.f64();
  };

  const objectType = (s: Seen, path: string, name: string, top: boolean): Type => {
    const keys = s.keys ?? new Map<string, Seen>();
    const distinct = keys.size;
    const fieldless = [...keys.keys()].find((k) => k === '' || INTEGER_LIKE.test(k)); // a key no record field can have
    if (top) {
      if (distinct === 0) throw new DataSampleError(`${file}: every record is an empty object: no field to measure`);
      if (fieldless !== undefined)
        throw new DataSampleError(
          `${file}: the records hold the key ${JSON.stringify(fieldless)}: a record's field name is neither empty nor integer-like (JS reorders such keys)`,
        );
    } else {
      const sparse = distinct > MAP_DISTINCT_KEYS && s.keyCount / s.objects < distinct / 2;
      const odd = s.oddKeyObjects > s.objects / 2;
      if (distinct === 0) {
        note(path, 'map (always an empty object: typed as map<string>)');
        return t.map(t.string());
      }
      if (sparse || odd || fieldless !== undefined) {
        const values = [...keys.values()].reduce(merge);
        const why = sparse ? '' : odd ? ', keys not identifiers' : `, a key no field can have: ${JSON.stringify(fieldless)}`;
        note(path, `map (${count(distinct)} distinct keys${why})`);
        return t.map(typeOf(values, `${path}{}`, name, 0));
      }
    }
    const recordName = uniqueName(name);
    const fields: Field[] = [];
    for (const [k, child] of keys) {
      const childPath = path === '' ? k : `${path}.${k}`;
      fields.push({ name: k, type: typeOf(child, childPath, `${recordName}${pascal(k)}`, s.objects - child.values) });
    }
    return { kind: 'record', name: recordName, fields };
  };

  /** The type of what was seen at `path`; `absent` = records whose object lacked the key. */
  const typeOf = (s: Seen, path: string, name: string, absent: number): Type => {
    const members: { type: Type; n: number; word: string }[] = [];
    if (s.numbers + s.bigints > 0) {
      const type = numberType(s, path);
      members.push({ type, n: s.numbers + s.bigints, word: type.kind });
    } else if (forced.has(path) && s.notUint64) {
      used.add(path);
      throw new DataSampleError(`${file}: line ${s.notUint64.line}: ${path} is ${s.notUint64.value}, not an integer in [0, 2^64) (--uint64 ${path})`);
    }
    if (s.bools > 0) members.push({ type: t.bool(), n: s.bools, word: 'bool' });
    if (s.strings > 0) {
      members.push({ type: t.string(), n: s.strings, word: 'string' });
      const bytes = Buffer.byteLength(s.longest, 'utf8');
      if (bytes > longest.bytes) longest = { path, bytes };
      if (bytes >= LONG_STRING) note(path, `strings up to ${byteWords(bytes)}`);
    }
    if (s.arrays > 0) {
      let of: Type;
      if (s.elements) of = typeOf(s.elements, `${path}[]`, name, 0);
      else {
        note(path, 'list (always empty: typed as list<string>)');
        of = t.string();
      }
      members.push({ type: t.list(of), n: s.arrays, word: 'list' });
    }
    if (s.objects > 0) {
      const type = objectType(s, path, name, path === '');
      members.push({ type, n: s.objects, word: type.kind });
    }
    let type: Type;
    if (members.length === 0) {
      if (forced.has(path)) {
        used.add(path);
        type = t.uint64();
      } else {
        note(path, 'optional (always null in the sample: typed as string)');
        type = t.string();
      }
    } else if (members.length === 1) type = members[0]!.type;
    else {
      const n = members.reduce((sum, m) => sum + m.n, 0);
      note(path, `union (${members.map((m) => `${m.word} in ${share(m.n, n)}`).join(', ')})`);
      type = t.union(...members.map((m) => m.type));
    }
    const missing = s.nulls + absent;
    if (missing > 0) {
      if (members.length > 0)
        note(path, `optional (${absent === 0 ? 'null' : s.nulls === 0 ? 'absent' : 'absent or null'} in ${share(missing, s.values + absent)})`);
      return t.optional(type);
    }
    return type;
  };

  const schema = typeOf(top, '', options.name, 0) as RecordType;
  const unknown = [...forced].filter((p) => !used.has(p));
  if (unknown.length > 0)
    throw new DataSampleError(`${file}: --uint64 ${unknown[0]}: no number at that path in the sample (paths look like a.b, items[].id, tags{})`);
  if (longest.bytes >= 0 && longest.bytes < LONG_STRING) note(longest.path, `strings up to ${byteWords(longest.bytes)} (the longest)`);
  const problems = validateSchema(schema);
  if (problems.length > 0) throw new DataSampleError(`${file}: the inferred schema is not valid: ${problems.join('; ')}`);
  return { schema, notes };
}
