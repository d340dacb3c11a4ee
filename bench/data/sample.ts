/**
 * The reader's own data from a sample file (`--data sample.ndjson`, design §7.2): NDJSON read line
 * by line with lossless-json (integers beyond 2^53 become BigInts, so nothing is rounded before the
 * inference sees it), the schema inferred (infer.ts) or read from a schema file (`--data-schema`),
 * every record converted to the schema's in-memory form, and a DatasetDefinition whose
 * `generate(n, seed)` repeats the k sample records to N as deep copies.
 *
 * Everything a user can get wrong (not JSON, not an object, too big, a record that does not fit the
 * schema file, a bad `--uint64` path) is a DataSampleError: one line naming the file and the line, exit 2.
 *
 * lossless-json is the data model's one package (layering.test.ts allows it here only), imported
 * lazily: a run without `--data` never loads it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage, UsageError } from '../errors.js';
import { MIB } from '../units.js';
import type { DatasetDefinition } from './dataset.js';
import { byteWords, count, DataSampleError, inferSchema, valueWords } from './infer.js';
import { DATASET_NAMES } from './registry.js';
import { describeSchema, type RecordType, type Type, typeText, validateSchema } from './schema.js';

export { DataSampleError };

/** The most a sample may hold: more is refused, naming the limit. */
export const SAMPLE_LIMITS = { records: 1_000_000, bytes: 512 * MIB } as const;
export const DEFAULT_SAMPLE_N = 100_000;

export interface SampleLimits {
  readonly records: number;
  readonly bytes: number;
}

/** A sample as read: one object per non-blank line. */
export interface SampleRead {
  readonly file: string;
  readonly records: Record<string, unknown>[];
  /** The line (1-based) of each record. */
  readonly lines: number[];
  readonly blankLines: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** What kind of JSON value a parsed line is, for the refusal of one that is not an object. */
const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : `a ${typeof v}`);

/** Reads an NDJSON sample: every non-blank line one JSON object; safe integers and fractions as numbers, larger integers as BigInts. */
export async function readSample(file: string, limits: SampleLimits = SAMPLE_LIMITS): Promise<SampleRead> {
  const { parse, isInteger } = await import('lossless-json');
  const parseNumber = (text: string): number | bigint => {
    const n = Number(text);
    if (Number.isSafeInteger(n) || !Number.isInteger(n)) return n; // safe integers, fractions (and -0) as JSON.parse gives them
    return isInteger(text) ? BigInt(text) : n; // an integer beyond 2^53 written as one: exact; 1e300 stays a number
  };
  let buf: Buffer;
  try {
    const size = statSync(file).size; // before reading: a file over the limit is never read
    if (size > limits.bytes) throw new DataSampleError(`${file}: ${byteWords(size)}, more than the ${byteWords(limits.bytes)} a sample may hold`);
    buf = readFileSync(file);
  } catch (err) {
    if (err instanceof DataSampleError) throw err;
    throw new DataSampleError(`${file}: cannot read the sample: ${errorMessage(err)}`);
  }
  const decoder = new TextDecoder('utf-8', { fatal: true }); // a byte that is not UTF-8 is refused, not turned into U+FFFD
  const records: Record<string, unknown>[] = [];
  const lines: number[] = [];
  let blankLines = 0;
  let line = 0;
  for (let start = 0; start < buf.length; ) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    line++;
    const at = (): string => `${file}: line ${count(line)}`; // only for a refusal: no string built a line
    let text: string;
    try {
      text = decoder.decode(buf.subarray(start, end));
    } catch {
      throw new DataSampleError(`${at()}: not UTF-8 text`);
    }
    start = end + 1;
    if (text.trim() === '') {
      blankLines++;
      continue;
    }
    if (records.length === limits.records) throw new DataSampleError(`${at()}: more than ${count(limits.records)} records, the most a sample may hold`);
    let value: unknown;
    try {
      value = parse(text, null, parseNumber);
    } catch (err) {
      throw new DataSampleError(`${at()}: not JSON (${errorMessage(err)})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataSampleError(`${at()}: not an object but ${kindOf(value)}`);
    records.push(value as Record<string, unknown>);
    lines.push(line);
  }
  if (records.length === 0)
    throw new DataSampleError(`${file}: no records (${line === 0 ? 'an empty file' : `${count(line)} line${line === 1 ? '' : 's'}, all blank`})`);
  return { file, records, lines, blankLines, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** The dataset name of a sample file: its base name without extension, as `[a-z][a-z0-9-]*`, never a built-in's. */
export function datasetNameOf(file: string): string {
  const base = basename(file)
    .replace(/\.(nd)?jsonl?$|\.[^.]*$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = base === '' ? 'sample' : /^[a-z]/.test(base) ? base : `data-${base}`;
  return DATASET_NAMES.includes(name) ? `${name}-sample` : name;
}

/** `my-logs` -> `MyLogs`: the sample's record type name. */
const recordNameOf = (name: string): string => name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** A schema file (`--data-schema`): a record schema in the JSON form. */
export function readSchemaFile(file: string): RecordType {
  let x: unknown;
  try {
    x = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DataSampleError(`${file}: not a JSON schema file: ${errorMessage(err)}`);
  }
  const problems = validateSchema(x);
  if (problems.length > 0) throw new DataSampleError(`${file}: ${problems.join('; ')}`);
  if ((x as { kind: string }).kind !== 'record')
    throw new DataSampleError(`${file}: the top level of a sample's schema is a record (a sample's lines are objects)`);
  return x as RecordType;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const TWO_64 = 2n ** 64n;

/** A value of a sample record that does not fit the schema: its path and what it is. */
class Misfit extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} ${what}`);
  }
}

