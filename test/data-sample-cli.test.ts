/**
 * `footprint run --data sample.ndjson` through the real CLI (design §7.2): the untidy sample (a map with
 * arbitrary keys, a string|object union, nulls, a long string, integers above 2^53) inferred, printed
 * once, repeated to N and measured by every schema-less codec in children that read the sample again;
 * the report records its source; `--uint64` and `--data-schema` reach the children; every bad input is
 * one line naming the file (and the line), exit 2, and nothing written.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readerSpec, specToArgs } from '../bench/measure/protocol.js';
import { renderSizesMarkdown } from '../bench/report/sizes.js';
import type { Report } from '../bench/types.js';
import { footprint } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-data-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['--repeats', '1', '--phases', 'dump,load', '--memory-only', '--no-sizes', '--sample-ms', '0'];

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The untidy fixture plus one record holding a 100 KiB string (tracked files stay small: written here). */
const LONG = 'é'.repeat(50 * 1024);
const untidy = file(
  'untidy.ndjson',
  `${readFileSync('test/fixtures/untidy.ndjson', 'utf8')}${JSON.stringify({ id: 3, ts: 't', level: 'info', user: 'x', tags: {}, counters: {}, score: 1, ok: true, items: [], extra: LONG, gone: null, delta: 0 })}\n`,
);

const cases = (report: Report, dataset: string): string[] => report.cases.filter((c) => c.dataset === dataset).map((c) => `${c.codec} ${c.phase} ${c.state}`);

