/**
 * The schema-driven codecs on datasets other than the tuples (issue 24, design §5.2, §5.3, §5.6,
 * §5.7, group b6): protobuf, protobuf-stream, avro and avro-stream carry the stub dataset of every
 * type kind (map and union included) and each built-in dataset from the dataset's schema, judged
 * by the dataset's own verify() and returned in the in-memory form; lossy only where §5.3 says
 * (a lone surrogate: UTF-8); n/a naming the path where the format has no mapping; the tuples'
 * schema under another name goes through the mapping and writes the tuples' own bytes (the tuples'
 * own dump and load: test/codec-tuples-files.test.ts).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isUnsupported } from '../bench/codecs/bind.js';
import { getCodec } from '../bench/codecs/index.js';
import { fieldWireNames, sanitize } from '../bench/codecs/mapping/names.js';
import { type Dataset, defineDataset } from '../bench/data/dataset.js';
import { generateTuples, tuplesDefinition } from '../bench/data/datasets/tuples.js';
import { getDataset } from '../bench/data/registry.js';
import { type RecordSchema, t } from '../bench/data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Unsupported } from '../bench/types.js';
import { type StubRecord, stubDefinition, withEdge } from './helpers/stub-dataset.js';
import { TUPLES_SHA } from './helpers/tuples-sha.js';

const CODECS = ['protobuf', 'protobuf-stream', 'avro', 'avro-stream'];
const BUILT_IN = ['logs', 'mesh', 'documents', 'blobs'];
const N = 40;
const SEED = 11;

const dir = mkdtempSync(join(tmpdir(), 'footprint-codec-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stub = defineDataset(stubDefinition);

function bind(codec: Codec, ds: Pick<Dataset, 'info'>): DatasetCodec | Unsupported {
  return codec.forDataset!({ name: ds.info.name, schema: ds.info.schema, fingerprint: ds.info.fingerprint });
}

/** Dump the dataset's n records with the codec's binding and load them back. */
async function roundTrip(name: string, ds: Dataset, n = N): Promise<{ loaded: LoadedData; file: string }> {
  const codec = getCodec(name);
  const bound = bind(codec, ds);
  if (isUnsupported(bound)) throw new Error(`${name} cannot carry ${ds.name}: ${bound.unsupported} (${bound.path})`);
  await codec.init?.();
  await bound.init?.();
  const file = join(dir, `${name}-${ds.name}.${codec.extension}`);
  await bound.dump(ds.generate(n, SEED) as unknown[], file);
  return { loaded: await bound.load(file), file };
}

const judge = (ds: Dataset, loaded: LoadedData, n = N) => ds.verify(loaded, n, SEED, () => ds.expectedChecksum(n, SEED));

describe('protobuf and avro carry a dataset of every type kind, from its schema', () => {
  it.each(CODECS)('%s: the stub comes back exact, in the in-memory form', async (name) => {
    const { loaded } = await roundTrip(name, stub as unknown as Dataset);
    expect(judge(stub as unknown as Dataset, loaded)).toEqual({ verified: true, uint64: 'exact' });
    const rows = loaded as unknown as StubRecord[];
    const expected = stub.generate(N, SEED) as StubRecord[];
    for (const [i, r] of rows.entries()) {
      const e = expected[i]!;
      expect(Object.keys(r)).toEqual(Object.keys(e)); // a plain record: the schema's keys, in order, nothing of the library's
      expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
      expect(typeof r.big).toBe('bigint');
      expect(r.payload).toBeInstanceOf(Uint8Array);
      expect(r.kind).toBe(e.kind); // a symbol, not the enum's number
      expect(r.note).toBe(e.note); // null when absent
      expect(r.parent === null).toBe(e.parent === null);
      expect(Array.isArray(r.at)).toBe(true); // a tuple is an array again
      expect(r.pos).toBeInstanceOf(Float32Array);
      expect(r.weights).toBeInstanceOf(Float64Array);
      expect(r.counts).toBeInstanceOf(Int32Array);
      expect(r.mask).toBeInstanceOf(Uint8Array);
      expect(typeof r.code).toBe(typeof e.code); // a union member comes back as itself
      expect(r.blob instanceof Uint8Array).toBe(e.blob instanceof Uint8Array);
      expect(typeof r.value).toBe(typeof e.value);
      expect(r.attrs).toEqual(e.attrs);
    }
  });

  it.each(CODECS)('%s: an empty dataset and a single record round-trip', async (name) => {
    for (const n of [0, 1]) {
      const { loaded } = await roundTrip(name, stub as unknown as Dataset, n);
      expect(stub.count(loaded)).toBe(n);
      expect(judge(stub as unknown as Dataset, loaded, n).verified).toBe(true);
    }
  });
});

