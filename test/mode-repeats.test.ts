import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findModes, headline, modesOf } from '../bench/results/modes.js';
import { summarize } from '../bench/results/summary.js';
import { maxRunsFor, MIN_RUNS_PER_MODE, needsMoreRuns } from '../bench/run/mode-repeats.js';
import type { Report, RunResult } from '../bench/types.js';

const MiB = 1024 * 1024;
const mib = (vs: number[]) => vs.map((v) => v * MiB);

describe('findModes', () => {
  it('json load’s 290.8, 346.6, 290.3 MiB: two modes, 2 × 290.6 and 1 × 346.6', () => {
    const modes = findModes(mib([290.8, 346.6, 290.3]));
    expect(modes.map((m) => [m.count, Number((m.median / MiB).toFixed(2))])).toEqual([
      [2, 290.55],
      [1, 346.6],
    ]);
  });

  it('no modes in a figure that repeats, or wanders under the gap rules (ndjson dump 3.61 or 4.10 MiB; 100, 102.5, 105)', () => {
    expect(findModes(mib([347.0, 347.1, 347.2]))).toHaveLength(1);
    expect(findModes(mib([3.61, 3.61, 3.62, 4.1, 4.1]))).toHaveLength(1);
    expect(findModes(mib([100, 102.5, 105]))).toHaveLength(1);
    expect(findModes(mib([95.7, 97.7]))).toHaveLength(1); // two runs: a spread, not modes
  });

  it('three modes where the runs fall in three (Node 22 text load: 436.6, 436.8, 448.0, 450.2, 517.0 MiB)', () => {
    expect(findModes(mib([436.58, 436.75, 448.01, 450.18, 516.98])).map((m) => m.count)).toEqual([2, 2, 1]);
  });

  it('the summary keeps the modes of the memory increments only, and the headline is the upper mode', () => {
    const runs = [290.8, 346.6, 290.3].map((v, i) => ({ peakRssIncrementBytes: v * MiB, wallMs: [100, 200, 101][i]! })) as unknown as RunResult[];
    const s = summarize(runs);
    expect(s.peakRssIncrementBytes!.modes).toHaveLength(2);
    expect(headline(s.peakRssIncrementBytes!)).toBe(346.6 * MiB);
    expect(s.wallMs!.modes).toBeUndefined();
    expect(modesOf(mib([1, 1, 1]))).toBeUndefined();
  });
});

describe('needsMoreRuns', () => {
  const runs = (rss: number[]): RunResult[] => rss.map((v) => ({ peakRssIncrementBytes: v * MiB }) as unknown as RunResult);
  const cap = maxRunsFor(3);

  it('asks for runs until every mode of a figure has 3, up to the cap of 10 at 3 repeats', () => {
    expect(MIN_RUNS_PER_MODE).toBe(3);
    expect(cap).toBe(10);
    expect(needsMoreRuns(runs([290.8, 346.6, 290.3]), cap)).toBe(true);
    expect(needsMoreRuns(runs([290.8, 346.6, 290.3, 346.5, 290.5, 346.7]), cap)).toBe(false);
    expect(needsMoreRuns(runs([290.8, 346.6, 290.3, 290.4, 290.5, 290.6, 290.1, 290.2, 290.9, 290.7]), cap)).toBe(false); // the cap
    expect(needsMoreRuns(runs([347, 347.1, 347.2]), cap)).toBe(false);
  });

  it('not for modes closer than compare’s floor (the arrow dump’s 2 MiB chunk)', () => {
    expect(findModes(mib([95.7, 97.7, 97.7, 95.7, 97.7]))).toHaveLength(2);
    expect(needsMoreRuns(runs([95.7, 97.7, 97.7]), cap)).toBe(false);
  });
});

describe('footprint run: runs added to a case whose memory figure falls in modes', () => {
  it('a dump with 40 MiB more every third run gets runs until each mode has 3, recorded in the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'footprint-modes-'));
    try {
      const out = join(dir, 'r.json');
      const r = spawnSync(
        process.execPath,
        [
          'dist/bench/cli/main.js',
          'run',
          '--n',
          '2000',
          '--repeats',
          '3',
          '--jobs',
          '1',
          '--phases',
          'dump',
          '--codecs',
          'two-mode',
          '--codec-module',
          'test/fixtures/two-mode-codec.mjs',
          '--sample-ms',
          '0',
          '--memory-only',
          '--no-sizes',
          '--out',
          out,
        ],
        { encoding: 'utf8', env: { ...process.env, FOOTPRINT_TEST_COUNTER: join(dir, 'counter') } },
      );
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(await readFile(out, 'utf8')) as Report;
      const c = report.cases[0]!;
      expect(report.config.modeRepeats).toEqual({ minPerMode: 3, maxRuns: 10 });
      expect(c.runs).toHaveLength(9);
      expect(c.addedRuns).toBe(6);
      expect(c.runs.every((x) => x.verified)).toBe(true);
      expect(c.summary.peakRssIncrementBytes!.modes!.map((m) => m.count)).toEqual([6, 3]);
      expect(r.stderr + r.stdout).toMatch(/modes: two-mode dump: a memory figure fell in modes/);
      // the table leads with the upper mode and lists the modes
      const md = await readFile(out.replace(/\.json$/, '.md'), 'utf8');
      expect(md).toContain('median of 3 fresh processes per case (up to 9 for the case whose runs fell in modes: the upper mode is the figure)');
      expect(md).toMatch(/\| two-mode \| dump \| — \| \+4\d\.\d MiB upper of 6 × \+\d\.\d MiB, 3 × \+4\d\.\d MiB \|/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
