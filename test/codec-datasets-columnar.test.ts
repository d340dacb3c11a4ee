/**
 * columnar on datasets other than the tuples (issue 24, design §5.4, group b7): format version 2,
 * a typed array per node of the schema (bench/codecs/mapping/columnar.ts), loaded as the columns
 * bench/data/columns.ts hashes. Round trips are judged by the dataset's own verify(); the tuples keep
 * version 1 byte for byte; a union is n/a naming its path; a file of another schema, a truncated or
 * inconsistent file is refused with a CodecError; the dump streams through one 64 KiB chunk.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUnsupported } from '../bench/codecs/bind.js';
import { COLUMNAR_MAGIC, columnar } from '../bench/codecs/columnar.js';
import { CodecError } from '../bench/codecs/errors.js';
import { columnarMapping } from '../bench/codecs/mapping/columnar.js';
import { CHUNK_BYTES } from '../bench/codecs/stream-util.js';
import { type ColumnBatch, type ColumnData, loadedRows } from '../bench/data/columns.js';
import { type Dataset, type DatasetDefinition, defineDataset } from '../bench/data/dataset.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { getDataset } from '../bench/data/registry.js';
import { createRng, type Rng } from '../bench/data/rng.js';
import { type RecordSchema, type RecordType, t, type Type } from '../bench/data/schema.js';
import type { DatasetCodec, LoadedData } from '../bench/types.js';
import { STUB_SCHEMA, type StubRecord, stubDefinition, withEdge } from './helpers/stub-dataset.js';

const SEED = 7;
const dir = mkdtempSync(join(tmpdir(), 'footprint-columnar-v2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bind<S extends RecordSchema>(ds: Dataset<S>): DatasetCodec {
  const b = columnar.forDataset!({ name: ds.info.name, schema: ds.info.schema, fingerprint: ds.info.fingerprint });
  if (isUnsupported(b)) throw new Error(`columnar cannot carry ${ds.name}: ${b.unsupported} (${b.path})`);
  return b;
}

async function roundTrip<S extends RecordSchema>(ds: Dataset<S>, n: number): Promise<{ loaded: LoadedData; file: string }> {
  const bound = bind(ds);
  await bound.init?.();
  const file = join(dir, `${ds.name}-${n}.cols`);
  await bound.dump(ds.generate(n, SEED) as unknown[], file);
  return { loaded: await bound.load(file), file };
}

const judge = <S extends RecordSchema>(ds: Dataset<S>, loaded: LoadedData, n: number) => ds.verify(loaded, n, SEED, () => ds.expectedChecksum(n, SEED));

const batchOf = (loaded: LoadedData): ColumnBatch => {
  const l = loaded as unknown as { kind: string; batches: ColumnBatch[] };
  expect(l.kind).toBe('columnar');
  expect(l.batches).toHaveLength(1);
  return l.batches[0]!;
};

/** Every typed array of a column tree, each expected to own its whole ArrayBuffer (read straight into it). */
function arraysOf(col: ColumnData): ArrayBufferView[] {
  const own = [col.values, col.valueOffsets, col.nullBitmap].filter((a) => ArrayBuffer.isView(a)) as ArrayBufferView[];
  return [...own, ...(col.children ?? []).flatMap(arraysOf)];
}

// ---- the stub without its unions (the unions themselves are n/a) ----
const UNIONS = ['value', 'code', 'blob'];
const NO_UNION_SCHEMA = t.record(
  'StubNoUnion',
  Object.fromEntries(STUB_SCHEMA.fields.filter((f) => !UNIONS.includes(f.name)).map((f) => [f.name, f.type])) as Record<string, Type>,
) as RecordType;
const dropUnions = (def: DatasetDefinition<typeof STUB_SCHEMA>, name: string): DatasetDefinition<RecordType> => ({
  name,
  description: 'the stub without its union fields',
  schema: NO_UNION_SCHEMA,
  defaultN: 100,
  generate(n, seed) {
    const rows = def.generate(n, seed) as Record<string, unknown>[];
    for (const r of rows) for (const u of UNIONS) delete r[u];
    return rows as never;
  },
});
const stubNoUnion = defineDataset(dropUnions(stubDefinition, 'stub-no-union'));

