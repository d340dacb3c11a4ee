/**
 * A small stub dataset whose schema uses every type kind of bench/data/schema.ts, for the codec
 * mapping tests (test/codec-datasets.test.ts) while the built-in datasets are written elsewhere:
 * records with named fields, f64, f32, int32, uint64 (about half of them >= 2**63), bool, strings
 * (non-ASCII, surrogate pairs, a NUL), bytes, enum, optional, list, nested record and tuple, map,
 * union, and vectors of every element (a fixed-length f32 one among them).
 *
 * Its records are "clean": values every schema-less format is expected to carry exactly (bson
 * aside, whose signed int64 loses the uint64 >= 2**63). `withEdge` derives a dataset whose uint64s
 * are all below 2**63 and whose record 1 holds one edge value (−0, NaN, a lone surrogate…) at one
 * path, to check the lossy cases one at a time.
 */
import type { DatasetDefinition } from '../../bench/data/dataset.js';
import { createRng, nextFloat, nextUint64, type Rng } from '../../bench/data/rng.js';
import { t } from '../../bench/data/schema.js';

const Kind = t.enum('Kind', ['alpha', 'beta', 'gamma'] as const);
const Item = t.record('Item', { name: t.string(), count: t.int32(), tags: t.list(t.string()) });
const Point = t.tuple('Point', [t.field('x', t.f64()), t.field('y', t.f64())] as const);

export const STUB_SCHEMA = t.record('Stub', {
  id: t.int32(),
  score: t.f64(),
  ratio: t.f32(),
  big: t.uint64(),
  ok: t.bool(),
  label: t.string(),
  payload: t.bytes(),
  kind: Kind,
  note: t.optional(t.string()),
  parent: t.optional(Item),
  items: t.list(Item),
  at: Point,
  attrs: t.map(t.int32()),
  value: t.union(t.f64(), t.string(), Item),
  code: t.union(t.uint64(), t.f64()),
  blob: t.union(t.bytes(), t.int32()),
  pos: t.vector('f32', 3),
  weights: t.vector('f64'),
  counts: t.vector('int32'),
  mask: t.vector('uint8'),
});

/** Strings with one-byte, two-byte and astral characters (surrogate pairs), an empty one and a NUL. */
const TEXTS = ['', 'plain', 'é€', 'naïve café', '日本語のテキスト', '😀 emoji', 'mixed 中文 and 😀😃', 'a\u0000b', 'Zürich–Ελλάδα'];
const KEYS = ['a', 'é', 'key with spaces', '😀', 'zeta'];

const below = (rng: Rng, n: number): number => Math.floor((rng() * n) / 4294967296);
const text = (rng: Rng): string => TEXTS[below(rng, TEXTS.length)]!;
const bytes = (rng: Rng, max: number): Uint8Array => {
  const b = new Uint8Array(below(rng, max + 1));
  for (let i = 0; i < b.length; i++) b[i] = rng() & 0xff;
  return b;
};
const f32 = (rng: Rng): number => Math.fround(nextFloat(rng) * 200 - 100);

function item(rng: Rng): { name: string; count: number; tags: string[] } {
  return { name: text(rng), count: rng() | 0, tags: Array.from({ length: below(rng, 3) }, () => text(rng)) };
}

function record(rng: Rng) {
  const attrs: Record<string, number> = {};
  for (const k of KEYS) if (rng() & 1) attrs[k] = rng() | 0;
  const pick = below(rng, 3);
  return {
    id: rng() | 0,
    score: nextFloat(rng) * 1e6 - 5e5,
    ratio: f32(rng),
    big: nextUint64(rng),
    ok: (rng() & 1) === 1,
    label: text(rng),
    payload: bytes(rng, 40),
    kind: Kind.symbols[below(rng, 3)]!,
    note: rng() & 1 ? text(rng) : null,
    parent: rng() & 1 ? item(rng) : null,
    items: Array.from({ length: below(rng, 4) }, () => item(rng)),
    at: [nextFloat(rng), -nextFloat(rng)] as [number, number],
    attrs,
    value: pick === 0 ? nextFloat(rng) : pick === 1 ? text(rng) : item(rng),
    code: rng() & 1 ? nextUint64(rng) : nextFloat(rng),
    blob: rng() & 1 ? bytes(rng, 8) : rng() | 0,
    pos: Float32Array.of(f32(rng), f32(rng), f32(rng)),
    weights: Float64Array.from({ length: below(rng, 5) }, () => nextFloat(rng)),
    counts: Int32Array.from({ length: below(rng, 5) }, () => rng() | 0),
    mask: bytes(rng, 6),
  };
}

