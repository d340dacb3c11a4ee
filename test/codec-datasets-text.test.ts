/**
 * The text family on datasets other than the tuples (issue 24, design §5.3, §5.5, §5.6, group b4):
 * text, text-stream and text-to-columnar carry every flat dataset (logs, mesh, a flat schema of every
 * scalar with strings that need RFC 4180 quoting), judged by the dataset's own verify(); exact where
 * §5.3 says exact, lossy at the path where it says lossy (−0, a lone surrogate); n/a naming the first
 * field that has no CSV form (documents, blobs, the stub). The tuples' own
 * functions and file: test/codec-tuples-files.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUnsupported } from '../bench/codecs/bind.js';
import { getCodec } from '../bench/codecs/index.js';
import { scanRecords } from '../bench/codecs/mapping/csv.js';
import type { ColumnData } from '../bench/data/columns.js';
import { type Dataset, type DatasetDefinition, defineDataset } from '../bench/data/dataset.js';
import { blobsDefinition } from '../bench/data/datasets/blobs.js';
import { documentsDefinition } from '../bench/data/datasets/documents.js';
import { logsDefinition } from '../bench/data/datasets/logs.js';
import { meshDefinition } from '../bench/data/datasets/mesh.js';
import { createRng, nextFloat, nextUint64, type Rng } from '../bench/data/rng.js';
import { type Infer, type RecordSchema, schemaFingerprint, t } from '../bench/data/schema.js';
import type { DatasetCodec, LoadedData, Unsupported } from '../bench/types.js';
import { stubDefinition } from './helpers/stub-dataset.js';

const CODECS = ['text', 'text-stream', 'text-to-columnar'];
const ROWS = ['text', 'text-stream'];
const SEED = 7;

const dir = mkdtempSync(join(tmpdir(), 'footprint-codec-datasets-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ref = (ds: { name: string; schema: RecordSchema }) => ({ name: ds.name, schema: ds.schema, fingerprint: schemaFingerprint(ds.schema) });
function bind(name: string, ds: Dataset): DatasetCodec | Unsupported {
  return getCodec(name).forDataset!(ref(ds));
}

async function roundTrip(name: string, ds: Dataset, n: number): Promise<{ loaded: LoadedData; file: string }> {
  const bound = bind(name, ds);
  if (isUnsupported(bound)) throw new Error(`${name} cannot carry ${ds.name}: ${bound.unsupported} (${bound.path})`);
  await bound.init?.();
  const file = join(dir, `${name}-${ds.name}-${n}.csv`);
  await bound.dump(ds.generate(n, SEED) as unknown[], file);
  return { loaded: await bound.load(file), file };
}

const judge = (ds: Dataset, loaded: LoadedData, n: number) => ds.verify(loaded, n, SEED, () => ds.expectedChecksum(n, SEED));

/** A flat schema of every scalar the text family carries, with strings and symbols that need quoting. */
const Mood = t.enum('Mood', ['calm', 'a,b', 'say "hi"', ' padded ', 'naïve'] as const);
const FLAT_SCHEMA = t.record('Flat', {
  id: t.int32(),
  name: t.string(),
  score: t.f64(),
  ratio: t.f32(),
  big: t.uint64(),
  ok: t.bool(),
  mood: Mood,
  maybe: t.optional(t.f64()),
  flag: t.optional(t.bool()),
  level: t.optional(Mood),
  count: t.optional(t.int32()),
  at: t.tuple('At', [t.field('x', t.f64()), t.field('y', t.f32())] as const),
  inner: t.record('Inner', { label: t.string(), n: t.int32(), deep: t.record('Deep', { u: t.uint64() }) }),
  pos: t.vector('f32', 3),
  w: t.vector('f64', 2),
  ids: t.vector('int32', 2),
  rgb: t.vector('uint8', 3),
});
type Flat = Infer<typeof FLAT_SCHEMA>;

