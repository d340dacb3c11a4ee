/**
 * `footprint datasets` through the real CLI: the built-in list (name, default N, description, intrinsic
 * bytes, schema), `--describe` of a built-in and of a dataset module, `--infer` of a sample (what the
 * inference made of each field) and `--write-schema`, whose file `--data-schema` then accepts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getDataset, DATASET_NAMES } from '../bench/data/registry.js';
import { footprint } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-datasets-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = 'test/fixtures/untidy.ndjson';

describe('footprint datasets', () => {
  it('lists every built-in dataset: default N, description, intrinsic bytes a record, schema', async () => {
    const r = await footprint(['datasets']);
    expect(r.code, r.stderr).toBe(0);
    for (const name of DATASET_NAMES) {
      const ds = await getDataset(name);
      const head = r.stdout.split('\n').find((l) => l.startsWith(`${name.padEnd(10)} default N`));
      // the figure comes from the schema over the first 1,000 records, as the report's
      const e = ds.expect(1000, 42);
      expect(head).toBe(`${name.padEnd(10)} default N ${ds.defaultN.toLocaleString('en-US')}, ${(e.intrinsicBytes / 1000).toFixed(1)} B intrinsic a record`);
    }
    expect(r.stdout).toContain('           tuple Tuple [ f: f64, s: string, u: uint64 ]');
    expect(r.stdout).toContain('           the original experiment: [float in [0, 1), 20-letter string, uint64] tuples');
    expect(r.stdout).toContain('… 7 more types'); // documents: a few lines, not all of them
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('--describe: a built-in in full, and a dataset module checked as run checks it', async () => {
    const doc = await footprint(['datasets', '--describe', 'documents']);
    expect(doc.code, doc.stderr).toBe(0);
    expect(doc.stdout).toMatch(/^documents: nested player saves/);
    expect(doc.stdout).toContain('measure it with footprint run --datasets documents');
    expect(doc.stdout).toContain('  record RecipeBook { recipes: list<string>'); // the whole schema
    const mod = await footprint(['datasets', '--describe', 'examples/orders-dataset.mjs']);
    expect(mod.code, mod.stderr).toBe(0);
    expect(mod.stdout.split('\n').slice(0, 4)).toEqual([
      'orders: e-commerce orders: a customer, a status, two to six order lines, sometimes a note',
      expect.stringMatching(/^default N 200,000; \d+\.\d B intrinsic a record; measure it with footprint run --dataset-module examples\/orders-dataset\.mjs$/),
      'schema:',
      '  record Order { id: uint64, customer: string, total: f64, status: Status, items: list<Line>,',
    ]);
    const bad = join(dir, 'bad.mjs');
    writeFileSync(
      bad,
      `export const schema = { kind: 'record', name: 'R', fields: [] };\nexport const generate = (n) => Array.from({ length: n }, () => ({ x: 1 }));\n`,
    );
    const refused = await footprint(['datasets', '--describe', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`footprint: dataset module ${bad}: `);
    const unknown = await footprint(['datasets', '--describe', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      `footprint: --describe nope: no built-in dataset of that name (datasets: ${DATASET_NAMES.join(', ')}); a module ends in .mjs, .js or .cjs`,
    );
  });

  it('--infer: the schema a run would measure and what the inference made of each field; --write-schema starts a schema file', async () => {
    const schemaFile = join(dir, 'untidy.schema.json');
    const r = await footprint(['datasets', '--infer', FIXTURE, '--write-schema', schemaFile]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`${FIXTURE}: 10 records (1 blank line skipped), dataset untidy; inferred schema:`);
    expect(out).toContain('user: union<string, UntidyUser>');
    for (const note of [
      'id: uint64 (integers above 2^53)',
      'user: union (string in 30%, record in 70%)',
      'counters: map (40 distinct keys)',
      'extra: optional (absent or null in 50%)',
    ])
      expect(out).toContain(note);
    expect(out).toContain('records repeated to N = 100,000 (10,000 copies each): repetition makes the data more compressible');
    const written = JSON.parse(readFileSync(schemaFile, 'utf8'));
    expect(written.name).toBe('Untidy');
    // the written schema is accepted as --data-schema: every record fits it
    const again = await footprint(['datasets', '--infer', FIXTURE, '--data-schema', schemaFile]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`schema from ${schemaFile}, every record fits`);
    // --uint64 reaches the inference: a small integer typed uint64
    const forced = await footprint(['datasets', '--infer', FIXTURE, '--uint64', 'user.id']);
    expect(forced.stdout).toContain('user.id: uint64 (--uint64)');
  });

  it('refuses flags that need --infer, and a bad sample in one line (exit 2)', async () => {
    const stray = await footprint(['datasets', '--uint64', 'id']);
    expect([stray.code, stray.stderr.trim()]).toEqual([2, 'footprint: --uint64 needs --infer FILE']);
    const missing = await footprint(['datasets', '--infer', join(dir, 'none.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(new RegExp(`^footprint: ${join(dir, 'none.ndjson')}: cannot read the sample: .*ENOENT`));
    const schemaFile = join(dir, 'never.json');
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"a": 1}\n{"a": 2,\n');
    const r = await footprint(['datasets', '--infer', bad, '--write-schema', schemaFile]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(new RegExp(`^footprint: ${bad}: line 2: not JSON \\(`));
    expect(existsSync(schemaFile)).toBe(false);
  });

  it('is listed in the usage', async () => {
    const r = await footprint(['--help']);
    expect(r.stdout).toContain('  datasets   list the built-in datasets, describe one or a dataset module, infer the schema of a sample');
  });
});