describe('columnar v2: the stub dataset (every kind but union)', () => {
  it('is n/a on the stub itself, naming its first union; a nested union by its path', () => {
    const stub = defineDataset(stubDefinition);
    expect(columnar.forDataset!({ name: 'stub', schema: stub.info.schema, fingerprint: stub.info.fingerprint })).toEqual({
      unsupported: 'the columnar format has no layout for a union',
      path: 'value',
    });
    const nested = t.record('R', { a: t.int32(), xs: t.optional(t.list(t.record('S', { m: t.map(t.union(t.string(), t.f64())) }))) });
    expect(columnar.forDataset!({ name: 'odd', schema: nested, fingerprint: 'x' })).toMatchObject({ path: 'xs?[].m{}' });
  });

  it('round-trips exactly, as typed arrays each read into its own allocation', async () => {
    const n = 60;
    const { loaded, file } = await roundTrip(stubNoUnion, n);
    expect(judge(stubNoUnion, loaded, n)).toEqual({ verified: true, uint64: 'exact' });
    const head = readFileSync(file);
    expect([head.subarray(0, 8).equals(COLUMNAR_MAGIC), head.readUInt32LE(8)]).toEqual([true, 2]);
    const b = batchOf(loaded);
    const field = (name: string) => b.fields[NO_UNION_SCHEMA.fields.findIndex((f) => f.name === name)]!;
    expect(field('id').values).toBeInstanceOf(Int32Array);
    expect(field('score').values).toBeInstanceOf(Float64Array);
    expect(field('ratio').values).toBeInstanceOf(Float32Array);
    expect(field('big').values).toBeInstanceOf(BigUint64Array);
    expect(field('ok').values).toBeInstanceOf(Uint8Array);
    expect(field('kind').values).toBeInstanceOf(Uint8Array);
    expect(field('label').valueOffsets).toBeInstanceOf(Int32Array);
    expect(field('note').nullBitmap).toBeInstanceOf(Uint8Array);
    expect(field('pos').stride).toBe(3);
    expect(field('pos').children![0]!.values).toBeInstanceOf(Float32Array);
    for (const a of b.fields.flatMap(arraysOf)) expect(a.byteLength).toBe(a.buffer.byteLength);
    // the rows built from the columns (the diff's slow path) are the generator's records, in the in-memory form
    expect([...loadedRows(NO_UNION_SCHEMA, loaded)]).toEqual(stubNoUnion.generate(n, SEED));
  });

  it('an empty dataset and a single record round-trip', async () => {
    for (const n of [0, 1]) {
      const { loaded } = await roundTrip(stubNoUnion, n);
      expect(judge(stubNoUnion, loaded, n).verified).toBe(true);
    }
  });

  const EDGES: { name: string; edge: (r: StubRecord) => void; lossyAt?: string }[] = [
    { name: 'neg-zero', edge: (r) => (r.score = -0) },
    { name: 'nan', edge: (r) => (r.score = Number.NaN) },
    { name: 'infinity', edge: (r) => (r.score = Number.NEGATIVE_INFINITY) },
    { name: 'uint64-max', edge: (r) => (r.big = 2n ** 64n - 1n) },
    { name: 'vector-neg-zero', edge: (r) => (r.pos[1] = -0) },
    { name: 'lone-surrogate', edge: (r) => (r.label = '\ud800x\udc00'), lossyAt: '[1].label' }, // UTF-8: U+FFFD
    {
      name: 'empties',
      edge: (r) => Object.assign(r, { label: '', payload: new Uint8Array(0), items: [], attrs: {}, weights: new Float64Array(0), mask: new Uint8Array(0) }),
    },
    {
      name: 'int-extremes',
      edge: (r) => {
        r.id = -(2 ** 31);
        r.counts = Int32Array.of(2 ** 31 - 1, -(2 ** 31), 2 ** 30);
        r.ratio = 2 ** -149;
      },
    },
    { name: 'long-text', edge: (r) => (r.label = `${'é😀'.repeat(40_000)}x`) }, // 280 KB of UTF-8: written in pieces
  ];
  it.each(EDGES)('edge value $name: exact, or lossy at its path', async (e) => {
    const ds = defineDataset(dropUnions(withEdge(`stub-${e.name}`, e.edge), `stub-${e.name}`));
    const { loaded } = await roundTrip(ds, 3);
    const v = judge(ds, loaded, 3);
    if (e.lossyAt) {
      expect(v.verified).toBe(false);
      expect(ds.diff(loaded, 3, SEED).at?.path).toBe(e.lossyAt);
    } else expect(v.verified, v.error).toBe(true);
  });
});