/** Strings a CSV writer must quote (comma, quote, LF, CR, BOM, edge spaces) and ones it must not (non-ASCII, astral, NUL, empty). */
const TEXTS = [
  '',
  'plain',
  'comma, inside',
  'a "quoted" word',
  '"',
  '""',
  'line\nbreak',
  'two\n\nbreaks\n',
  'cr\r\nlf',
  ' leading',
  'trailing ',
  '\ufeffbom',
  'naïve café',
  '日本語',
  '😀 emoji, "and" more',
  'a\u0000b',
  ',',
  '\n',
];

const below = (rng: Rng, n: number): number => Math.floor((rng() * n) / 4294967296);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[below(rng, xs.length)]!;

function flatRecord(rng: Rng, long: boolean): Flat {
  const text = (): string => (long ? `${pick(rng, TEXTS)}${'x'.repeat(below(rng, 200))}\n${pick(rng, TEXTS)}` : pick(rng, TEXTS));
  return {
    id: rng() | 0,
    name: text(),
    score: nextFloat(rng) * 1e6 - 5e5,
    ratio: Math.fround(nextFloat(rng) - 0.5),
    big: nextUint64(rng),
    ok: (rng() & 1) === 1,
    mood: pick(rng, Mood.symbols),
    maybe: rng() & 1 ? nextFloat(rng) : null,
    flag: rng() & 1 ? (rng() & 1) === 1 : null,
    level: rng() & 1 ? pick(rng, Mood.symbols) : null,
    count: rng() & 1 ? rng() | 0 : null,
    at: [-nextFloat(rng), Math.fround(nextFloat(rng))],
    inner: { label: text(), n: rng() | 0, deep: { u: nextUint64(rng) } },
    pos: Float32Array.of(Math.fround(nextFloat(rng)), -1.5, Math.fround(nextFloat(rng) * 1e30)),
    w: Float64Array.of(nextFloat(rng), -nextFloat(rng) * 1e-300),
    ids: Int32Array.of(rng() | 0, -(2 ** 31)),
    rgb: Uint8Array.of(rng() & 0xff, 0, 255),
  };
}

function flatDefinition(name: string, opts: { long?: boolean; edge?: (r: Flat) => void } = {}): DatasetDefinition<typeof FLAT_SCHEMA> {
  return {
    name,
    description: 'every scalar the text family carries, strings that need quoting',
    schema: FLAT_SCHEMA,
    defaultN: 100,
    generate(n, seed) {
      const rng = createRng(seed);
      const out = Array.from({ length: n }, () => flatRecord(rng, opts.long ?? false));
      if (opts.edge && n > 1) opts.edge(out[1]!);
      return out;
    },
  };
}

/** A dataset of any schema (the tests judge records as `unknown`). */
const dataset = <S extends RecordSchema>(def: DatasetDefinition<S>): Dataset => defineDataset(def as unknown as DatasetDefinition);
const logs = dataset(logsDefinition);
const mesh = dataset(meshDefinition);
const flat = dataset(flatDefinition('flat'));

