import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('footprint run --codec-module examples/msgpack-records-codec.mjs', () => {
  it('measures the example codec in fresh processes with its round trip verified and its library version recorded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'footprint-records-run-'));
    try {
      const out = join(dir, 'r.json');
      const r = spawnSync(
        process.execPath,
        [
          'dist/bench/cli/main.js',
          'run',
          '--n',
          '300',
          '--repeats',
          '1',
          '--phases',
          'dump,load',
          '--codecs',
          'msgpack-records',
          '--codec-module',
          'examples/msgpack-records-codec.mjs',
          '--sample-ms',
          '0',
          '--memory-only',
          '--no-sizes',
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(await readFile(out, 'utf8')) as {
        cases: { codec: string; phase: string; state: string; runs: { verified: boolean }[] }[];
        environment: { packages: Record<string, string> };
      };
      expect(report.cases.map((c) => [c.codec, c.phase, c.state, c.runs.every((x) => x.verified)])).toEqual([
        ['msgpack-records', 'dump', 'ok', true],
        ['msgpack-records', 'load', 'ok', true],
      ]);
      expect(report.environment.packages.msgpackr).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