// ---- optionals around every container, and the Uint16 enum ----
const MANY = Array.from({ length: 300 }, (_, i) => `s${i}`);
const SPARSE_SCHEMA = t.record('Sparse', {
  a: t.optional(t.list(t.f64())),
  b: t.list(t.optional(t.int32())),
  c: t.map(t.optional(t.string())),
  d: t.optional(t.vector('f32', 2)),
  e: t.optional(t.map(t.list(t.bool()))),
  f: t.enum('Many', MANY),
  g: t.optional(t.enum('Few', ['x', 'y'])),
  h: t.optional(t.uint64()),
  i: t.optional(t.record('In', { s: t.string(), v: t.vector('uint8'), t: t.tuple('T', [t.field('q', t.bool()), t.field('w', t.optional(t.bytes()))]) })),
});
const coin = (rng: Rng): boolean => (rng() & 1) === 1;
const sparse = defineDataset({
  name: 'sparse',
  description: 'optionals around lists, maps, vectors, records',
  schema: SPARSE_SCHEMA,
  defaultN: 50,
  generate(n, seed) {
    const rng = createRng(seed);
    return Array.from({ length: n }, () => ({
      a: coin(rng) ? Array.from({ length: rng() % 3 }, () => rng() / 7) : null,
      b: Array.from({ length: rng() % 4 }, () => (coin(rng) ? rng() | 0 : null)),
      c: Object.fromEntries(Array.from({ length: rng() % 3 }, (_, k) => [`k${k}é`, coin(rng) ? `v${rng() % 9}` : null])),
      d: coin(rng) ? Float32Array.of(0.5, -2) : null,
      e: coin(rng) ? { z: [true, false], a: [] } : null,
      f: MANY[rng() % 300]!,
      g: coin(rng) ? 'y' : null,
      h: coin(rng) ? BigInt(rng()) << 32n : null,
      i: coin(rng) ? { s: 'ß'.repeat(rng() % 5), v: Uint8Array.of(rng() & 255), t: [coin(rng), coin(rng) ? Uint8Array.of(1, 2) : null] } : null,
    })) as never;
  },
});

describe('columnar v2: absent slots and wide enums', () => {
  it('optional lists, maps, vectors and records (sparse children) and a 300-symbol enum (Uint16) round-trip exactly', async () => {
    const n = 200;
    const { loaded } = await roundTrip(sparse, n);
    expect(judge(sparse, loaded, n)).toEqual({ verified: true, uint64: 'exact' });
    expect(batchOf(loaded).fields[5]!.values).toBeInstanceOf(Uint16Array);
  });

  it('a dump refuses a value that does not fit, naming the field', async () => {
    const rows = sparse.generate(3, SEED) as Record<string, unknown>[];
    rows[2]!.f = 'nope';
    await expect(bind(sparse).dump(rows, join(dir, 'misfit.cols'))).rejects.toThrow(/columnar: .*misfit\.cols: TypeError: f: "nope" is not a symbol of Many/);
    const rows2 = sparse.generate(3, SEED) as Record<string, unknown>[];
    rows2[1]!.b = [1, 'x'];
    await expect(bind(sparse).dump(rows2, join(dir, 'misfit.cols'))).rejects.toThrow(/b\[\]\?: "x" is not a int32/);
  });
});