describe('the text family carries every flat dataset, verified by the dataset', () => {
  for (const ds of [logs, mesh, flat]) {
    it.each(CODECS)(`${ds.name}: %s round-trips exactly`, async (name) => {
      const { loaded } = await roundTrip(name, ds, 60);
      expect(judge(ds, loaded, 60)).toEqual(ds.name === 'flat' ? { verified: true, uint64: 'exact' } : { verified: true });
    });
  }

  it.each(ROWS)('%s: the loaded rows are the in-memory form (named fields, nested records, typed vectors, the schema own symbols)', async (name) => {
    const { loaded } = await roundTrip(name, flat, 40);
    const rows = loaded as unknown as Flat[];
    const expected = flat.generate(40, SEED) as Flat[];
    expect(rows).toEqual(expected);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(FLAT_SCHEMA.fields.map((f) => f.name));
      expect(r.pos).toBeInstanceOf(Float32Array);
      expect(r.w).toBeInstanceOf(Float64Array);
      expect(r.ids).toBeInstanceOf(Int32Array);
      expect(r.rgb).toBeInstanceOf(Uint8Array);
      expect(Array.isArray(r.at)).toBe(true);
      expect(typeof r.big).toBe('bigint');
    }
    const meshRows = (await roundTrip(name, mesh, 3)).loaded as unknown as Record<string, unknown>[];
    expect(meshRows[2]!.normal).toBeInstanceOf(Float32Array);
  });

  it('text-to-columnar: columns in the schema shape (strings as UTF-8 + offsets, a fixed vector by stride, nulls in a bitmap)', async () => {
    const { loaded } = await roundTrip('text-to-columnar', flat, 40);
    const data = loaded as unknown as { kind: string; n: number; batches: { length: number; fields: ColumnData[] }[] };
    expect(data.kind).toBe('columnar');
    expect(data.n).toBe(40);
    const f = Object.fromEntries(FLAT_SCHEMA.fields.map((x, i) => [x.name, data.batches[0]!.fields[i]!]));
    expect(f.name!.valueOffsets).toBeInstanceOf(Int32Array);
    expect(f.name!.values).toBeInstanceOf(Uint8Array);
    expect(f.big!.values).toBeInstanceOf(BigUint64Array);
    expect(f.maybe!.nullBitmap).toBeInstanceOf(Uint8Array);
    expect(f.pos!.stride).toBe(3);
    expect(f.pos!.children![0]!.values).toBeInstanceOf(Float32Array);
    expect(f.inner!.children).toHaveLength(3);
    expect(flat.checksum(loaded)).toBe(flat.expectedChecksum(40, SEED));
  });

  it('the three codecs write the same bytes (Papa.unparse and the line writer quote alike), one record per record', async () => {
    const files = await Promise.all(CODECS.map(async (name) => readFileSync((await roundTrip(name, flat, 80)).file)));
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]!.equals(files[0]!)).toBe(true);
    const text = files[0]!.toString('utf8');
    expect(text).toContain('"a ""quoted"" word"');
    expect(text).toContain('"line\nbreak"');
    expect(text.split('\n').length - 1).toBeGreaterThan(80); // LFs inside quoted fields…
    const path = join(dir, 'count.csv');
    writeFileSync(path, files[0]!);
    expect(await scanRecords(path, null)).toBe(80); // …but 80 records
  });

  it('mesh: 12 columns v0[0] … normal[2], no header', async () => {
    const { file } = await roundTrip('text', mesh, 2);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const first = (mesh.generate(2, SEED) as Record<string, Float32Array>[])[0]!;
    expect(lines[0]).toBe([first.v0!, first.v1!, first.v2!, first.normal!].flatMap((v) => [...v].map(String)).join(','));
  });

  it.each(CODECS)('%s: quoted fields with LFs across 64 KiB chunk boundaries, an empty dataset and one record', async (name) => {
    const long = dataset(flatDefinition('flat-long', { long: true }));
    const { loaded, file } = await roundTrip(name, long, 1500);
    expect(readFileSync(file).length).toBeGreaterThan(3 * 65536);
    expect(await scanRecords(file, null)).toBe(1500); // the counting pass, across chunks
    expect(judge(long, loaded, 1500).verified).toBe(true);
    for (const n of [0, 1]) expect(judge(flat, (await roundTrip(name, flat, n)).loaded, n).verified).toBe(true);
  });
});

describe('lossy exactly where design §5.3 says, exact elsewhere', () => {
  const EDGES: { name: string; path: string; kind: string; edge: (r: Flat) => void }[] = [
    { name: 'neg-zero', path: '[1].score', kind: 'f64', edge: (r) => (r.score = -0) },
    { name: 'vector-neg-zero', path: '[1].pos[1]', kind: 'vector', edge: (r) => (r.pos[1] = -0) },
    { name: 'lone-surrogate', path: '[1].inner.label', kind: 'string', edge: (r) => (r.inner.label = 'x\ud800y') },
    {
      name: 'nan-infinity',
      path: '',
      kind: '',
      edge: (r) => Object.assign(r, { score: Number.NaN, maybe: Number.POSITIVE_INFINITY, ratio: Number.NEGATIVE_INFINITY }),
    },
    {
      name: 'extremes',
      path: '',
      kind: '',
      edge: (r) => Object.assign(r, { big: 2n ** 64n - 1n, id: -(2 ** 31), ratio: 2 ** -149, score: 5e-324, count: 2 ** 31 - 1 }),
    },
    { name: 'surrogate-pair', path: '', kind: '', edge: (r) => (r.name = '😀') },
  ];
  for (const e of EDGES) {
    const ds = dataset(flatDefinition(`flat-${e.name}`, { edge: e.edge }));
    it.each(CODECS)(`${e.name}: %s`, async (name) => {
      const { loaded } = await roundTrip(name, ds, 3);
      const v = judge(ds, loaded, 3);
      if (e.path === '') {
        expect(v.verified, v.error).toBe(true);
        return;
      }
      expect(v.verified).toBe(false);
      const at = ds.diff(loaded, 3, SEED).at;
      expect(at?.path).toBe(e.path);
      expect(at?.kind).toBe(e.kind);
    });
  }
});