export type StubRecord = ReturnType<typeof record>;

export const stubDefinition: DatasetDefinition<typeof STUB_SCHEMA> = {
  name: 'stub',
  description: 'every type kind, for the codec mapping tests',
  schema: STUB_SCHEMA,
  defaultN: 100,
  generate(n, seed) {
    const rng = createRng(seed);
    const out = new Array<StubRecord>(n);
    for (let i = 0; i < n; i++) out[i] = record(rng);
    return out;
  },
};

/** The stub under another name, every uint64 halved (below 2**63), and record 1 changed by `edge` (its path: `[1].<field>…`). */
export function withEdge(name: string, edge: (r: StubRecord) => void): DatasetDefinition<typeof STUB_SCHEMA> {
  return {
    ...stubDefinition,
    name,
    generate(n, seed) {
      const out = stubDefinition.generate(n, seed) as StubRecord[];
      for (const r of out) {
        r.big >>= 1n;
        if (typeof r.code === 'bigint') r.code >>= 1n;
      }
      if (n > 1) edge(out[1]!);
      return out;
    },
  };
}

/** An edge value for record 1 of `withEdge`: where it sits (the path a codec that loses it is lossy at; '' when none should). */
export interface StubEdge {
  readonly name: string;
  readonly path: string;
  readonly kind: string;
  readonly edge: (r: StubRecord) => void;
}

/** The edge values every codec test runs (each codec family's test says which it loses: design §5.3). */
export const STUB_EDGES: readonly StubEdge[] = [
  { name: 'neg-zero', path: '[1].score', kind: 'f64', edge: (r) => (r.score = -0) },
  { name: 'nan', path: '[1].score', kind: 'f64', edge: (r) => (r.score = Number.NaN) },
  { name: 'infinity', path: '[1].score', kind: 'f64', edge: (r) => (r.score = Number.NEGATIVE_INFINITY) },
  { name: 'lone-surrogate', path: '[1].label', kind: 'string', edge: (r) => (r.label = '\ud800x\udc00') },
  { name: 'uint64-max', path: '[1].big', kind: 'uint64', edge: (r) => (r.big = 2n ** 64n - 1n) },
  { name: 'vector-neg-zero', path: '[1].pos[1]', kind: 'vector', edge: (r) => (r.pos[1] = -0) },
  { name: 'vector-nan', path: '[1].pos[2]', kind: 'vector', edge: (r) => (r.pos[2] = Number.NaN) },
  {
    name: 'f32-extremes',
    path: '',
    kind: '',
    edge: (r) => {
      r.ratio = 2 ** -149;
      r.pos[0] = 3.4028234663852886e38;
    },
  },
  {
    name: 'empties',
    path: '',
    kind: '',
    edge: (r) => {
      Object.assign(r, {
        label: '',
        payload: new Uint8Array(0),
        items: [],
        attrs: {},
        weights: new Float64Array(0),
        counts: new Int32Array(0),
        mask: new Uint8Array(0),
      });
    },
  },
  {
    name: 'int-extremes',
    path: '',
    kind: '',
    edge: (r) => {
      r.id = -(2 ** 31);
      r.counts = Int32Array.of(2 ** 31 - 1, -(2 ** 31), 2 ** 30);
      r.score = 2 ** 53 + 2;
      r.weights = Float64Array.of(5e-324, 1 - 2 ** -53);
    },
  },
];