describe('columnar v2: the built-in datasets, verified by their own verify', () => {
  const SMALL = { logs: 300, mesh: 300, documents: 25, blobs: 20 } as const;
  it.each(Object.entries(SMALL))('%s at N=%i', async (name, n) => {
    const ds = await getDataset(name);
    const { loaded } = await roundTrip(ds, n);
    const v = judge(ds, loaded, n);
    expect(v.verified, v.error).toBe(true);
    expect(ds.count(loaded)).toBe(n);
  });

  it("the dump leaves the records as they were: no vector's elements moved off the V8 heap", async () => {
    // reading a small typed array's .buffer gives it a backing store of its own: arrayBuffers would grow by 12 B a vector
    const ds = await getDataset('mesh');
    const rows = ds.generate(20_000, SEED);
    const before = process.memoryUsage().arrayBuffers;
    await bind(ds).dump(rows as unknown[], join(dir, 'mesh-untouched.cols'));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(200_000); // 80,000 vectors × 12 B = 960,000 B if they had moved
  });

  it("tuples keep format version 1, byte for byte the codec's own file", async () => {
    const ds = await getDataset('tuples');
    const rows = generateTuples(200, SEED);
    const own = join(dir, 'own.cols');
    const bound = join(dir, 'bound.cols');
    await columnar.dump(rows, own);
    await bind(ds).dump(rows, bound);
    expect(readFileSync(bound).equals(readFileSync(own))).toBe(true);
    expect(readFileSync(bound).readUInt32LE(8)).toBe(1);
    expect(ds.checksum(await bind(ds).load(bound))).toBe(ds.checksum(rows as unknown as LoadedData));
    // a version 2 file is not the tuples'
    const other = (await roundTrip(stubNoUnion, 2)).file;
    await expect(bind(ds).load(other)).rejects.toThrow(/unsupported format version 2 \(the tuples are read as version 1; version 2 holds other datasets\)/);
  });
});

