/** End to end: the real CLI, compiled, at small N. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../bench/types.js';
import { footprint } from './helpers/cli.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'footprint-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('footprint run (end to end)', () => {
  it('measures the four whole-document formats and the clone phase, and writes a complete report', async () => {
    const out = join(dir, 'e2e', 'report.json');
    const r = await footprint([
      'run',
      '--n',
      '3000',
      '--repeats',
      '2',
      '--codecs',
      'json,v8,msgpack,text',
      '--sample-ms',
      '2',
      '--batch',
      '200',
      '--bench-time',
      '20',
      '--bench-iterations',
      '3',
      '--warmup-time',
      '0',
      '--warmup-iterations',
      '1',
      '--out',
      out,
    ]);
    expect(r.stderr).toMatch(/\[10\/10\] v8-serialize-clone clone/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.schemaVersion).toBe(3);
    expect(report.interrupted).toBe(false);
    expect(report.finishedAt).not.toBeNull();
    expect(report.environment.node).toBe(process.version);
    expect(report.environment.packages).toHaveProperty('msgpackr');
    expect(report.environment.packages).toHaveProperty('papaparse');
    expect(report.environment.nodeFlags).toEqual(expect.arrayContaining(['--expose-gc', '--single-threaded-gc', '--no-concurrent-recompilation']));
    expect(report.config).toMatchObject({ n: [3000], seed: 42, repeats: 2, phases: ['dump', 'load', 'clone'] });
    expect(report.codecs.json?.description).toMatch(/decimal string/);
    expect(report.data[0]).toMatchObject({ n: 3000, intrinsicBytes: 108000 });
    expect(report.data[0]!.heapBytes).toBeGreaterThan(3000 * 36);
    expect(report.cases.map((c) => `${c.codec}.${c.phase}`)).toEqual([
      'json.dump',
      'json.load',
      'v8.dump',
      'v8.load',
      'msgpack.dump',
      'msgpack.load',
      'text.dump',
      'text.load',
      'structuredClone.clone',
      'v8-serialize-clone.clone',
    ]);
    for (const c of report.cases) {
      expect(c.state).toBe('ok');
      expect(c.runs).toHaveLength(2);
      for (const run of c.runs) {
        expect(run.verified).toBe(true);
        expect(run.peakRssBytes).toBeGreaterThanOrEqual(run.endRssBytes);
        if (c.phase !== 'clone') expect(run.fileBytes).toBeGreaterThan(0);
        else expect(run.clone?.freedByDropBytes).toBeGreaterThan(0);
        expect(run.wallMs).toBeGreaterThan(0);
      }
      expect(c.summary.peakRssIncrementBytes!.min).toBeLessThanOrEqual(c.summary.peakRssIncrementBytes!.median);
      expect(c.reproduce).toMatch(new RegExp(`child\\.js --codec ${c.codec} --phase ${c.phase} --n 3000`));
    }
    // memory over time was sampled, with the child's phase markers
    const series = report.cases[0]!.runs[0]!.series!;
    expect(series.rssBytes.length).toBeGreaterThan(0);
    expect(series.markers.map((m) => m.label)).toContain('phase-start');
    // sizes of every codec's file, and in-process throughput of every codec
    expect(report.sizes!.map((s) => s.codec)).toEqual(['json', 'v8', 'msgpack', 'text']);
    for (const s of report.sizes!) expect(s.gzip.bytes).toBeLessThan(s.rawBytes);
    expect(report.throughput!.rows.map((t) => [t.codec, t.state])).toEqual([
      ['json', 'ok'],
      ['v8', 'ok'],
      ['msgpack', 'ok'],
      ['text', 'ok'],
    ]);
    // the sizeof table of this Node, with the per-tuple model against the measured data heap
    expect(report.sizeof!.tupleModel!.measured!.n).toBe(3000);
    // the markdown report is next to the JSON and has every case
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/\| msgpack \| load \|/);
    expect(md).toMatch(/## Copy and delete/);
    expect(r.stdout).toMatch(/\| json \| dump \|/);
    // data files are cleaned up; only the reports remain
    expect(readdirSync(join(dir, 'e2e')).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it("each case's reproduce line re-runs that measurement and prints its figures", async () => {
    const out = join(dir, 'repro.json');
    await footprint(['run', '--n', '500', '--repeats', '1', '--codecs', 'v8', '--sample-ms', '0', '--memory-only', '--no-sizes', '--out', out]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const load = report.cases.find((c) => c.phase === 'load')!;
    const { stdout } = await run('bash', ['-c', load.reproduce]);
    const figures = JSON.parse(stdout) as { verified: boolean; fileBytes: number; peakRssBytes: number; wallMs: number };
    expect(figures.verified).toBe(true);
    expect(figures.fileBytes).toBe(load.runs[0]!.fileBytes);
    expect(figures.peakRssBytes).toBeGreaterThan(0);
    expect(figures.wallMs).toBeGreaterThan(0);
  });

  it('fails a run whose --budget is below the measured peak and passes one above it', async () => {
    const args = ['run', '--n', '2000', '--repeats', '1', '--codecs', 'json', '--phases', 'dump', '--sample-ms', '0', '--memory-only', '--no-sizes'];
    const below = await footprint([...args, '--out', join(dir, 'budget-below.json'), '--budget', 'json.dump.peakRssIncrement<=1KiB']);
    expect(below.code).toBe(1);
    expect(below.stderr).toMatch(/json\.dump\.peakRssIncrement/);
    const above = await footprint([...args, '--out', join(dir, 'budget-above.json'), '--budget', 'json.dump.peakRssIncrement<=4GiB']);
    expect(above.code).toBe(0);
  });

  it.each([
    [['run', '--budget', 'json.dump.peakRss<=lots'], /budget/i],
    [['run', '--bogus'], /^footprint: run: Unknown option '--bogus' \(footprint run --help lists the flags\)$/],
    [['compare', 'a.json', 'b.json', '--bogus'], /^footprint: compare: Unknown option '--bogus' \(footprint compare --help lists the flags\)$/],
    [['report', 'a.json', '--bogus'], /^footprint: report: Unknown option '--bogus' \(footprint report --help lists the flags\)$/],
    [['sizeof', '--bogus'], /^footprint: sizeof: Unknown option '--bogus' \(footprint sizeof --help lists the flags\)$/],
    [['run', '--timeout', 'abc'], /^footprint: --timeout "abc": expected an integer ≥ 1$/],
    [['run', '--n', '-5'], /--n "-5": expected an integer ≥ 1/],
    [['run', '--n', 'abc'], /--n "abc"/],
    [['run', '--repeats', '0'], /--repeats "0"/],
    [['run', '--codecs', 'json,yaml'], /unknown codec 'yaml'; valid codecs: json, v8, msgpack, text/],
    [['run', '--phases', 'dump,save'], /unknown phase 'save'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const r = await footprint(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([['/proc/footprint/report.json'], ['/etc/hostname/report.json']])('refuses an unwritable --out %s before measuring anything', async (out) => {
    const r = await footprint(['run', '--n', '10', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*cannot write there/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
