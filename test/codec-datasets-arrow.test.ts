/**
 * The Arrow codecs on datasets other than the tuples (issue 24, design §5.2, §5.3, §5.6, group b7):
 * arrow, arrow-stream and arrow-rows round-trip the stub dataset of every type kind (but the union,
 * which is n/a naming its path: §5.7) and each built-in dataset at small N, judged by the dataset's
 * own verify(); arrow and arrow-stream return the lazy Arrow form, hashed from its columns, arrow-rows
 * the records in their in-memory form; lossy exactly where §5.3 says (a lone surrogate). The tuples'
 * own dump and load: test/codec-tuples-files.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowLib } from '../bench/codecs/arrow.js';
import { ARROW_BATCH_ROWS } from '../bench/codecs/arrow-stream.js';
import { isUnsupported, unsupportedText } from '../bench/codecs/bind.js';
import { getCodec } from '../bench/codecs/index.js';
import { arrowMapping, batchRowsFor } from '../bench/codecs/mapping/arrow.js';
import { loadedReturns } from '../bench/codecs/returns.js';
import { type Dataset, type DatasetDefinition, defineDataset } from '../bench/data/dataset.js';
import { getDefinition } from '../bench/data/registry.js';
import { type RecordSchema, type RecordType, t } from '../bench/data/schema.js';
import { intrinsicBytes } from '../bench/data/size.js';
import type { DatasetCodec, Unsupported } from '../bench/types.js';
import { codecRoundTrip } from './helpers/codec-round-trip.js';
import { STUB_EDGES, STUB_SCHEMA, type StubEdge, type StubRecord, stubDefinition, withEdge } from './helpers/stub-dataset.js';

const CODECS = ['arrow', 'arrow-stream', 'arrow-rows'];
const LAZY = ['arrow', 'arrow-stream'];
const N = 60;
const SEED = 7;

const dir = mkdtempSync(join(tmpdir(), 'footprint-codec-datasets-arrow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { bind, roundTrip, judge } = codecRoundTrip(dir, SEED, N);

/** The stub's union fields: Arrow has no mapping for them. */
const UNIONS = ['value', 'code', 'blob'];
const NO_UNION_SCHEMA: RecordType = { ...STUB_SCHEMA, name: 'StubNoUnion', fields: STUB_SCHEMA.fields.filter((f) => !UNIONS.includes(f.name)) };
type Plain = Omit<StubRecord, 'value' | 'code' | 'blob'>;
/** A stub definition (or withEdge's) without its union fields. */
function noUnion(def: DatasetDefinition<typeof STUB_SCHEMA>): DatasetDefinition {
  const generate = (n: number, seed: number): unknown[] =>
    (def.generate(n, seed) as StubRecord[]).map((r) => {
      const { value: _v, code: _c, blob: _b, ...rest } = r;
      return rest;
    });
  return { name: `${def.name}-nu`, description: def.description, schema: NO_UNION_SCHEMA, defaultN: def.defaultN, generate };
}
const stub = defineDataset(noUnion(stubDefinition));