const expected = (type: Type): string =>
  type.kind === 'record' || type.kind === 'tuple' ? `${type.kind} ${type.name}` : type.kind === 'enum' ? `enum ${type.name}` : typeText(type);
const mismatch = (path: string, v: unknown, type: Type): Misfit =>
  new Misfit(path, `is ${v === undefined ? 'missing' : valueWords(v)}, expected ${expected(type)}`);

/** The category of a parsed JSON value, to pick a union's member. */
function fitsMember(m: Type, v: unknown): boolean {
  switch (m.kind) {
    case 'f64':
    case 'f32':
    case 'int32':
    case 'uint64':
      return typeof v === 'number' || typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'string':
    case 'enum':
    case 'bytes':
      return typeof v === 'string';
    case 'list':
    case 'tuple':
    case 'vector':
      return Array.isArray(v);
    default:
      return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
}

/**
 * A parsed JSON value in the schema's in-memory form (uint64 a BigInt, bytes a Uint8Array read from
 * base64, a vector its typed array, a record an object with the schema's keys in its order and
 * null for an absent optional), or a Misfit naming the path.
 */
function conform(type: Type, v: unknown, path: string): unknown {
  switch (type.kind) {
    case 'f64':
      if (typeof v === 'bigint') return Number(v); // an integer beyond 2^53 where the schema says f64: rounded, as JSON.parse would
      if (typeof v !== 'number') throw mismatch(path, v, type);
      return v;
    case 'f32':
      if (typeof v !== 'number') throw mismatch(path, v, type);
      return Math.fround(v); // the nearest f32, as a Float32Array would hold it
    case 'int32':
      if (typeof v !== 'number' || !(Number.isInteger(v) && (v | 0) === v && !Object.is(v, -0))) throw mismatch(path, v, type);
      return v;
    case 'uint64': {
      const ok = (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n && v < TWO_64);
      if (!ok) throw mismatch(path, v, type);
      return BigInt(v as number | bigint);
    }
    case 'bool':
      if (typeof v !== 'boolean') throw mismatch(path, v, type);
      return v;
    case 'string':
      if (typeof v !== 'string') throw mismatch(path, v, type);
      return v;
    case 'enum':
      if (typeof v !== 'string' || !type.symbols.includes(v))
        throw new Misfit(path, `is ${typeof v === 'string' ? JSON.stringify(v) : valueWords(v)}, expected one of enum ${type.name}`);
      return v;
    case 'bytes':
      if (typeof v !== 'string') throw mismatch(path, v, type);
      if (!BASE64.test(v)) throw new Misfit(path, 'is a string that is not base64, expected bytes (base64)');
      return new Uint8Array(Buffer.from(v, 'base64')); // a copy with its own buffer: Buffer.from may slice a shared pool, which structuredClone would copy whole
    case 'vector': {
      if (!Array.isArray(v) || (type.length !== undefined && v.length !== type.length)) throw mismatch(path, v, type);
      v.forEach((x, i) => {
        const ok =
          typeof x === 'number' &&
          (type.element === 'f64' || type.element === 'f32' || (type.element === 'int32' ? (x | 0) === x : Number.isInteger(x) && x >= 0 && x < 256));
        if (!ok) throw new Misfit(`${path}[${i}]`, `is ${valueWords(x)}, expected ${type.element}`);
      });
      const nums = v as number[];
      return type.element === 'f32'
        ? Float32Array.from(nums)
        : type.element === 'f64'
          ? Float64Array.from(nums)
          : type.element === 'int32'
            ? Int32Array.from(nums)
            : Uint8Array.from(nums);
    }
    case 'optional':
      return v === null || v === undefined ? null : conform(type.of, v, path);
    case 'list':
      if (!Array.isArray(v)) throw mismatch(path, v, type);
      return v.map((x, i) => conform(type.of, x, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== type.fields.length) throw mismatch(path, v, type);
      return type.fields.map((f, i) => conform(f.type, v[i], `${path}[${i}]`));
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw mismatch(path, v, type);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === '__proto__') throw new Misfit(path, 'holds the key "__proto__" (it cannot be a map key)');
        out[k] = conform(type.values, x, `${path}[${JSON.stringify(k)}]`);
      }
      return out;
    }
    case 'union': {
      const m = type.of.find((x) => fitsMember(x, v));
      if (!m) throw mismatch(path, v, type);
      return conform(m, v, path);
    }
    case 'record': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw mismatch(path, v, type);
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let held = 0;
      for (const f of type.fields) {
        if (Object.hasOwn(o, f.name)) held++;
        out[f.name] = conform(f.type, o[f.name], `${path}.${f.name}`);
      }
      if (held < Object.keys(o).length) {
        const extra = Object.keys(o).find((k) => !type.fields.some((f) => f.name === k))!;
        throw new Misfit(`${path}.${extra}`, `is not a field of record ${type.name}`);
      }
      return out;
    }
  }
}