describe('the built-in datasets', () => {
  for (const dsName of BUILT_IN) {
    it.each(CODECS)(`${dsName}: %s round-trips exactly`, async (name) => {
      const ds = await getDataset(dsName);
      const n = dsName === 'documents' || dsName === 'blobs' ? 12 : N;
      const { loaded } = await roundTrip(name, ds, n);
      const v = judge(ds, loaded, n);
      expect(v.verified, v.error).toBe(true);
      const r = (loaded as unknown as Record<string, unknown>[])[0]!;
      if (dsName === 'mesh') expect(r.v0).toBeInstanceOf(Float32Array);
      if (dsName === 'blobs') expect(r.payload).toBeInstanceOf(Uint8Array);
      if (dsName === 'blobs') expect((ds.generate(1, SEED)[0] as { mime: string }).mime).toBe(r.mime);
    });
  }
});

/** Edge values at record 1: protobuf and avro lose only the lone surrogate (UTF-8 writers); −0, NaN and the rest come back exactly (§5.3). */
const EDGES: { name: string; path?: string; edge: (r: StubRecord) => void }[] = [
  { name: 'lone-surrogate', path: '[1].label', edge: (r) => Object.assign(r, { label: '\ud800x\udc00' }) },
  { name: 'neg-zero', edge: (r) => Object.assign(r, { score: -0 }) },
  { name: 'nan', edge: (r) => Object.assign(r, { score: Number.NaN }) },
  { name: 'infinity', edge: (r) => Object.assign(r, { score: Number.NEGATIVE_INFINITY }) },
  { name: 'uint64-max', edge: (r) => Object.assign(r, { big: 2n ** 64n - 1n }) },
  { name: 'vector-neg-zero-nan', edge: (r) => Object.assign(r, { pos: Float32Array.of(-0, Number.NaN, 1) }) },
  { name: 'f32-extremes', edge: (r) => Object.assign(r, { ratio: 2 ** -149, pos: Float32Array.of(3.4028234663852886e38, 0, 1) }) },
  {
    name: 'empties',
    edge: (r) =>
      Object.assign(r, {
        label: '',
        payload: new Uint8Array(0),
        items: [],
        attrs: {},
        weights: new Float64Array(0),
        counts: new Int32Array(0),
        mask: new Uint8Array(0),
        note: '',
      }),
  },
  {
    name: 'int-extremes',
    edge: (r) => {
      r.id = -(2 ** 31);
      r.counts = Int32Array.of(2 ** 31 - 1, -(2 ** 31), 2 ** 30);
      r.code = 0n;
      r.blob = -(2 ** 31);
    },
  },
  { name: 'enum-first-symbol', edge: (r) => Object.assign(r, { kind: 'alpha', value: 0 }) },
];

describe('edge values: exact, or lossy at their path, as design §5.3 says', () => {
  for (const e of EDGES) {
    const ds = defineDataset(withEdge(`stub-${e.name}`, e.edge)) as unknown as Dataset;
    it.each(CODECS)(`${e.name}: %s`, async (name) => {
      const { loaded } = await roundTrip(name, ds, 3);
      const v = judge(ds, loaded, 3);
      if (e.path) {
        expect(v.verified).toBe(false);
        expect(ds.diff(loaded, 3, SEED).at?.path).toBe(e.path);
      } else {
        expect(v.verified, v.error).toBe(true);
      }
    });
  }
});

