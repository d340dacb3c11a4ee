import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml, worstSeriesGap } from '../bench/report/html.js';
import type { Report } from '../bench/types.js';

const FIXTURE = 'test/fixtures/sample-report.json';
const load = (): Report => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Report;

describe('renderHtml', () => {
  it('is self-contained: no script, no external resource', async () => {
    const html = await renderHtml(load());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect((html.match(/<svg/g) ?? []).length).toBe(5);
  });

  it('shows every case, its reproduce line, the environment and escapes report text', async () => {
    const report = load();
    report.environment.command = 'footprint run --codecs <json>&';
    const failed = report.cases[0]!;
    failed.state = 'failed';
    failed.error = 'RangeError: Invalid string length <boom>';
    const html = await renderHtml(report);
    for (const c of report.cases) expect(html).toContain(c.reproduce);
    expect(html).toContain('footprint run --codecs &lt;json&gt;&amp;');
    expect(html).toContain('RangeError: Invalid string length &lt;boom&gt;');
    expect(html).toContain('<strong>failed</strong>');
    expect(html).toContain(report.environment.cpuModel);
    expect(html).toContain('/proc/self/clear_refs');
  });

  it('says when the run was interrupted', async () => {
    const report = { ...load(), interrupted: true, finishedAt: null };
    expect(await renderHtml(report)).toContain('This run was interrupted');
  });
});

describe('worstSeriesGap', () => {
  it('compares the in-phase series maximum with the VmHWM peak', () => {
    const c = load().cases[0]!;
    const gap = worstSeriesGap(c)!;
    expect(gap).toBeLessThan(0); // the fixture's sampler sees 99.7% of the increment
    expect(Math.abs(gap)).toBeLessThan(0.02);
    c.runs[1]!.peakRssBytes *= 2;
    expect(worstSeriesGap(c)!).toBeLessThan(-0.4);
  });
});

describe('footprint report CLI', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/bench/cli/main.js', 'report', ...args], { encoding: 'utf8' });

  it('writes the HTML next to the JSON by default, and PNGs with --png', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-report-'));
    const json = join(dir, 'run.json');
    writeFileSync(json, readFileSync(FIXTURE));
    const r = cli(json, '--png', join(dir, 'png'), '--html', join(dir, 'out.html'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'out.html'), 'utf8')).toContain('<svg');
    expect(existsSync(join(dir, 'png', 'peak-bars.png'))).toBe(true);
    const d = cli(json);
    expect(d.status).toBe(0);
    expect(existsSync(join(dir, 'run.html'))).toBe(true);
  });

  it('a missing, invalid or foreign input file is one line and exit 2', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-report-'));
    writeFileSync(join(dir, 'bad.json'), '{"cases": [');
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'v9.json'), JSON.stringify({ ...load(), schemaVersion: 9 }));
    for (const [file, msg] of [
      [join(dir, 'nope.json'), /nope\.json: no such file/],
      [join(dir, 'bad.json'), /bad\.json: not JSON/],
      [join(dir, 'other.json'), /other\.json: not a results report/],
      [join(dir, 'v9.json'), /schemaVersion 9/],
    ] as const) {
      const r = cli(file);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(cli().status).toBe(2);
    expect(cli(FIXTURE, '--nope').status).toBe(2);
  });
});
