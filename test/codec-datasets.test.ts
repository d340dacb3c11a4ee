/**
 * The schema-less codecs on datasets other than the tuples (issue 24, design §5.3, groups b3 and
 * b5): json, ndjson, json-stream, v8, v8-stream, msgpack, msgpack-stream, msgpack-js, cbor,
 * cbor-stream, bson and bson-stream each round-trip a stub dataset that uses every type kind
 * (test/helpers/stub-dataset.ts), judged by the dataset's own verify(): exact where §5.3 says exact,
 * lossy at the edge value's path where it says lossy, n/a naming the path where it cannot carry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUnsupported } from '../bench/codecs/bind.js';
import { getCodec } from '../bench/codecs/index.js';
import { MSGPACK_OPTIONS, msgpackOptions } from '../bench/codecs/msgpack.js';
import { defineDataset } from '../bench/data/dataset.js';
import { type RecordSchema, t } from '../bench/data/schema.js';
import type { DatasetCodec, LoadedData, Unsupported } from '../bench/types.js';
import { codecRoundTrip } from './helpers/codec-round-trip.js';
import { STUB_EDGES, STUB_SCHEMA, type StubRecord, stubDefinition, withEdge } from './helpers/stub-dataset.js';

const CODECS = ['json', 'ndjson', 'json-stream', 'v8', 'v8-stream', 'msgpack', 'msgpack-stream', 'msgpack-js', 'cbor', 'cbor-stream', 'bson', 'bson-stream'];
const JSON_FAMILY = ['json', 'ndjson', 'json-stream'];
const BSON = ['bson', 'bson-stream'];
const N = 60;
const SEED = 7;

const dir = mkdtempSync(join(tmpdir(), 'footprint-codec-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stub = defineDataset(stubDefinition);

const { bind, roundTrip, judge } = codecRoundTrip(dir, SEED, N);

describe('schema-less codecs carry a dataset of every type kind', () => {
  it('the stub holds uint64 values on both sides of 2**63 and every vector element', () => {
    const rows = stub.generate(N, SEED) as StubRecord[];
    expect(rows.some((r) => r.big >= 2n ** 63n) && rows.some((r) => r.big < 2n ** 63n)).toBe(true);
    expect(rows.some((r) => typeof r.code === 'bigint') && rows.some((r) => typeof r.code === 'number')).toBe(true);
    expect(rows.some((r) => r.blob instanceof Uint8Array) && rows.some((r) => typeof r.blob === 'number')).toBe(true);
    expect(rows.some((r) => r.parent === null) && rows.some((r) => r.parent !== null)).toBe(true);
  });

  it.each(CODECS.filter((c) => !BSON.includes(c)))('%s: exact, in the in-memory form', async (name) => {
    const { loaded } = await roundTrip(name, stub);
    expect(judge(stub, loaded)).toEqual({ verified: true, uint64: 'exact' });
    const rows = loaded as unknown as StubRecord[];
    const expected = stub.generate(N, SEED) as StubRecord[];
    for (const [i, r] of rows.entries()) {
      expect(typeof r.big).toBe('bigint');
      expect(r.payload).toBeInstanceOf(Uint8Array);
      expect(r.pos).toBeInstanceOf(Float32Array);
      expect(r.weights).toBeInstanceOf(Float64Array);
      expect(r.counts).toBeInstanceOf(Int32Array);
      expect(r.mask).toBeInstanceOf(Uint8Array);
      expect(typeof r.code).toBe(typeof expected[i]!.code); // a union member comes back as itself
      expect(r.blob instanceof Uint8Array).toBe(expected[i]!.blob instanceof Uint8Array);
    }
  });

  it.each(BSON)('%s: lossy at the first uint64 >= 2**63 (signed int64), everything else exact', async (name) => {
    const { loaded } = await roundTrip(name, stub);
    const v = judge(stub, loaded);
    expect(v.verified).toBe(false);
    expect(v.uint64).toBe('lossy');
    const rows = stub.generate(N, SEED) as StubRecord[];
    const first = rows.findIndex((r) => r.big >= 2n ** 63n || (typeof r.code === 'bigint' && r.code >= 2n ** 63n));
    const at = stub.diff(loaded, N, SEED).at!;
    expect(at.kind).toBe('uint64');
    expect(at.path).toMatch(new RegExp(`^\\[${first}\\]\\.(big|code)$`));
    // with the uint64s below 2**63 the same records come back exactly, in the in-memory form
    const low = defineDataset(withEdge('stub-low', () => {}));
    const back = await roundTrip(name, low);
    expect(judge(low, back.loaded)).toEqual({ verified: true });
    const r = (back.loaded as unknown as StubRecord[])[0]!;
    expect(r.payload).toBeInstanceOf(Uint8Array);
    expect(r.pos).toBeInstanceOf(Float32Array);
    expect(r.weights).toBeInstanceOf(Float64Array);
    expect(r.counts).toBeInstanceOf(Int32Array);
  });

  it.each(CODECS)('%s: an empty dataset and a single record round-trip', async (name) => {
    for (const n of [0, 1]) {
      const { loaded } = await roundTrip(name, stub, n);
      expect(stub.count(loaded)).toBe(n);
    }
  });

  it.each(BSON)('%s: the dump does not change the records it was given (the BSON vector is a copy)', async (name) => {
    const codec = getCodec(name);
    const bound = bind(codec, stub) as DatasetCodec;
    await codec.init?.();
    const rows = stub.generate(N, SEED) as StubRecord[];
    await bound.dump(rows, join(dir, `${name}-untouched`));
    expect(stub.checksum(rows as unknown as LoadedData)).toBe(stub.expectedChecksum(N, SEED));
    expect(rows[0]!.pos).toBeInstanceOf(Float32Array);
  });
});

/** The codecs that lose each edge value of STUB_EDGES (§5.3); every other codec carries it exactly. */
const LOSSY: Record<string, readonly string[]> = {
  'neg-zero': [...JSON_FAMILY, 'msgpack', 'msgpack-stream', 'msgpack-js', 'cbor', 'cbor-stream'],
  nan: JSON_FAMILY,
  infinity: JSON_FAMILY,
  'lone-surrogate': ['msgpack', 'msgpack-stream', 'cbor', 'cbor-stream', ...BSON],
  'uint64-max': BSON,
  'vector-neg-zero': JSON_FAMILY,
  'vector-nan': JSON_FAMILY,
};
const EDGES = STUB_EDGES.map((e) => ({ ...e, lossy: LOSSY[e.name] ?? [] }));