describe('columnar v2 refuses a file it cannot read, with a CodecError', () => {
  const n = 40;
  let file = '';
  let bytes = Buffer.alloc(0);
  const refused = async <S extends RecordSchema>(ds: Dataset<S>, path: string, pattern: RegExp): Promise<void> => {
    const err = await bind(ds)
      .load(path)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(CodecError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).toContain(path);
  };
  /** A copy of the file changed by `change`: in place, or the buffer it returns. */
  const corrupt = (name: string, change: (b: Buffer) => Buffer | undefined): string => {
    const p = join(dir, name);
    const copy = Buffer.from(bytes);
    writeFileSync(p, change(copy) ?? copy);
    return p;
  };

  it('a file written for another schema (its fingerprint differs)', async () => {
    file = (await roundTrip(stubNoUnion, n)).file;
    bytes = readFileSync(file);
    await refused(await getDataset('logs'), file, /written for another schema: its fingerprint [0-9a-f]{32}, this dataset's \(Log\) [0-9a-f]{32}/);
    // the same name with another schema is another dataset too
    const renamed: DatasetDefinition<RecordType> = {
      ...dropUnions(stubDefinition, 'stub-no-union'),
      schema: t.record('StubNoUnion', { id: t.int32() }) as unknown as RecordType,
    };
    await refused(defineDataset(renamed), file, /written for another schema/);
  });

  it('a truncated file, cut anywhere (header, directory, a buffer, the last byte)', async () => {
    const header = bytes.readUInt32LE(12);
    for (const cut of [0, 10, 63, 64, header - 1, header + 3, bytes.length >> 1, bytes.length - 1]) {
      await refused(
        stubNoUnion,
        corrupt(`cut-${cut}.cols`, (b) => b.subarray(0, cut)),
        /truncated/,
      );
    }
    await refused(
      stubNoUnion,
      corrupt('longer.cols', (b) => Buffer.concat([b, Buffer.alloc(8)])),
      /size mismatch: file is \d+ bytes, header says \d+/,
    );
  });

  it('a header, directory or offsets that disagree with the schema', async () => {
    await refused(
      stubNoUnion,
      corrupt('magic.cols', (b) => b.fill(0, 0, 8)),
      /bad magic/,
    );
    await refused(
      stubNoUnion,
      corrupt('v1.cols', (b) => void b.writeUInt32LE(1, 8)),
      /version 1 holds the tuples only/,
    );
    await refused(
      stubNoUnion,
      corrupt('v3.cols', (b) => void b.writeUInt32LE(3, 8)),
      /unsupported format version 3/,
    );
    // the first buffer (id: Int32Array) said to be 8 bytes shorter
    await refused(
      stubNoUnion,
      corrupt('dir.cols', (b) => void b.writeBigUInt64LE(b.readBigUInt64LE(72) - 8n, 72)),
      /id: Int32Array: the directory says 152 bytes, the schema needs 160 \(40 × Int32Array\)/,
    );
    await refused(
      stubNoUnion,
      corrupt('overlap.cols', (b) => void b.writeBigUInt64LE(b.readBigUInt64LE(80) - 8n, 80)),
      /directory entry 1 .*score/,
    );
    // label's offsets (a buffer of N + 1 Int32): one of them made to go backwards
    const mapping = columnarMapping(NO_UNION_SCHEMA);
    const i = mapping.bufferNames.indexOf('label: offsets');
    const at = Number(bytes.readBigUInt64LE(64 + 16 * i));
    await refused(
      stubNoUnion,
      corrupt('offsets.cols', (b) => void b.writeInt32LE(-5, at + 4 * 7)),
      /label: offsets: offset 7 \(-5\) is below offset 6/,
    );
    await refused(
      stubNoUnion,
      corrupt('first.cols', (b) => void b.writeInt32LE(3, at)),
      /label: offsets: the first offset is 3, not 0/,
    );
  });
});

describe('columnar v2 dump streams: never more than one 64 KiB chunk ahead of the file', () => {
  it('when a record is read for a buffer, the file already holds every byte due before it, less one chunk', async () => {
    // x: Float64 (8 B a record), name: offsets (4 B) then UTF-8 (10 B): seen from outside, through the codec's own dump
    const schema = t.record('Wide', { x: t.f64(), name: t.string() });
    const n = 60_000;
    const ds = defineDataset({
      name: 'wide',
      description: 'fixed-width records',
      schema,
      defaultN: n,
      generate: (count) => Array.from({ length: count }, (_, i) => ({ x: i / 3, name: `r${String(i).padStart(9, '0')}` })) as never,
    });
    const rows = ds.generate(n, SEED) as unknown[];
    const path = join(dir, 'wide.cols');
    const seen: { pass: number; row: number; size: number }[] = [];
    let pass = -1;
    const watched = new Proxy(rows, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) {
          const row = Number(key);
          if (row === 0) pass++;
          if (row % 1000 === 0) {
            let size = 0;
            try {
              size = statSync(path).size;
            } catch {
              // not created yet
            }
            seen.push({ pass, row, size });
          }
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await bind(ds).dump(watched, path);
    const file = readFileSync(path);
    const dirAt = (i: number): number => Number(file.readBigUInt64LE(64 + 16 * i));
    const due = [(row: number) => dirAt(0) + 8 * row, (row: number) => dirAt(1) + 4 + 4 * row, (row: number) => dirAt(2) + 10 * row];
    expect(pass).toBe(2); // one pass per buffer, no pass to measure first
    expect(seen).toHaveLength(3 * (n / 1000));
    for (const s of seen) {
      const d = due[s.pass]!(s.row);
      expect(d - s.size, `pass ${s.pass}, row ${s.row}`).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(s.size).toBeLessThanOrEqual(d);
    }
    expect(judge(ds, await bind(ds).load(path), n).verified).toBe(true);
  });
});
