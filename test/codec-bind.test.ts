/**
 * Every codec binds to a dataset (the contract's forDataset, bench/codecs/bind.ts): the tuples with
 * the functions it always had (the same bytes on disk); any other dataset through its format's
 * mapping (issue 24: test/codec-datasets.test.ts) or, until it has one, unsupported.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bindCodec, isUnsupported, tuplesOnly, unsupportedText } from '../bench/codecs/bind.js';
import { codecProblems } from '../bench/codecs/external.js';
import { CODECS } from '../bench/codecs/index.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { tuples } from '../bench/data/builtin.js';
import { t } from '../bench/data/schema.js';
import type { Codec, DatasetCodec } from '../bench/types.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-bind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const data = generateTuples(300, 11);
/** Codecs with a mapping from the schema (issue 24): they bind other datasets too. */
const MAPPED = new Set([
  'json',
  'ndjson',
  'json-stream',
  'v8',
  'v8-stream',
  'msgpack',
  'msgpack-stream',
  'msgpack-js',
  'cbor',
  'cbor-stream',
  'bson',
  'bson-stream',
  'protobuf',
  'protobuf-stream',
  'avro',
  'avro-stream',
  'columnar',
  'arrow',
  'arrow-stream',
  'arrow-rows',
  'text',
  'text-stream',
  'text-to-columnar',
]);

describe('codec binding', () => {
  it.each(CODECS.map((c) => [c.name, c] as const))(
    '%s: binds the tuples to its own dump and load (same bytes), other datasets only with a mapping',
    async (name, codec) => {
      expect(codec.forDataset).toBeTypeOf('function');
      const bound = codec.forDataset!(tuples.info);
      expect(isUnsupported(bound)).toBe(false);
      const b = bound as DatasetCodec;
      await codec.init?.();
      const mine = join(dir, `${name}-codec.${codec.extension}`);
      const viaBinding = join(dir, `${name}-bound.${codec.extension}`);
      await codec.dump(data, mine);
      await b.dump(data, viaBinding);
      expect(sha(viaBinding)).toBe(sha(mine));
      expect(tuples.checksum(await b.load(viaBinding))).toBe(tuples.checksum(await codec.load(mine))); // bson is lossy for the tuples: equal, not necessarily exact
      const other = codec.forDataset!({ name: 'orders', schema: t.record('Order', { id: t.int32() }), fingerprint: 'x' });
      if (MAPPED.has(name)) expect(isUnsupported(other)).toBe(false);
      else expect(isUnsupported(other) && unsupportedText(other)).toBe(`n/a: ${name} has no mapping for the dataset orders yet (it carries the tuples only)`);
    },
  );

  it('a tuples schema under another fingerprint is another dataset', () => {
    expect(isUnsupported(tuplesOnly(CODECS[0]!, { ...tuples.info, fingerprint: '0'.repeat(64) }))).toBe(true);
  });

  it('a codec without forDataset (a module written for the tuples) carries the tuples only', async () => {
    const calls: string[] = [];
    const legacy: Codec = {
      name: 'legacy',
      kind: 'whole',
      extension: 'x',
      description: 'old',
      dump: async () => void calls.push('dump'),
      load: async () => {
        calls.push('load');
        return [];
      },
    };
    const b = bindCodec(legacy, tuples.info) as DatasetCodec;
    await b.dump([], 'f');
    await b.load('f');
    expect(calls).toEqual(['dump', 'load']);
    expect(isUnsupported(bindCodec(legacy, { name: 'orders', schema: {}, fingerprint: 'x' }))).toBe(true);
  });

  it('a codec module with a forDataset that is no function is refused', () => {
    const problems = codecProblems({ name: 'm', kind: 'whole', extension: 'm', description: 'd', dump() {}, load() {}, forDataset: 3 });
    expect(problems).toEqual(['`forDataset` must be a function forDataset(dataset) returning { dump, load } or { unsupported, path }, got number 3']);
  });

  it('a mapped rows load that decodes to values that are not records of the schema fails with a CodecError naming codec and file', async () => {
    const { getDataset } = await import('../bench/data/registry.js');
    const logs = await getDataset('logs');
    const ref = { name: logs.name, schema: logs.schema, fingerprint: logs.info.fingerprint };
    const json = CODECS.find((c) => c.name === 'json')!;
    const ndjson = CODECS.find((c) => c.name === 'ndjson')!;
    const file = join(dir, 'logs.json');
    await (bindCodec(json, ref) as DatasetCodec).dump(logs.generate(5, 3), file);
    // the whole JSON array is one NDJSON line: one "record" that is an array of 5
    await expect((bindCodec(ndjson, ref) as DatasetCodec).load(file)).rejects.toThrow(`ndjson: ${file}: record 0 is not a Log record: an array of 5`);
    const { checkRecords } = await import('../bench/codecs/bind.js');
    expect(() => checkRecords('x', 'f', t.tuple('P', [t.field('a', t.f64())]), [[1], [2, 3]] as never)).toThrow(
      'x: f: record 1 is not a P tuple of 1: an array of 2',
    );
    expect(checkRecords('x', 'f', t.tuple('P', [t.field('a', t.f64())]), [[1]] as never)).toEqual([[1]]);
  });
});