/** Every record in the schema's in-memory form; a record that does not fit is refused naming its line and path. */
export function conformRecords(schema: RecordType, sample: Pick<SampleRead, 'file' | 'records' | 'lines'>): Record<string, unknown>[] {
  return sample.records.map((r, i) => {
    try {
      return conform(schema, r, '') as Record<string, unknown>;
    } catch (err) {
      if (!(err instanceof Misfit)) throw err;
      throw new DataSampleError(`${sample.file}: line ${count(sample.lines[i] ?? i + 1)}: ${err.message}`);
    }
  });
}

export interface SampleOptions {
  /** Paths typed uint64 whatever the sample holds (`--uint64`, repeatable): `id`, `user.id`, `items[].id`, `tags{}`. */
  readonly uint64Paths?: readonly string[];
  /** A schema file (`--data-schema`) that replaces the inference; every record is checked against it. */
  readonly schemaFile?: string;
  /** For tests: smaller limits than SAMPLE_LIMITS. */
  readonly limits?: SampleLimits;
}

/** Where a sample dataset came from (what the report records, and what a child needs to read it again). */
export interface SampleSource {
  readonly kind: 'sample';
  readonly path: string;
  readonly sha256: string;
  readonly sampleRecords: number;
  readonly uint64Paths: readonly string[];
  readonly schemaFile?: string;
}

export interface SampleDataset {
  /** The dataset (bench/data/dataset.ts's interface); `defineDataset` derives its checksum, verification and size. */
  readonly definition: DatasetDefinition;
  readonly schema: RecordType;
  readonly source: SampleSource;
  /** What the inference made of the paths that are not plain (empty with a schema file). */
  readonly notes: readonly string[];
  readonly blankLines: number;
  /** The printed form: the header, the schema, the notes, and what repeating to N means. */
  describe(n?: number): string[];
}

