/**
 * End to end, the real CLI: `--datasets all` measures every built-in dataset, each in its own
 * section of the report, a format that cannot carry one n/a there with its reason; a tuples-only run
 * is the run it was before datasets (same cases, same reproduce lines, one-dataset report).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '../bench/data/registry.js';
import type { Report } from '../bench/types.js';
import { footprint } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-datasets-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = ['--codecs', 'json,v8', '--phases', 'dump,load', '--repeats', '1', '--memory-only', '--no-sizes', '--sample-ms', '0'];

describe('footprint run --datasets (end to end)', () => {
  it('--datasets all --n 200: every built-in dataset, in the registry order, its cases ok or n/a with a reason, a section each', async () => {
    const out = join(dir, 'all.json');
    const r = await footprint(['run', '--datasets', 'all', '--n', '200', ...SMALL, '--out', out]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.config.datasets).toEqual(DATASET_NAMES.map((name) => ({ name, n: [200] })));
    expect(Object.keys(report.datasets)).toEqual([...DATASET_NAMES]);
    for (const name of DATASET_NAMES) {
      const cases = report.cases.filter((c) => c.dataset === name);
      expect(cases.map((c) => `${c.codec} ${c.phase}`)).toEqual(['json dump', 'json load', 'v8 dump', 'v8 load']);
      for (const c of cases) {
        if (c.state === 'n/a') {
          expect(c.runs).toEqual([]);
          expect(c.error).toMatch(/^n\/a: \S.*/);
        } else expect(['ok', 'lossy']).toContain(c.state);
      }
    }
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    if (DATASET_NAMES.length > 1) {
      let at = -1;
      for (const name of DATASET_NAMES) {
        const here = md.indexOf(`## Dataset \`${name}\``);
        expect(here, name).toBeGreaterThan(at);
        at = here;
      }
    }
    for (const c of report.cases.filter((x) => x.state === 'n/a')) expect(md).toContain(c.error!.replace(/^n\/a: /, ''));
    // sizeof: the first record of every dataset but the tuples joins the values; the tuples keep their model
    expect(report.sizeof!.values.filter((v) => v.source === 'dataset').map((v) => v.label)).toEqual(
      DATASET_NAMES.filter((n) => n !== 'tuples').map((n) => `${n} record [0] (seed 42)`),
    );
    expect(report.sizeof!.tupleModel).toBeDefined();
  });

  it('a run without the tuples shows no per-tuple model in its sizeof section', async () => {
    const out = join(dir, 'logs.json');
    const r = await footprint(['run', '--datasets', 'logs', '--n', '200', ...SMALL, '--codecs', 'json', '--out', out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.sizeof!.tupleModel).toBeUndefined();
    expect(report.sizeof!.values.filter((v) => v.source === 'dataset').map((v) => v.label)).toEqual(['logs record [0] (seed 42)']);
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).not.toContain('Per-tuple model');
  });

  it('a tuples-only run is the run it was: no --datasets and --datasets tuples give the same cases, reproduce lines and report layout', async () => {
    const plain = join(dir, 'plain.json');
    const named = join(dir, 'named.json');
    const a = await footprint(['run', '--n', '200', ...SMALL, '--out', plain]);
    const b = await footprint(['run', '--datasets', 'tuples', '--n', '200', ...SMALL, '--out', named]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const ra = JSON.parse(readFileSync(plain, 'utf8')) as Report;
    const rb = JSON.parse(readFileSync(named, 'utf8')) as Report;
    const shape = (r: Report) => r.cases.map((c) => [c.dataset, c.codec, c.phase, c.n, c.state, c.reproduce.replace(/\/tmp\/\S+/g, 'FILE')]);
    expect(shape(ra)).toEqual(shape(rb));
    expect(ra.config.datasets).toEqual([{ name: 'tuples', n: [200] }]);
    // the reproduce lines say nothing of a dataset, as before datasets
    for (const c of ra.cases) expect(c.reproduce).not.toMatch(/--dataset/);
    const md = readFileSync(plain.replace(/\.json$/, '.md'), 'utf8');
    expect(md).not.toContain('## Dataset');
    expect(md).toContain('## Every case');
    expect(md).toMatch(/^- N = 200: intrinsic 0\.0 MiB \(36 B a tuple\), in V8's heap/m);
    expect(a.stderr).toMatch(/footprint: 4 cases × 1 repeat, N = 200, /);
  });

  it('refuses an unknown dataset and an N for a dataset not in the run, with one line and exit 2', async () => {
    const bad = await footprint(['run', '--datasets', 'tuples,nope', '--n', '200', ...SMALL, '--out', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^footprint: --datasets: unknown dataset 'nope'; datasets: .*, or all$/);
    const other = await footprint(['run', '--n', 'nope=5', ...SMALL, '--out', join(dir, 'bad2.json')]);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toMatch(/--n nope=5: 'nope' is not a dataset of this run/);
  });
});