describe('wire names (mapping/names.ts): any field name and enum symbol has one, and comes back as itself', () => {
  it('valid names are kept, others made valid, a clash takes _2', () => {
    expect(sanitize('user-id')).toBe('user_id');
    expect(sanitize('1st')).toBe('_1st');
    expect(sanitize('naïve')).toBe('na_ve');
    expect(fieldWireNames(['a_b', 'a-b', 'ok', '9'])).toEqual(['a_b', 'a_b_2', 'ok', '_9']);
  });

  const oddDef = {
    name: 'odd-names',
    description: 'field names and enum symbols that are no identifiers',
    schema: t.record('Odd', {
      'user-id': t.int32(),
      user_id: t.string(),
      'naïve café': t.optional(t.f64()),
      constructor: t.bool(),
      $typeName: t.string(),
      mime: t.enum('Mime', ['image/png', 'text/plain; charset=utf-8', '0']),
      nested: t.list(t.record('In', { 'x.y': t.uint64(), x_y: t.int32() })),
    }),
    defaultN: 3,
    generate: (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        'user-id': i - 1,
        user_id: `u${i}`,
        'naïve café': i === 1 ? null : i / 3,
        constructor: i % 2 === 0,
        $typeName: 'not a message',
        mime: (['image/png', 'text/plain; charset=utf-8', '0'] as const)[i % 3]!,
        nested: [{ 'x.y': BigInt(i) * 2n ** 60n, x_y: 1 - i }],
      })),
  };
  it.each(CODECS)('%s: round-trips them exactly', async (name) => {
    const odd = defineDataset(oddDef) as unknown as Dataset;
    const { loaded } = await roundTrip(name, odd, 3);
    const v = judge(odd, loaded, 3);
    expect(v.verified, v.error).toBe(true);
    expect(Object.keys((loaded as unknown as object[])[0]!)).toEqual(Object.keys(oddDef.generate(1)[0]!));
  });

  it('avro: symbols that are no Avro names are S0…Sk (blobs: the mime types), protobuf: <ENUM>_<i>', async () => {
    const { avroSchema } = await import('../bench/codecs/mapping/avro.js');
    const blobs = await getDataset('blobs');
    const mime = (avroSchema(blobs.schema) as { fields: { name: string; type: { symbols?: string[] } }[] }).fields.find((f) => f.name === 'mime')!;
    expect(mime.type.symbols).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
    const { protobufMappingOf } = await import('../bench/codecs/protobuf.js');
    expect((await protobufMappingOf(blobs.schema)).proto).toContain('enum Mime { Mime_0 = 0; Mime_1 = 1;');
  });
});