describe('edge values: exact, or lossy at their path, as design §5.3 says', () => {
  for (const e of EDGES) {
    const ds = defineDataset(withEdge(`stub-${e.name}`, e.edge)); // uint64s below 2**63: bson is judged on the edge alone
    it.each(CODECS)(`${e.name}: %s`, async (name) => {
      const { loaded } = await roundTrip(name, ds, 3);
      const v = judge(ds, loaded, 3);
      if (e.lossy.includes(name)) {
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

describe('a dataset whose record is a tuple (a positional record held as an array)', () => {
  const pairs = defineDataset({
    name: 'pairs',
    description: 'tuple records',
    schema: t.tuple('Pair', [
      t.field('v', t.vector('f32')),
      t.field('b', t.bytes()),
      t.field('u', t.uint64()),
      t.field('in', t.tuple('In', [t.field('s', t.string())])),
    ] as const),
    defaultN: 4,
    generate: (n) =>
      Array.from({ length: n }, (_, i): [Float32Array, Uint8Array, bigint, [string]] => [Float32Array.of(i, 0.5), Uint8Array.of(i), BigInt(i) * 3n, [`é${i}`]]),
  });
  it.each(CODECS)('%s: exact, each record an array again (bson: a document by field names on disk)', async (name) => {
    const { loaded } = await roundTrip(name, pairs, 4);
    expect(judge(pairs, loaded, 4).verified).toBe(true);
    const r = (loaded as unknown as unknown[][])[3]!;
    expect(Array.isArray(r) && r[0] instanceof Float32Array && r[1] instanceof Uint8Array && r[2] === 9n).toBe(true);
  });
});

describe('what the formats cannot carry is n/a, naming the path', () => {
  const ref = (schema: RecordSchema) => ({ name: 'odd', schema, fingerprint: 'x' });
  const na = (name: string, schema: RecordSchema): Unsupported | null => {
    const b = getCodec(name).forDataset!(ref(schema));
    return isUnsupported(b) ? b : null;
  };

  it('JSON cannot tell a uint64 (or bytes) from a string in a union, nor a vector from a list', () => {
    const s1 = t.record('R', { a: t.int32(), deep: t.list(t.record('S', { u: t.union(t.string(), t.uint64()) })) });
    for (const name of JSON_FAMILY) {
      expect(na(name, s1)).toEqual({
        unsupported: 'JSON writes the union members string and uint64 alike (string): a load cannot tell them apart',
        path: 'deep[].u',
      });
      expect(na(name, t.record('R', { b: t.optional(t.union(t.bytes(), t.string())) }))?.path).toBe('b?');
      expect(na(name, t.record('R', { v: t.union(t.vector('f32'), t.list(t.f64())) }))?.path).toBe('v');
    }
    for (const name of CODECS.filter((c) => !JSON_FAMILY.includes(c))) expect(na(name, s1)).toBeNull();
  });

  it('msgpack-js writes bytes and a vector alike (bin); bson a float64 vector and a list alike (array)', () => {
    const bytesOrVector = t.record('R', { x: t.union(t.bytes(), t.vector('f32')) });
    expect(na('msgpack-js', bytesOrVector)?.path).toBe('x');
    for (const name of ['v8', 'msgpack', 'cbor', ...BSON]) expect(na(name, bytesOrVector)).toBeNull();
    const listOrVector = t.record('R', { x: t.union(t.vector('f64'), t.list(t.string())) });
    for (const name of BSON) expect(na(name, listOrVector)?.path).toBe('x');
    expect(na('msgpack-js', listOrVector)).toBeNull();
  });

  it('bson refuses a key it cannot write: a NUL, or _bsontype', () => {
    for (const name of BSON) {
      expect(na(name, t.record('R', { ok: t.int32(), inner: t.record('S', { 'a\u0000b': t.int32() }) }))).toEqual({
        unsupported: 'a BSON document key cannot be a string with a NUL',
        path: 'inner.a\u0000b',
      });
      expect(na(name, t.record('R', { _bsontype: t.string() }))?.path).toBe('_bsontype');
      expect(na(name, t.record('R', { t: t.tuple('T', [t.field('_bsontype', t.int32())]) }))).toBeNull(); // a nested tuple is an array
    }
    expect(na('json', t.record('R', { _bsontype: t.string() }))).toBeNull();
  });
});

describe('how each format carries the types (what its file holds)', () => {
  const oneDef = {
    name: 'one',
    description: 'one record',
    schema: t.record('One', { u: t.uint64(), b: t.bytes(), v: t.vector('f32') }),
    defaultN: 1,
    generate: () => [{ u: 2n ** 64n - 1n, b: Uint8Array.of(0xde, 0xad), v: Float32Array.of(0.5, 0.1) }],
  };
  const one = defineDataset(oneDef);

  it('JSON: uint64 as a decimal string, bytes as base64, a float32 vector as an array of numbers', async () => {
    for (const name of JSON_FAMILY) {
      const { file, loaded } = await roundTrip(name, one, 1);
      expect(readFileSync(file, 'utf8').trim()).toMatch(/^\[?\{"u":"18446744073709551615","b":"3q0=","v":\[0\.5,0\.10000000149011612\]\}\]?$/);
      expect(judge(one, loaded, 1).verified).toBe(true);
    }
  });

  it('JSON: a Buffer (a Uint8Array whose toJSON runs before the replacer) is base64 too', async () => {
    const buf = defineDataset({ ...oneDef, name: 'buf', generate: () => [{ u: 1n, b: Buffer.from([0xde, 0xad]), v: Float32Array.of(1) }] });
    const { file, loaded } = await roundTrip('json', buf, 1);
    expect(readFileSync(file, 'utf8')).toBe('[{"u":"1","b":"3q0=","v":[1]}]');
    expect(judge(buf, loaded, 1).verified).toBe(true);
  });

  it('msgpack: the typed-array extension only when the schema has a vector (the tuples keep their options)', () => {
    expect(msgpackOptions(STUB_SCHEMA)).toEqual({ ...MSGPACK_OPTIONS, moreTypes: true });
    expect(msgpackOptions(t.record('R', { a: t.bytes() }))).toBe(MSGPACK_OPTIONS);
  });

  it('bson: a float32 vector is a BSON vector (Binary subtype 9), bytes a generic Binary', async () => {
    const { deserialize } = await import('bson');
    const { file } = await roundTrip('bson', one, 1);
    const doc = deserialize(readFileSync(file));
    const row = (doc.rows as Record<string, { sub_type: number }>[])[0]!;
    expect(row.v!.sub_type).toBe(9);
    expect(row.b!.sub_type).toBe(0);
  });

  it.each(CODECS)('%s: the description says how other datasets are carried', (name) => {
    expect(getCodec(name).description).toMatch(/Other datasets: .*bytes.*vectors/);
  });
});
