import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateReport } from '../bench/results/migrate.js';
import { QUESTION } from '../bench/report/answer.js';
import { renderBrief } from '../bench/report/brief.js';
import { tableColumns } from '../bench/report/columns.js';
import { renderHtml, worstSeriesGap } from '../bench/html/page.js';
import { renderMarkdown } from '../bench/report/markdown.js';
import type { Report } from '../bench/types.js';

const FIXTURE = 'test/fixtures/sample-report.json';
const load = (): Report => migrateReport(JSON.parse(readFileSync(FIXTURE, 'utf8'))) as Report; // a schema-2 file, read as readers read it

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

  it('has the same case tables as the markdown: columns and figures from one definition', async () => {
    const report = load();
    const html = await renderHtml(report);
    const md = renderMarkdown(report);
    const text = (h: string) =>
      h
        .replace(/<span class="spread">/g, ' ')
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&#39;/g, "'");
    for (const kind of ['main', 'more'] as const) {
      const table = html.match(new RegExp(`<table class="cases cases-${kind}">([\\s\\S]*?)</table>`))![1]!;
      const header = [...table.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => text(m[1]!));
      expect(header).toEqual(tableColumns(report, kind).map((c) => c.header));
      expect(md).toContain(`| ${header.join(' | ')} |`);
      // every HTML row is a markdown row
      for (const row of table.match(/<tr class="state-[^"]+">.*?<\/tr>/g)!) {
        const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => text(m[1]!));
        expect(md).toContain(`| ${cells.join(' | ')} |`);
      }
    }
    // the default table is the short one; the rest is behind a disclosure element
    expect(tableColumns(report, 'main').map((c) => c.header)).toEqual([
      'format',
      'phase',
      'N',
      'load returns',
      'extra peak RSS ± spread',
      '× data heap',
      'peak live heap Δ',
      'file size',
      'wall time',
      'verified',
      'uint64',
    ]);
    expect(html).toMatch(/<details id="more-figures"><summary>[^<]*<\/summary>\s*<div class="scroll"><table class="cases cases-more">/);
  });

  it('opens on the question, the summary and the headline chart', async () => {
    const report = load();
    const html = await renderHtml(report);
    const first = (needle: string) => html.indexOf(needle);
    expect(first(QUESTION.replace(/'/g, '&#39;'))).toBeGreaterThan(0);
    expect(first('<section id="answer">')).toBeLessThan(first('data-chart="headline"'));
    expect(first('data-chart="headline"')).toBeLessThan(first('<section id="memory">'));
    expect(first('<section id="memory">')).toBeLessThan(first('<section id="cases">'));
    expect(html).toContain('most expensive <code>json</code>');
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
    expect(existsSync(join(dir, 'png', 'headline.png'))).toBe(true);
    const d = cli(json);
    expect(d.status).toBe(0);
    expect(existsSync(join(dir, 'run.html'))).toBe(true);
  });

  it('--brief prints the summary, one table and the environment line, and writes the headline chart next to the JSON', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-brief-'));
    const json = join(dir, 'run.json');
    writeFileSync(json, readFileSync(FIXTURE));
    const r = cli(json, '--brief');
    expect(r.status).toBe(0);
    const report = load();
    expect(r.stdout).toBe(renderBrief(report, 'run.headline.png'));
    expect(r.stdout.startsWith(`**${QUESTION}**`)).toBe(true);
    expect(r.stdout.match(/^\| format \| phase \|/gm)).toHaveLength(1);
    expect(r.stdout.trim().split('\n').pop()).toMatch(/^Node v20\.20\.2 /);
    expect(r.stderr).toBe(`wrote ${join(dir, 'run.headline.svg')}\nwrote ${join(dir, 'run.headline.png')}\n`);
    expect(readFileSync(join(dir, 'run.headline.svg'), 'utf8')).toMatch(/^<svg[\s\S]*bars0_marks/);
    expect(readFileSync(join(dir, 'run.headline.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(existsSync(join(dir, 'run.html'))).toBe(false); // --brief alone writes no HTML
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