describe('the descriptor and the Avro schema of a schema', () => {
  it("the tuples schema gives exactly the tuples codecs' protobuf messages and Avro record", async () => {
    const { protobufMappingOf } = await import('../bench/codecs/protobuf.js');
    expect((await protobufMappingOf(tuplesDefinition.schema)).proto).toBe(
      'syntax = "proto3";\npackage footprint;\nmessage Tuple { double f = 1; string s = 2; uint64 u = 3; }\nmessage Tuples { repeated Tuple rows = 1; }',
    );
    const { avroSchema } = await import('../bench/codecs/mapping/avro.js');
    const { TUPLE_SCHEMA } = await import('../bench/codecs/avro.js');
    expect(JSON.stringify(avroSchema(tuplesDefinition.schema))).toBe(JSON.stringify(TUPLE_SCHEMA));
  });

  it('the stub: wrappers where protobuf has no place of its own, a map entry, a oneof', async () => {
    const { protobufMappingOf } = await import('../bench/codecs/protobuf.js');
    const proto = (await protobufMappingOf(stub.schema)).proto;
    expect(proto).toContain('optional string note = 9;');
    expect(proto).toContain('message AttrsEntry { string key = 1; int32 value = 2; }');
    expect(proto).toContain('message Stub_value { member: double m1 = 1; member: string m2 = 2; member: Item m3 = 3; }');
    expect(proto).toContain('repeated float pos = 17;');
    expect(proto).toContain('bytes mask = 20;');
  });

  it('per-dataset limits are derived from the schema: protobuf-stream readMaxBytes, avro the smallest record', async () => {
    const { maxEncodedBytes, LIBRARY_READ_MAX_BYTES } = await import('../bench/codecs/mapping/protobuf.js');
    const { minEncodedBytes } = await import('../bench/codecs/mapping/avro.js');
    const mesh = await getDataset('mesh');
    const logs = await getDataset('logs');
    expect(maxEncodedBytes(mesh.schema)).toBe(5 + 4 * (5 + 5 + 12));
    expect(maxEncodedBytes(logs.schema)).toBeNull(); // strings: no bound, the library's 64 MiB
    expect(LIBRARY_READ_MAX_BYTES).toBe(64 * 1024 * 1024);
    expect(minEncodedBytes(tuplesDefinition.schema)).toBe(17);
    expect(minEncodedBytes(mesh.schema)).toBe(4 * (1 + 12 + 1));
  });

  it("protobuf-stream refuses a size prefix above the schema's bound (mesh), naming the codec and the file", async () => {
    const mesh = await getDataset('mesh');
    const codec = getCodec('protobuf-stream');
    const bound = bind(codec, mesh) as DatasetCodec;
    await bound.init?.();
    const file = join(dir, 'too-big.pb-delimited');
    writeFileSync(file, Buffer.concat([Buffer.from([0x80, 0x01]), Buffer.alloc(128)])); // a 128-byte message: more than a triangle can take
    await expect(bound.load(file)).rejects.toThrow(/protobuf-stream: .*too-big\.pb-delimited: .*128/);
  });

  it("avro refuses a block count that cannot fit at the schema's smallest record (mesh: 56 bytes)", async () => {
    const mesh = await getDataset('mesh');
    const bound = bind(getCodec('avro'), mesh) as DatasetCodec;
    await bound.init?.();
    const file = join(dir, 'count.avro-bin');
    writeFileSync(file, Buffer.concat([Buffer.from([4]), Buffer.alloc(100)])); // 2 triangles announced, 100 bytes: fits 17-byte tuples, not triangles
    await expect(bound.load(file)).rejects.toThrow(/array block of 2 items cannot fit in the 100 bytes left/);
  });

  it("avro-stream refuses a container file whose schema is not the dataset's", async () => {
    const logs = await getDataset('logs');
    const { file } = await roundTrip('avro-stream', logs, 2);
    const bound = bind(getCodec('avro-stream'), stub as unknown as Dataset) as DatasetCodec;
    await bound.init?.();
    await expect(bound.load(file)).rejects.toThrow(/the file's schema is not the dataset's/);
  });
});