describe('Arrow carries a dataset of every type kind but the union', () => {
  it.each(CODECS)('%s: a union is n/a, naming its path', (name) => {
    const b = bind(getCodec(name), defineDataset(stubDefinition));
    expect(isUnsupported(b) && b).toEqual({ unsupported: 'a union has no Arrow mapping here', path: 'value' });
    expect(unsupportedText(b as Unsupported)).toBe('n/a: a union has no Arrow mapping here (value)');
    const nested = t.record('R', { a: t.int32(), deep: t.list(t.record('S', { m: t.map(t.optional(t.union(t.string(), t.f64()))) })) });
    expect(getCodec(name).forDataset!({ name: 'odd', schema: nested, fingerprint: 'x' })).toMatchObject({ path: 'deep[].m{}?' });
  });

  it.each(LAZY)('%s: exact, the lazy Arrow form (the Table and its columns, no rows)', async (name) => {
    const { loaded } = await roundTrip(name, stub);
    expect(loadedReturns(loaded)).toBe('lazy');
    expect(getCodec(name).returns).toBe('lazy');
    const data = loaded as unknown as { table: { numRows: number }; batches: unknown[]; n: number };
    expect(data.n).toBe(N);
    expect(data.table.numRows).toBe(N);
    expect(data.batches.length).toBeGreaterThan(0);
    expect(judge(stub, loaded)).toEqual({ verified: true, uint64: 'exact' });
    expect(stub.diff(loaded, N, SEED).at).toBeNull();
  });

  it('arrow-rows: exact, each record in the in-memory form', async () => {
    const { loaded } = await roundTrip('arrow-rows', stub);
    expect(loadedReturns(loaded)).toBe('rows');
    expect(judge(stub, loaded)).toEqual({ verified: true, uint64: 'exact' });
    const rows = loaded as unknown as Plain[];
    const expected = stub.generate(N, SEED) as Plain[];
    expect(rows).toEqual(expected); // Float32Array vs Float32Array, null vs null, bigint vs bigint…
    for (const r of rows) {
      expect(typeof r.big).toBe('bigint');
      expect(r.payload).toBeInstanceOf(Uint8Array);
      expect(r.pos).toBeInstanceOf(Float32Array);
      expect(r.weights).toBeInstanceOf(Float64Array);
      expect(r.counts).toBeInstanceOf(Int32Array);
      expect(r.mask).toBeInstanceOf(Uint8Array);
      expect(Array.isArray(r.at)).toBe(true);
      expect(['alpha', 'beta', 'gamma']).toContain(r.kind);
    }
  });

  it.each(CODECS)('%s: an empty dataset and a single record round-trip', async (name) => {
    for (const n of [0, 1]) {
      const { loaded } = await roundTrip(name, stub, n);
      expect(stub.count(loaded)).toBe(n);
      expect(judge(stub, loaded, n).verified).toBe(true);
    }
  });

  it('arrow: the Arrow schema says how each type is carried', async () => {
    const m = arrowMapping(await arrowLib(), NO_UNION_SCHEMA);
    const types = Object.fromEntries(m.schema.fields.map((f) => [f.name, `${String(f.type)}${f.nullable ? ' (nullable)' : ''}`]));
    expect(types).toMatchObject({
      id: 'Int32',
      score: 'Float64',
      ratio: 'Float32',
      big: 'Uint64',
      ok: 'Bool',
      label: 'Utf8',
      payload: 'Binary',
      kind: 'Dictionary<Int32, Utf8>',
      note: 'Utf8 (nullable)',
      items: 'List<Struct<{name:Utf8, count:Int32, tags:List<Utf8>}>>',
      at: 'Struct<{x:Float64, y:Float64}>',
      pos: 'FixedSizeList[3]<Float32>',
      weights: 'List<Float64>',
      counts: 'List<Int32>',
      mask: 'List<Uint8>',
    });
    expect(types.parent).toMatch(/^Struct<.*> \(nullable\)$/);
    expect(types.attrs).toMatch(/^Map<.*key:Utf8, value:Int32/);
  });

  it.each(CODECS)('%s: the description says how other datasets are carried', (name) => {
    expect(getCodec(name).description).toMatch(
      /Other datasets: columns from the schema: .*enum Dictionary<Utf8, Int32>.*FixedSizeList.*a union has no Arrow mapping/,
    );
  });

  it('a file of another schema is refused, naming the columns', async () => {
    const mesh = defineDataset(await getDefinition('mesh'));
    const file = join(dir, 'mesh-as-stub.arrow');
    const codec = getCodec('arrow');
    await (bind(codec, mesh) as DatasetCodec).dump(mesh.generate(3, SEED) as unknown[], file);
    for (const name of CODECS.filter((c) => c !== 'arrow-stream')) {
      await expect((bind(getCodec(name), stub) as DatasetCodec).load(file)).rejects.toThrow(
        /columns are \[v0: FixedSizeList\[3\]<Float32>.*expected \[id: Int32/,
      );
    }
  });
});

describe('columns read back under another schema: by symbol and by slot, never by trust', () => {
  /** A dataset of these rows (the rows a reader expects). */
  const reader = (schema: RecordSchema, rows: unknown[]): Dataset =>
    defineDataset({ name: 'reader', description: '', schema, defaultN: rows.length, generate: () => rows } as DatasetDefinition);
  const write = async (schema: RecordSchema, rows: unknown[], file: string): Promise<string> => {
    await (bind(getCodec('arrow'), reader(schema, rows)) as DatasetCodec).dump(rows, join(dir, file));
    return join(dir, file);
  };

  it("an enum is read through the file's dictionary: symbols in another order are the same values", async () => {
    const rows = [{ e: 'x' }, { e: 'y' }, { e: 'y' }];
    const file = await write(t.record('R', { e: t.enum('E', ['x', 'y']) }), rows, 'enum-xy.arrow');
    for (const name of CODECS.filter((c) => c !== 'arrow-stream')) {
      const swapped = reader(t.record('R', { e: t.enum('E', ['y', 'x']) }), rows);
      const loaded = await (bind(getCodec(name), swapped) as DatasetCodec).load(file);
      expect(swapped.verify(loaded, 3, SEED, () => swapped.expectedChecksum(3, SEED)).verified).toBe(true);
      // a symbol the reader's enum does not have is a difference at its path, not a crash
      const other = reader(t.record('R', { e: t.enum('E', ['x', 'z']) }), [{ e: 'x' }, { e: 'z' }, { e: 'z' }]);
      const back = await (bind(getCodec(name), other) as DatasetCodec).load(file);
      expect(other.diff(back, 3, SEED).at).toMatchObject({ path: '[1].e' });
    }
  });

  it('a null where the schema has no optional is a difference at its path', async () => {
    const rows = [
      { s: 'a', xs: [1, 2] },
      { s: null, xs: [3] },
    ];
    const file = await write(t.record('R', { s: t.optional(t.string()), xs: t.list(t.int32()) }), rows, 'null.arrow');
    const strict = reader(t.record('R', { s: t.string(), xs: t.list(t.int32()) }), [
      { s: 'a', xs: [1, 2] },
      { s: '', xs: [3] },
    ]);
    for (const name of CODECS.filter((c) => c !== 'arrow-stream')) {
      const loaded = await (bind(getCodec(name), strict) as DatasetCodec).load(file);
      expect(strict.verify(loaded, 2, SEED, () => strict.expectedChecksum(2, SEED)).verified).toBe(false);
      expect(strict.diff(loaded, 2, SEED).at).toMatchObject({ path: '[1].s' });
    }
  });
});

describe('the built-in datasets', () => {
  const SMALL: Record<string, number> = { logs: 300, mesh: 300, documents: 40, blobs: 12 };
  for (const [dataset, n] of Object.entries(SMALL)) {
    it.each(CODECS)(`${dataset}: %s round-trips exactly`, async (name) => {
      const ds = defineDataset(await getDefinition(dataset));
      const { loaded } = await roundTrip(name, ds, n);
      expect(loadedReturns(loaded)).toBe(name === 'arrow-rows' ? 'rows' : 'lazy');
      expect(judge(ds, loaded, n).verified).toBe(true);
      if (name === 'arrow-rows') expect(loaded).toEqual(ds.generate(n, SEED));
    });
  }

  it('arrow-stream: batch rows from the intrinsic size per record, about the tuples’ 2.4 MB of content a batch', async () => {
    const got: Record<string, number> = {};
    for (const dataset of Object.keys(SMALL)) {
      const def = await getDefinition(dataset);
      const rows = def.generate(1000, 42) as unknown[];
      const mean = rows.reduce((s: number, r) => s + intrinsicBytes(def.schema, r), 0) / rows.length;
      got[dataset] = batchRowsFor(def.schema, rows);
      expect(got[dataset]).toBe(Math.max(64, Math.floor((65_536 * 36) / mean)));
    }
    // design §5.3: logs ≈ 29k, mesh 49k, documents ≈ 2.7k, blobs ≈ 400
    expect(got.mesh).toBe(49_152);
    expect(got.logs).toBeGreaterThan(20_000);
    expect(got.logs).toBeLessThan(40_000);
    expect(got.documents).toBeGreaterThan(1_500);
    expect(got.documents).toBeLessThan(4_000);
    expect(got.blobs).toBeGreaterThanOrEqual(64);
    expect(got.blobs).toBeLessThan(1_000);
    expect(batchRowsFor(NO_UNION_SCHEMA, [])).toBe(ARROW_BATCH_ROWS);
    const huge = t.record('Huge', { b: t.bytes() });
    expect(batchRowsFor(huge, [{ b: new Uint8Array(1e7) }])).toBe(64);
  });
  // arrow-stream's batch-by-batch writing (backpressure) for these datasets: test/arrow-stream-dump.test.ts
});

/** Edge values at record 1 (withEdge: uint64s below 2**63): the shared ones and two of Arrow's; Arrow loses only a lone surrogate (UTF-8), §5.3. */
const LOSSY = new Set(['lone-surrogate', 'lone-surrogate-nested']);
const EDGES: readonly StubEdge[] = [
  ...STUB_EDGES,
  { name: 'lone-surrogate-nested', path: '[1].items[0].tags[1]', kind: 'string', edge: (r) => (r.items = [{ name: 'ok', count: 1, tags: ['a', '\udfff'] }]) },
  {
    name: 'nulls-and-map-order',
    path: '',
    kind: '',
    edge: (r) => {
      r.note = null;
      r.parent = null;
      r.attrs = { zeta: 1, a: 2, é: 3 }; // not in key order: the checksum sorts the keys, on rows and on columns alike
    },
  },
];

describe('edge values: exact, or lossy at their path, as design §5.3 says', () => {
  for (const e of EDGES) {
    const ds = defineDataset(noUnion(withEdge(`stub-${e.name}`, e.edge)));
    it.each(CODECS)(`${e.name}: %s`, async (name) => {
      const { loaded } = await roundTrip(name, ds, 3);
      const v = judge(ds, loaded, 3);
      if (LOSSY.has(e.name)) {
        expect(v.verified).toBe(false);
        const at = ds.diff(loaded, 3, SEED).at;
        expect(at?.path).toBe(e.path);
        expect(at?.kind).toBe(e.kind);
      } else {
        expect(v.verified, v.error).toBe(true);
      }
    });
  }
});
