/**
 * The measured child takes a dataset (a7): `--dataset NAME`, the tuples when absent; a tuples
 * spec writes no `--dataset` (reproduce lines stay as they were); an unknown name is one line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
});
