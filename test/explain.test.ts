/**
 * End to end: `footprint explain` with the real CLI at small N writes a .heapprofile per case and
 * view, prints the tables, writes a results JSON that validates, and its HTML report's flame
 * graphs render in Chromium (Debian's, installed by .ci/install-test-tools.sh; the test fails,
 * not skips, when it is missing).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport } from '../bench/results/validate.js';
import type { Report } from '../bench/types.js';

const run = promisify(execFile);
const CLI = 'dist/bench/cli/main.js';
const CHROMIUM = '/usr/bin/chromium';
const N = 20000;
const dir = mkdtempSync(join(tmpdir(), 'footprint-explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function footprint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const out = join(dir, 'explain');
let result: { code: number; stdout: string; stderr: string };
beforeAll(async () => {
  result = await footprint(['explain', '--codecs', 'json,text', '--phases', 'load', '--n', String(N), '--out', out, '--top', '5']);
}, 120_000);

describe('footprint explain (end to end)', () => {
  it('writes one .heapprofile per case and view, in the format DevTools opens', () => {
    expect(result.code, result.stderr).toBe(0);
    const files = readdirSync(out)
      .filter((f) => f.endsWith('.heapprofile'))
      .sort();
    expect(files).toEqual([
      `json-load-${N}-allocated.heapprofile`,
      `json-load-${N}-held.heapprofile`,
      `text-load-${N}-allocated.heapprofile`,
      `text-load-${N}-held.heapprofile`,
    ]);
    for (const f of files) {
      const p = JSON.parse(readFileSync(join(out, f), 'utf8')) as {
        head: { callFrame: { functionName: string }; children: unknown[] };
        samples: { size: number; nodeId: number }[];
      };
      expect(Object.keys(p).sort()).toEqual(['head', 'samples']);
      expect(p.head.callFrame.functionName).toBe('(root)');
      expect(p.samples.length).toBeGreaterThan(50);
      expect(p.samples[0]).toHaveProperty('nodeId');
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.raw.json'))).toEqual([]); // the child's raw output is not left behind
  });

  it('prints per case the measured figures, coverage, overhead and the top functions with file:line', () => {
    const s = result.stdout;
    expect(s).toMatch(/### json load, N = 20,000/);
    expect(s).toMatch(/### text load, N = 20,000/);
    expect(s).toMatch(/coverage \d+\.\d%/);
    expect(s).toMatch(/Profiler overhead .*held child: extra peak RSS \+[\d.]+ MiB, time \d+ ms; allocated child/);
    expect(s).toContain('| function | file:line | package | **self** | share | total | share |');
    expect(s).toContain('`bench/codecs/json.ts:'); // the json codec's own code, source-mapped to TypeScript
    expect(s).toMatch(/papaparse/); // the text codec's parser, by package
    // --top 5: five rows per table
    const table = s.split('| function | file:line | package | **self**')[1]!.split('\n\n')[0]!.trim().split('\n');
    expect(table.length).toBe(7); // the rest of the header line, the separator, 5 rows
  });

  it('records an explain section per case that the schema accepts', () => {
    const report: Report = loadReport(join(out, 'explain.json'));
    expect(report.cases).toHaveLength(2);
    for (const c of report.cases) {
      const e = c.explain!;
      expect(e.samplingIntervalBytes).toBe(8192);
      expect(e.errors).toBeUndefined();
      for (const v of [e.held!, e.allocated!]) {
        expect(v.totalBytes).toBeGreaterThan(0);
        expect(existsSync(join(out, v.file))).toBe(true);
        expect(v.bySelf.length).toBeGreaterThan(0);
        expect(v.flame.totalBytes).toBeCloseTo(v.totalBytes, 0);
        expect(v.child.peakRssIncrementBytes).toBeGreaterThan(0);
      }
      // the held view against the same child's live heap increment: loose at this N (profiler's own objects, sampling noise)
      expect(e.held!.coverage).toBeGreaterThan(0.5);
      expect(e.held!.coverage).toBeLessThan(2);
      // every allocation of the phase includes what it still held
      expect(e.allocated!.totalBytes).toBeGreaterThan(e.held!.totalBytes);
      expect(e.heldShareOfPeakRss).toBeGreaterThan(0);
    }
    expect(readFileSync(join(out, 'explain.md'), 'utf8')).toContain('## Explain: what the heap held and allocated, by call stack');
  });

  it('run --explain-out without --explain is a usage error', async () => {
    const r = await footprint(['run', '--n', '10', '--explain-out', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--explain-out needs --explain/);
  });

  it('the HTML report draws a flame graph per case and view in Chromium', { timeout: 90_000 }, async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} missing: run .ci/install-test-tools.sh`).toBe(true);
    const htmlPath = join(out, 'explain.html');
    const report = loadReport(join(out, 'explain.json'));
    const profile = mkdtempSync(join(tmpdir(), 'footprint-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(htmlPath).href;
      await page.goto(url, { waitUntil: 'load' });
      const figs = page.locator('figure[data-chart^="flame-"]');
      expect(await figs.count()).toBe(4);
      for (const c of report.cases) {
        for (const view of ['held', 'allocated'] as const) {
          const fig = page.locator(`figure[data-chart="flame-${c.codec}-load-${N}-${view}"]`);
          // one box per frame of the pruned tree that is at least half a pixel wide
          const count = (n: { children?: { children?: unknown[] }[] }): number => 1 + (n.children ?? []).reduce((k, ch) => k + count(ch as never), 0);
          const boxes = await fig.locator('svg g.frame rect').count();
          expect(boxes).toBeGreaterThan(3);
          expect(boxes).toBeLessThanOrEqual(count(c.explain![view]!.flame as never));
          // the root box spans the chart, and is laid out at a real size
          const widths = await fig.locator('svg g.frame rect').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
          expect(Math.max(...widths)).toBeGreaterThan(800);
          // readable labels: drawn text that fits inside its box
          const fits = await fig
            .locator('svg g.frame')
            .evaluateAll((gs) =>
              gs
                .filter((g) => g.querySelector('text'))
                .map(
                  (g) => (g.querySelector('text') as SVGTextElement).getComputedTextLength() <= (g.querySelector('rect') as SVGRectElement).getBBox().width + 1,
                ),
            );
          expect(fits.length).toBeGreaterThan(2);
          expect(fits.every(Boolean)).toBe(true);
        }
      }
      const labels = await page.locator('figure[data-chart="flame-json-load-20000-held"] svg text').allTextContents();
      expect(labels.some((l) => /json\.ts:\d+/.test(l))).toBe(true);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => u !== url)).toEqual([]);
      await page.locator('figure[data-chart="flame-json-load-20000-allocated"]').screenshot({ path: join(dir, 'flame.png') });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