describe('what Avro cannot write is n/a, naming the path; protobuf carries it', () => {
  const ref = (schema: RecordSchema) => ({ name: 'odd', schema, fingerprint: 'x' });
  const na = (name: string, schema: RecordSchema): Unsupported | null => {
    const b = getCodec(name).forDataset!(ref(schema));
    return isUnsupported(b) ? b : null;
  };
  it.each([
    [
      'two arrays (a list and a vector)',
      t.record('R', { a: t.int32(), deep: t.list(t.record('S', { u: t.union(t.list(t.string()), t.vector('f32')) })) }),
      'deep[].u',
    ],
    ['two bytes (bytes and a uint8 vector)', t.record('R', { b: t.optional(t.union(t.bytes(), t.vector('uint8'))) }), 'b?'],
    ['a union inside a union', t.record('R', { u: t.union(t.string(), t.union(t.f64(), t.bool())) }), 'u|1'],
  ] as const)('%s', (_, schema, path) => {
    for (const name of ['avro', 'avro-stream']) expect(na(name, schema)?.path).toBe(path);
    for (const name of ['protobuf', 'protobuf-stream']) expect(na(name, schema)).toBeNull();
  });

  it('protobuf round-trips a union Avro cannot write (list | vector)', async () => {
    const ds = defineDataset({
      name: 'protobuf-only',
      description: 'unions Avro has no place for',
      schema: t.record('P', { u: t.union(t.list(t.string()), t.vector('f32')), w: t.list(t.union(t.string(), t.list(t.f64()))) }),
      defaultN: 3,
      generate: (n) => Array.from({ length: n }, (_, i) => ({ u: i % 2 ? ['a', `${i}`] : Float32Array.of(i, 0.5), w: ['x', [i, 0.5], []] })),
    }) as unknown as Dataset;
    for (const name of ['protobuf', 'protobuf-stream']) {
      const { loaded } = await roundTrip(name, ds, 3);
      expect(judge(ds, loaded, 3).verified).toBe(true);
    }
  });
});

describe("the tuples' schema under another name goes through the mapping and writes the tuples' bytes (test/codec-tuples-files.test.ts)", () => {
  const data = generateTuples(2000, 42);
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it.each(CODECS)("%s: the mapping given the tuples' schema under another name writes the same bytes (names and shapes of §5.2)", async (name) => {
    const generic = defineDataset({ ...tuplesDefinition, name: 'tuples-generic' }) as unknown as Dataset;
    const codec = getCodec(name);
    const dump = vi.spyOn(codec, 'dump');
    try {
      const bound = bind(codec, generic) as DatasetCodec;
      await bound.init?.();
      const file = join(dir, `${name}-tuples-generic.${codec.extension}`);
      await bound.dump(data, file);
      expect(dump).not.toHaveBeenCalled();
      expect(sha(file)).toBe(TUPLES_SHA[name]);
      const v = generic.verify(await bound.load(file), 2000, 42, () => generic.expectedChecksum(2000, 42));
      expect(v.verified).toBe(true);
    } finally {
      dump.mockRestore();
    }
  });
});

it.each(CODECS)('%s: the description says how other datasets are carried', (name) => {
  expect(getCodec(name).description).toMatch(/Other datasets: .*uint64.*bytes.*enums.*vectors/);
});

describe('a corrupt file fails with an error naming the codec and the file, or loads something the verification judges', () => {
  it.each(CODECS)('%s: 150 mutated copies of the stub file, never a hang or an exhausted heap', async (name) => {
    const codec = getCodec(name);
    const bound = bind(codec, stub as unknown as Dataset) as DatasetCodec;
    await bound.init?.();
    const { file } = await roundTrip(name, stub as unknown as Dataset, 20);
    const valid = readFileSync(file);
    let state = 12345;
    const next = (k: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % k;
    };
    const outcomes = new Set<string>();
    for (let k = 0; k < 150; k++) {
      const m = Buffer.from(valid);
      for (let j = 0; j < 3; j++) m[next(m.length)] = next(256);
      const bad = join(dir, `${name}-mutated`);
      writeFileSync(bad, m);
      try {
        const v = judge(stub as unknown as Dataset, await bound.load(bad), 20);
        outcomes.add(v.verified ? 'ok' : 'lossy');
      } catch (err) {
        // a CodecError names the codec and the file; the verification's own (wrong count, not records) name what came back
        if ((err as Error).name === 'CodecError') expect((err as Error).message).toContain(`${name}: ${bad}`);
        else expect(['RecordCountError', 'NotRecordsError']).toContain((err as Error).name);
        outcomes.add((err as Error).name);
      }
    }
    expect(outcomes.has('CodecError')).toBe(true);
  });
});
