/**
 * Every registered codec's `load` against seeded mutations of a small valid
 * file: each must end in a CodecError naming codec and file, or data that
 * fails (lossy) or passes (unchanged) verification; never a foreign error, a
 * crash or a hang. FOOTPRINT_FUZZ_COUNT=1000 for the full run.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bindCodec, isUnsupported } from '../bench/codecs/bind.js';
import { CODECS } from '../bench/codecs/index.js';
import { DATASET_NAMES, datasetRef, getDataset } from '../bench/data/registry.js';
import { makeMutations } from '../bench/fuzz/mutate.js';
import { fuzzCodec, runInputs, type FuzzSummary } from '../bench/fuzz/runner.js';
import { FUZZ_OUTCOMES, inputPath } from '../bench/fuzz/protocol.js';
import { columnsOf, markdownTable } from '../bench/report/table.js';

const COUNT = Number(process.env.FOOTPRINT_FUZZ_COUNT ?? 100);
/** Mutations per codec on each other dataset: fewer, as those are 4 × the codecs (the mutation kinds are the same). */
const DATASET_COUNT = Number(process.env.FOOTPRINT_FUZZ_DATASET_COUNT ?? 30);
const SEED = Number(process.env.FOOTPRINT_FUZZ_SEED ?? 7);
const dir = mkdtempSync(join(tmpdir(), 'footprint-fuzz-'));
const summaries: FuzzSummary[] = [];
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (summaries.length === 0) return;
  const rows = summaries.map((s) => [s.dataset, s.codec, String(s.count), ...FUZZ_OUTCOMES.map((o) => String(s.counts[o]))]);
  console.log(
    `fuzz: ${COUNT} mutations per codec on the tuples, ${DATASET_COUNT} on each other dataset, seed ${SEED}\n${markdownTable(
      columnsOf(['dataset', 'codec', 'inputs', ...FUZZ_OUTCOMES], (_, i) => i > 1),
      rows,
    )}`,
  );
});

describe('mutations', () => {
  it('are reproducible from the seed and index, whatever the count', () => {
    const valid = new Uint8Array(Array.from({ length: 200 }, (_, i) => i & 0xff));
    const others = [{ name: 'x', bytes: Uint8Array.of(1, 2, 3) }];
    const a = makeMutations(valid, others, 5, 50);
    const b = makeMutations(valid, others, 5, 300).slice(0, 50);
    expect(b).toEqual(a);
    expect(makeMutations(valid, others, 6, 50)).not.toEqual(a);
    expect(a[0]).toMatchObject({ kind: 'empty', bytes: new Uint8Array(0) });
    expect(a[1]).toMatchObject({ kind: 'other-format', bytes: others[0]!.bytes });
    const kinds = new Set(makeMutations(valid, others, 5, 300).map((m) => m.kind));
    expect([...kinds].sort()).toEqual([
      'delete-byte',
      'empty',
      'flip-bit',
      'insert-byte',
      'multi-byte',
      'other-format',
      'random-bytes',
      'set-byte',
      'truncate',
    ]);
    const same = (x: Uint8Array, y: Uint8Array): boolean => Buffer.from(x).equals(Buffer.from(y));
    for (const m of a.slice(2)) if (['flip-bit', 'truncate', 'insert-byte', 'delete-byte'].includes(m.kind)) expect(same(m.bytes, valid)).toBe(false);
    // a Buffer input (what readFileSync returns) is never written into: each mutation is of the original
    const buf = Buffer.from(valid);
    makeMutations(buf, others, 5, 300);
    expect(same(buf, valid)).toBe(true);
  });
});

describe('the fuzz harness', () => {
  it('reports crashes, hangs and foreign errors per input and resumes after each', async () => {
    const words = ['BAD', 'SEGV', 'BAD', 'HANG', 'FOREIGN', 'ABORT', 'UNNAMED', 'JUNK', 'LOSSY', 'BAD'];
    const d = join(dir, 'harness');
    mkdirSync(d);
    for (const [i, w] of words.entries()) writeFileSync(inputPath(d, { extension: 'evil' }, i), w);
    const { results, children } = await runInputs({
      codec: 'evil',
      dir: d,
      count: words.length,
      expect: 'unused',
      loadTimeoutMs: 1500,
      codecModules: [resolve('test/fixtures/evil-codec.mjs')],
    });
    expect(results.map((r) => r.outcome)).toEqual([
      'codec-error',
      'crash',
      'codec-error',
      'hang',
      'foreign-error',
      'crash',
      'foreign-error',
      'invalid-data',
      'lossy',
      'codec-error',
    ]);
    expect(results[1]!.message).toMatch(/SIGSEGV/);
    expect(results[5]!.message).toMatch(/SIGABRT/);
    expect(results[4]!.message).toMatch(/TypeError: not wrapped/);
    expect(children).toBe(4);
  });
});

describe.each(CODECS.map((c) => [c.name, c] as const))('fuzzing %s load', (_name, codec) => {
  it(`${COUNT} seeded mutations each end in a CodecError naming codec and file, lossy or unchanged data`, async () => {
    const s = await fuzzCodec({ codec, all: CODECS, count: COUNT, seed: SEED, dir: join(dir, codec.name) });
    summaries.push(s);
    const total = FUZZ_OUTCOMES.reduce((sum, o) => sum + s.counts[o], 0);
    expect(total).toBe(COUNT);
    // printed in full on failure: index, mutation and what happened, enough to re-make the input
    expect(s.problems).toEqual([]);
    // most mutations of a 20-tuple file break it: a harness that classifies everything as 'unchanged' is broken
    expect(s.counts['codec-error'] + s.counts.lossy).toBeGreaterThan(COUNT / 2);
  }, 120_000);
});

/** Every other built-in dataset with each codec that can carry it (the n/a ones have no load to fuzz). */
const OTHER_DATASETS = await Promise.all(DATASET_NAMES.filter((n) => n !== 'tuples').map((n) => getDataset(n)));
const PAIRS = OTHER_DATASETS.flatMap((ds) =>
  CODECS.filter((c) => !isUnsupported(bindCodec(c, datasetRef(ds)))).map((c) => [`${ds.name} ${c.name}`, ds, c] as const),
);

describe('fuzzing every other dataset', () => {
  it('fuzzes each (dataset, codec) a binding carries', () => {
    // the schema-less codecs carry every built-in dataset: a filter that drops them all is broken
    for (const ds of OTHER_DATASETS) expect(PAIRS.filter(([, d]) => d === ds).length).toBeGreaterThanOrEqual(12);
  });
});

describe.each(PAIRS)('fuzzing %s load', (label, dataset, codec) => {
  it(`${DATASET_COUNT} seeded mutations of its records each end in a CodecError naming codec and file, lossy or unchanged data`, async () => {
    const s = await fuzzCodec({ codec, all: CODECS, count: DATASET_COUNT, seed: SEED, dir: join(dir, label.replace(' ', '-')), dataset });
    summaries.push(s);
    expect(s.dataset).toBe(dataset.name);
    expect(FUZZ_OUTCOMES.reduce((sum, o) => sum + s.counts[o], 0)).toBe(DATASET_COUNT);
    expect(s.problems).toEqual([]);
    expect(s.counts['codec-error'] + s.counts.lossy).toBeGreaterThan(DATASET_COUNT / 2);
  }, 120_000);
});
