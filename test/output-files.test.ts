/** Output files: unique default names, concurrent runs kept apart, nothing written outside the output folder. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimUniquePath } from '../bench/results/claim.js';
import type { Report } from '../bench/types.js';
import { entries, startCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('claimUniquePath', () => {
  it('returns the name itself when free, then a pid suffix, then random suffixes; each claimed exclusively', () => {
    const d = join(dir, 'claim');
    mkdirSync(d);
    const base = join(d, '2026-01-01T00-00-00Z-node20.json');
    const got = Array.from({ length: 5 }, () => claimUniquePath(base));
    expect(new Set(got).size).toBe(5);
    expect(got[0]).toBe(base);
    expect(got[1]).toBe(join(d, `2026-01-01T00-00-00Z-node20-${process.pid}.json`));
    for (const p of got.slice(2)) expect(p).toMatch(new RegExp(`node20-${process.pid}-[0-9a-f]{6}\\.json$`));
    expect(entries(d)).toHaveLength(5);
  });

  it('skips a name whose sibling (the markdown) exists', () => {
    const d = join(dir, 'sibling');
    mkdirSync(d);
    writeFileSync(join(d, 'r.md'), 'someone else');
    expect(claimUniquePath(join(d, 'r.json'), (p) => [p.replace(/\.json$/, '.md')])).toBe(join(d, `r-${process.pid}.json`));
  });
});

describe('two runs started at once in the same folder', () => {
  it('write different files, both complete, and leave no temporary files', async () => {
    const cwd = join(dir, 'concurrent');
    mkdirSync(cwd);
    const args = ['run', '--n', '300', '--repeats', '1', '--codecs', 'json,v8', '--phases', 'dump,load', '--sample-ms', '0', '--memory-only', '--no-sizes'];
    const a = startCli(args, { cwd });
    const b = startCli(args, { cwd });
    const [ea, eb] = await Promise.all([a.exit, b.exit]);
    expect([ea.code, eb.code]).toEqual([0, 0]);
    const pathOf = (s: string): string => /^results: (.*)$/m.exec(s)![1]!;
    const pa = pathOf(a.stdout());
    const pb = pathOf(b.stdout());
    expect(pa).not.toBe(pb);
    for (const p of [pa, pb]) {
      const r = JSON.parse(readFileSync(p, 'utf8')) as Report;
      expect(r.cases).toHaveLength(4);
      expect(r.finishedAt).not.toBeNull();
    }
    // only the two pairs of reports: no .tmp, no .work-* folders
    const files = entries(join(cwd, 'results'));
    expect(files).toHaveLength(6);
    expect(files.every((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-node[\d.]+(-\d+(-[0-9a-f]{6})?)?\.(json|md|html)$/.test(f))).toBe(true);
    expect(readdirSync(cwd)).toEqual(['results']);
  });
});

describe('where a run writes', () => {
  it('writes only inside the --out folder: the project results/ folder, the cwd and its temp folder gain nothing', async () => {
    const deep = join(dir, 'confined', 'deep');
    const out = join(deep, 'report.json');
    const projectResults = resolve('results');
    // the run and its children get a temp folder of their own (TMPDIR), which must stay empty
    const privateTmp = join(dir, 'private-tmp');
    mkdirSync(privateTmp);
    const resultsBefore = entries(projectResults);
    const cwdBefore = entries(process.cwd());
    const cli = startCli(
      [
        'run',
        '--n',
        '300',
        '--repeats',
        '1',
        '--codecs',
        'json,v8,msgpack,text',
        '--phases',
        'dump,load',
        '--sample-ms',
        '0',
        '--memory-only',
        '--no-sizes',
        '--out',
        out,
      ],
      {
        env: { ...process.env, TMPDIR: privateTmp },
      },
    );
    // while it runs, its data files live in a work folder next to the report
    let sawWork = false;
    const poll = setInterval(() => (sawWork ||= entries(deep, /^\.work-report-\d+$/).length > 0), 20);
    const { code } = await cli.exit;
    clearInterval(poll);
    expect(code).toBe(0);
    expect(sawWork).toBe(true);
    expect(entries(deep)).toEqual(['report.html', 'report.json', 'report.md']);
    expect(entries(join(dir, 'confined'))).toEqual(['deep']);
    expect(entries(projectResults)).toEqual(resultsBefore);
    expect(entries(process.cwd())).toEqual(cwdBefore);
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});