describe('footprint run --data (the real CLI)', () => {
  it('the untidy sample: inferred and printed once, repeated to N, the schema-less codecs measure it, n/a with a reason where a format has no mapping', async () => {
    const out = join(dir, 'untidy', 'r.json');
    const r = await footprint(['run', '--data', untidy, '--n', '40', '--codecs', 'json,v8,msgpack,cbor,bson,text', ...SMALL, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    // printed once, before anything runs: the schema and what the inference made of each field
    expect(r.stderr.split('inferred schema:')).toHaveLength(2);
    expect(r.stderr.indexOf('inferred schema:')).toBeLessThan(r.stderr.indexOf('footprint: '));
    for (const line of [
      `${untidy}: 11 records (1 blank line skipped), dataset untidy; inferred schema:`,
      'user: union<string, UntidyUser>',
      'id: uint64 (integers above 2^53) · user: union (string in 36%, record in 64%)',
      'counters: map (40 distinct keys)',
      'extra: optional (absent or null in 45%)',
      'extra: strings up to 100.0 KiB',
      'records repeated to N = 40 (3 or 4 copies each): repetition makes the data more compressible',
    ])
      expect(r.stderr).toContain(line);

    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.config.datasets).toEqual([{ name: 'untidy', n: [40] }]); // --data alone: its dataset only
    expect(cases(report, 'untidy')).toEqual([
      'json dump ok',
      'json load ok',
      'v8 dump ok',
      'v8 load ok',
      'msgpack dump ok',
      'msgpack load ok',
      'cbor dump ok',
      'cbor load ok',
      'bson dump lossy',
      'bson load lossy',
      'text dump n/a',
      'text load n/a',
    ]);
    // bson's Int64 is signed: the sample's 2^64 - 1 comes back negative, named by its path
    const bson = report.cases.find((c) => c.codec === 'bson' && c.phase === 'load')!;
    expect(bson.error).toMatch(/record 1: \.id uint64 18446744073709551615 came back as -1/);
    const text = report.cases.find((c) => c.codec === 'text')!;
    expect(text.error).toMatch(/^n\/a: \S/);

    // the source: the file, its SHA-256, how many records it holds, the flags that shaped its schema
    const info = report.datasets.untidy!;
    expect(info.source).toEqual({
      kind: 'sample',
      path: resolve(untidy),
      sha256: createHash('sha256').update(readFileSync(untidy)).digest('hex'),
      sampleRecords: 11,
      uint64Paths: [],
    });
    expect(info.notes).toContain('user: union (string in 36%, record in 64%)');
    expect(info.notes?.at(-1)).toMatch(
      /^the N records repeat the 11 sample records .*repetition makes the data more compressible and can favour formats that deduplicate/,
    );
    // every child read the sample itself: its reproduce line names it
    const json = report.cases.find((c) => c.codec === 'json' && c.phase === 'dump')!;
    expect(json.reproduce).toContain(`--dataset untidy --data ${resolve(untidy)}`);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toContain(`From the sample \`${resolve(untidy)}\` (SHA-256 \`${info.source!.sha256.slice(0, 12)}…\`, 11 records; schema inferred).`);
    expect(md).toContain('- the N records repeat the 11 sample records');
  });

  it('--uint64 and --data-schema reach the measured children (their records verify against the parent’s)', async () => {
    const small = file('ids.ndjson', '{"id": 1, "name": "a", "blob": "AAEC"}\n{"id": 2, "name": "b", "blob": ""}\n');
    const out1 = join(dir, 'uint64', 'r.json');
    const r1 = await footprint(['run', '--data', small, '--uint64', 'id', '--n', '50', '--codecs', 'v8', ...SMALL, '--out', out1]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toContain('record Ids { id: uint64, name: string, blob: string }');
    const rep1 = JSON.parse(readFileSync(out1, 'utf8')) as Report;
    expect(cases(rep1, 'ids')).toEqual(['v8 dump ok', 'v8 load ok']);
    expect(rep1.datasets.ids!.source).toMatchObject({ kind: 'sample', uint64Paths: ['id'] });
    expect(rep1.cases[0]!.reproduce).toMatch(/--data \S+ids\.ndjson --data-sha256 [0-9a-f]{64} --uint64 id$/);

    const schema = file(
      'ids.schema.json',
      JSON.stringify({
        kind: 'record',
        name: 'Ids',
        fields: [
          { name: 'id', type: { kind: 'uint64' } },
          { name: 'name', type: { kind: 'string' } },
          { name: 'blob', type: { kind: 'bytes' } },
        ],
      }),
    );
    const out2 = join(dir, 'schema', 'r.json');
    const r2 = await footprint(['run', '--data', small, '--data-schema', schema, '--n', '50', '--codecs', 'v8', ...SMALL, '--out', out2]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toContain(`schema from ${schema}, every record fits:`);
    const rep2 = JSON.parse(readFileSync(out2, 'utf8')) as Report;
    expect(cases(rep2, 'ids')).toEqual(['v8 dump ok', 'v8 load ok']);
    expect(rep2.datasets.ids!.source).toMatchObject({ kind: 'sample', schemaFile: resolve(schema), uint64Paths: [] });
    expect(rep2.cases[0]!.reproduce).toContain(`--data-schema ${resolve(schema)}`);
  });

  it('a child that reads another sample than the parent did (the file changed) stops, naming it', async () => {
    const small = file('changed.ndjson', '{"id": 1}\n');
    const spec = { codec: 'v8', phase: 'prepare' as const, n: 5, seed: 42, file: join(dir, 'changed.v8'), codecModules: [], dataset: 'changed' };
    const args = specToArgs({ ...spec, ...readerSpec({ kind: 'sample', path: small, sha256: '0'.repeat(64), sampleRecords: 1, uint64Paths: [] }) });
    const err = await promisify(execFile)(process.execPath, ['--expose-gc', 'dist/bench/measure/child.js', ...args]).catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).toContain(`child: ${small} changed since the run read it (SHA-256 `);
    expect(existsSync(spec.file)).toBe(false);
  });

  it('the sizes table says once that a repeated sample flatters every compressed size', () => {
    const row = {
      dataset: 'ids',
      codec: 'json',
      n: 2000,
      rawBytes: 513_601,
      gzip: { bytes: 3808, ms: 36, level: 6 },
      brotli: { bytes: 653, ms: 22, level: 5 },
      zstd: 'n/a' as const,
    };
    const info = { name: 'ids', description: 'd', schema: {}, fingerprint: 'f', lines: [], defaultN: 100_000, intrinsicBytesPerRecord: 112 };
    const sample = { kind: 'sample' as const, path: '/x/ids.ndjson', sha256: '0'.repeat(64), sampleRecords: 10, uint64Paths: [] };
    const md = renderSizesMarkdown({ sizes: [row], datasets: { ids: { ...info, source: sample } } });
    expect(md.split("A repeated sample: the N records repeat the sample's 10 records, so every compressed size flatters its format")).toHaveLength(2);
    expect(renderSizesMarkdown({ sizes: [row], datasets: { ids: info } })).not.toContain('repeated sample');
  });

  it('records a dataset module’s SHA-256 beside its path', async () => {
    const out = join(dir, 'module', 'r.json');
    const r = await footprint([
      'run',
      '--dataset-module',
      'examples/orders-dataset.mjs',
      '--n',
      '50',
      '--codecs',
      'v8',
      ...SMALL,
      '--phases',
      'dump',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.datasets.orders!.source).toEqual({
      kind: 'module',
      path: resolve('examples/orders-dataset.mjs'),
      sha256: createHash('sha256').update(readFileSync('examples/orders-dataset.mjs')).digest('hex'),
    });
  });

  describe('a bad sample: one line naming the file (and the line), exit 2, nothing written', () => {
    const refused = async (name: string, args: string[], want: string | RegExp): Promise<void> => {
      const out = join(dir, `bad-${name}`, 'r.json');
      const r = await footprint(['run', ...args, '--n', '20', '--codecs', 'v8', ...SMALL, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      if (typeof want === 'string') expect(lines[0]).toBe(`footprint: ${want}`);
      else expect(lines[0]).toMatch(want);
      expect(existsSync(join(dir, `bad-${name}`))).toBe(false);
    };
    const good = '{"id": 1, "name": "a"}\n';

    it('a missing file, a line that is not JSON, an empty file', async () => {
      const missing = join(dir, 'missing.ndjson');
      await refused('missing', ['--data', missing], new RegExp(`^footprint: ${missing}: cannot read the sample: .*ENOENT`));
      const notJson = file('notjson.ndjson', `${good}${good}{"id": 3, "name": }\n`);
      await refused('notjson', ['--data', notJson], new RegExp(`^footprint: ${notJson}: line 3: not JSON \\(.+\\)$`));
      const empty = file('empty.ndjson', '');
      await refused('empty', ['--data', empty], `${empty}: no records (an empty file)`);
    });

    it('a record that does not fit the --data-schema, a --uint64 path the sample does not hold, flags without --data', async () => {
      const sample = file('misfit.ndjson', `${good}{"id": "two", "name": "b"}\n`);
      const schema = file(
        'misfit.schema.json',
        JSON.stringify({
          kind: 'record',
          name: 'M',
          fields: [
            { name: 'id', type: { kind: 'int32' } },
            { name: 'name', type: { kind: 'string' } },
          ],
        }),
      );
      await refused('misfit', ['--data', sample, '--data-schema', schema], `${sample}: line 2: .id is a string, expected int32`);
      const ok = file('ok.ndjson', good);
      await refused(
        'uint64',
        ['--data', ok, '--uint64', 'user.id'],
        `${ok}: --uint64 user.id: no number at that path in the sample (paths look like a.b, items[].id, tags{})`,
      );
      await refused('alone', ['--uint64', 'id'], '--uint64 needs --data FILE');
    });
  });
});