describe('n/a: the first field in declaration order that has no CSV form', () => {
  const na = (name: string, def: { name: string; schema: RecordSchema }) => getCodec(name).forDataset!(ref(def));

  it.each(CODECS)('%s: documents at spawnDimension, blobs at payload, the stub at payload', (name) => {
    expect(na(name, documentsDefinition)).toEqual({
      unsupported: 'an optional string has no CSV form (an empty field would be both null and the empty string)',
      path: 'spawnDimension',
    });
    expect(na(name, blobsDefinition)).toEqual({ unsupported: 'bytes have no CSV form', path: 'payload' });
    expect(na(name, stubDefinition)).toEqual({ unsupported: 'bytes have no CSV form', path: 'payload' });
  });

  it.each(CODECS)('%s: lists, maps, unions, optional records and variable vectors, by path; a lone string field', (name) => {
    const schema = (fields: Record<string, Parameters<typeof t.optional>[0]>) => ({ name: 'odd', schema: t.record('Odd', { a: t.int32(), ...fields }) });
    const path = (fields: Record<string, Parameters<typeof t.optional>[0]>) => (na(name, schema(fields)) as Unsupported).path;
    expect(path({ in: t.record('In', { ok: t.f64(), tags: t.list(t.string()) }) })).toBe('in.tags');
    expect(path({ m: t.map(t.int32()) })).toBe('m');
    expect(path({ u: t.union(t.f64(), t.string()) })).toBe('u');
    expect(path({ o: t.optional(t.record('O', { x: t.f64() })) })).toBe('o');
    expect(path({ tu: t.tuple('T', [t.field('x', t.f64()), t.field('v', t.vector('f32'))] as const) })).toBe('tu.v');
    expect(na(name, { name: 'one', schema: t.record('One', { s: t.string() }) })).toEqual({
      unsupported: 'a record of one field that may be empty has no CSV form (an empty field is a blank line, which CSV parsers skip)',
      path: 's',
    });
    expect(isUnsupported(na(name, { name: 'one', schema: t.record('One', { x: t.f64() }) }))).toBe(false);
  });
});

describe('the descriptions', () => {
  it.each(CODECS)('%s: says how other datasets are carried, and what has no CSV form', (name) => {
    expect(getCodec(name).description).toMatch(/Other datasets: flat ones only, .*uint64 in decimal.*lone surrogate.*have no CSV form \(n\/a\)/);
  });
});

describe('bad input: one line naming the record', () => {
  it.each(CODECS)('%s: an unclosed quote, a wrong field count', async (name) => {
    const ds = dataset({ ...logsDefinition, name: 'logs-bad' });
    const bound = bind(name, ds) as DatasetCodec;
    const file = join(dir, `${name}-bad.csv`);
    writeFileSync(file, '1.2.3.4,-,bob,"unclosed,GET / HTTP/1.0,200,5\n');
    await expect(bound.load(file)).rejects.toThrow(name);
    writeFileSync(file, '1.2.3.4,-,bob,date,GET / HTTP/1.0,200\n');
    await expect(bound.load(file)).rejects.toThrow(/record 1 has 6 fields, not 7/);
    writeFileSync(file, '1.2.3.4,-,bob,date,GET / HTTP/1.0,200,x5\n');
    await expect(bound.load(file)).rejects.toThrow(/record 1: size: not/);
  });
});