/** Joins `items` with ` · ` into lines of at most `width` characters (an item longer than that gets its own line). */
function wrap(items: readonly string[], width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && line.length + 3 + item.length > width) {
      out.push(line);
      line = '';
    }
    line = line === '' ? item : `${line} · ${item}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * A schema line of describeSchema broken after top-level commas into lines of at most `width`
 * characters, the continuation lines aligned after the opening brace.
 */
export function wrapSchemaLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const open = line.search(/ [{[] /);
  const indent = ' '.repeat(open < 0 ? 2 : open + 3);
  const pieces: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0 && line[i + 1] === ' ') {
      pieces.push(line.slice(from, i + 1));
      from = i + 2;
    }
  }
  pieces.push(line.slice(from));
  const out: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (cur !== '' && cur.length + 1 + p.length > width) {
      out.push(cur);
      cur = indent + p;
    } else cur = cur === '' ? p : `${cur} ${p}`;
  }
  out.push(cur);
  return out;
}

/** What repeating k sample records to N records means, in one or two lines. */
export function repetitionNote(k: number, n: number): string[] {
  if (n <= k) return [`N = ${count(n)}: the first ${count(n)} of the ${count(k)} sample records, no repetition`];
  const copies = Math.floor(n / k);
  const each = n % k === 0 ? `${count(copies)} copies each` : `${count(copies)} or ${count(copies + 1)} copies each`;
  return [
    `records repeated to N = ${count(n)} (${each}): repetition makes the data more compressible and can favour`,
    'formats that deduplicate (msgpackr records, string interning): treat compressed sizes with care',
  ];
}

/**
 * A sample file as a dataset: read, the schema inferred (or read from `schemaFile` and every record
 * checked against it), the records converted to the schema's in-memory form. Its `generate(n, seed)`
 * gives record i = a deep copy of sample record i mod k (the seed does not matter: the sample is the
 * data), so the N records are distinct objects and strings, as N loaded records would be.
 */
export async function sampleDataset(file: string, options: SampleOptions = {}): Promise<SampleDataset> {
  const uint64Paths = options.uint64Paths ?? [];
  if (options.schemaFile !== undefined && uint64Paths.length > 0)
    throw new UsageError(`--uint64 with --data-schema: the schema file ${options.schemaFile} says which fields are uint64`);
  const sample = await readSample(file, options.limits);
  const name = datasetNameOf(file);
  let schema: RecordType;
  let notes: readonly string[] = [];
  if (options.schemaFile !== undefined) schema = readSchemaFile(options.schemaFile);
  else ({ schema, notes } = inferSchema(sample.records, { name: recordNameOf(name), uint64Paths, lines: sample.lines, file }));
  const base = conformRecords(schema, sample);
  const k = base.length;
  const at = (i: number): Record<string, unknown> => structuredClone(base[i % k]!);
  const definition: DatasetDefinition = {
    name,
    description: `${count(k)} records of ${basename(file)}, repeated`,
    schema,
    defaultN: Math.max(k, DEFAULT_SAMPLE_N),
    generate(n) {
      const out = new Array<Record<string, unknown>>(n);
      for (let i = 0; i < n; i++) out[i] = at(i);
      return out;
    },
    *records(n) {
      for (let i = 0; i < n; i++) yield at(i);
    },
  };
  const source: SampleSource = {
    kind: 'sample',
    path: file,
    sha256: sample.sha256,
    sampleRecords: k,
    uint64Paths: [...uint64Paths],
    ...(options.schemaFile !== undefined ? { schemaFile: options.schemaFile } : {}),
  };
  const { blankLines } = sample; // not `sample` in a closure: generate's context would keep every parsed record alive beside `base`
  const describe = (n = definition.defaultN): string[] => {
    const blank = blankLines > 0 ? ` (${count(blankLines)} blank line${blankLines === 1 ? '' : 's'} skipped)` : '';
    const how = options.schemaFile !== undefined ? `schema from ${options.schemaFile}, every record fits` : 'inferred schema';
    return [
      `${file}: ${count(k)} records${blank}, dataset ${name}; ${how}:`,
      ...describeSchema(schema, Number.POSITIVE_INFINITY)
        .flatMap((l) => wrapSchemaLine(l, 114))
        .map((l) => `  ${l}`),
      ...wrap(notes, 116).map((l) => `  ${l}`),
      ...repetitionNote(k, n).map((l) => `  ${l}`),
    ];
  };
  return { definition, schema, source, notes, blankLines, describe };
}
