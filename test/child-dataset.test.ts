/**
 * The measured child takes a dataset (a7): `--dataset NAME`, the tuples when absent; a tuples
 * spec writes no `--dataset` (reproduce lines stay as they were); an unknown name is one line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tuples } from '../bench/data/builtin.js';
import { specToArgs } from '../bench/measure/protocol.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'footprint-child-ds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CHILD = 'dist/bench/measure/child.js';
const base = { codec: 'json', phase: 'dump' as const, n: 200, seed: 42, file: join(dir, 'x.json'), codecModules: [] };

describe('child --dataset', () => {
  it('writes --dataset only for another dataset than the tuples', () => {
    expect(specToArgs(base)).not.toContain('--dataset');
    expect(specToArgs({ ...base, dataset: 'tuples' })).not.toContain('--dataset');
    expect(specToArgs({ ...base, dataset: 'logs' }).slice(-2)).toEqual(['--dataset', 'logs']);
  });

  it('measures the tuples by default and with --dataset tuples, verified', async () => {
    for (const extra of [[], ['--dataset', 'tuples']]) {
      const { stdout } = await run(process.execPath, ['--expose-gc', CHILD, ...specToArgs(base), '--expect', tuples.expectedChecksum(200, 42), ...extra]);
      expect(JSON.parse(stdout.slice(stdout.indexOf('{')))).toMatchObject({ verified: true, uint64: 'exact' });
    }
  });

  it('reads --dataset: an unknown dataset is refused, naming the known ones', async () => {
    const err = await run(process.execPath, ['--expose-gc', CHILD, ...specToArgs({ ...base, dataset: 'nope' })]).catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).toMatch(/unknown dataset 'nope' \(datasets: tuples, logs, mesh, documents, blobs\)/);
  });

  it("--dataset-module: the child imports the reader's module, generates there and verifies through its schema", async () => {
    // a codec module that carries any dataset as JSON with BigInts as strings (the built-in codecs' mappings are separate work)
    const codecPath = join(dir, 'any-json.mjs');
    writeFileSync(
      codecPath,
      `import { readFile, writeFile } from 'node:fs/promises';
const isU64 = (t) => t.kind === 'uint64';
export const codec = { name: 'any-json', kind: 'whole', extension: 'json', description: 'JSON of any record whose uint64 fields are top-level',
  forDataset(ds) {
    const u64 = ds.schema.fields.filter((f) => isU64(f.type)).map((f) => f.name);
    return {
      dump: (rows, path) => writeFile(path, JSON.stringify(rows, (k, v) => (typeof v === 'bigint' ? String(v) : v))),
      load: async (path) => { const rows = JSON.parse(await readFile(path, 'utf8')); for (const r of rows) for (const k of u64) r[k] = BigInt(r[k]); return rows; },
    };
  },
  dump() { throw new Error('tuples only through forDataset'); }, load() { throw new Error('unused'); } };
`,
    );
    const spec = { ...base, codec: 'any-json', codecModules: [codecPath], dataset: 'orders', datasetModule: 'examples/orders-dataset.mjs' };
    expect(specToArgs(spec).slice(-4)).toEqual(['--dataset', 'orders', '--dataset-module', 'examples/orders-dataset.mjs']);
    for (const phase of ['dump', 'load'] as const) {
      if (phase === 'load') await run(process.execPath, ['--expose-gc', CHILD, ...specToArgs({ ...spec, phase: 'prepare' })]);
      const { stdout } = await run(process.execPath, ['--expose-gc', CHILD, ...specToArgs({ ...spec, phase })]);
      expect(JSON.parse(stdout.slice(stdout.indexOf('{'))), phase).toMatchObject({ verified: true, uint64: 'exact' });
    }
    const wrong = await run(process.execPath, ['--expose-gc', CHILD, ...specToArgs({ ...spec, dataset: 'sales' })]).catch((e: { stderr: string }) => e);
    expect((wrong as { stderr: string }).stderr).toContain("defines the dataset 'orders', not 'sales'");
  });
});
