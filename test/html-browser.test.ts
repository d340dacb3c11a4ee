/**
 * Opens the HTML report in a real browser: Debian's Chromium (installed by
 * .ci/install-test-tools.sh; never downloaded) driven by playwright-core.
 * Fails, not skips, when Chromium is missing: the check would otherwise
 * report ok without having run.
 *
 * The report is built from test/fixtures/sample-report.json (synthetic data,
 * see make-sample-report.mjs); the expected mark counts are derived from that
 * fixture here, independently of the chart code.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { migrateReport } from '../bench/results/migrate.js';
import { LEGEND_TEXT, RETURNS_COLOR } from '../bench/charts/headline.js';
import { renderHtml } from '../bench/html/page.js';
import type { Report } from '../bench/types.js';

// the same path npm test's pretest (scripts/ensure-test-tools.mjs) checks and installs
const CHROMIUM = process.env.FOOTPRINT_CHROMIUM || '/usr/bin/chromium';
const OUT = resolve('test-output/html-browser');
const report = migrateReport(JSON.parse(readFileSync(resolve('test/fixtures/sample-report.json'), 'utf8'))) as Report; // a schema-2 file, read as readers read it

// What the fixture holds, counted directly from it.
const ns = [...new Set(report.cases.map((c) => c.n))].sort((a, b) => a - b);
const largestN = ns[ns.length - 1]!;
const phases = [...new Set(report.cases.map((c) => c.phase))];
const okAt = (phase: string, n: number) => report.cases.filter((c) => c.state === 'ok' && c.phase === phase && c.n === n);
const refsAt = (n: number) => {
  const d = report.data.find((x) => x.n === n)!;
  return d.heapBytes === null ? 1 : 2;
};

/** At 1400 x 900 px: nothing overflows the page, every chart is at least 600 px wide, and the first screen holds the question, the summary and the whole headline chart. */
async function checkLayout(page: Page): Promise<void> {
  // 1400 px wide: nothing overflows the page, and every chart is laid out at least 600 px wide.
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => !e.closest('div.scroll') && !e.closest('svg') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => e.tagName),
    charts: [...document.querySelectorAll('figure[data-chart] svg')].map((e) => [e.closest('figure')!.id, e.getBoundingClientRect().width] as const),
  }));
  expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
  expect(layout.wide).toEqual([]);
  for (const [id, width] of layout.charts) expect(width, id).toBeGreaterThanOrEqual(600);

  // The first screen (900 px) holds the question, the summary and the whole headline chart.
  const top = await page.evaluate(() => ({
    question: document.querySelector('p.question')!.getBoundingClientRect().bottom,
    summary: document.querySelector('div.answer')!.getBoundingClientRect().bottom,
    headline: document.querySelector('figure[data-chart="headline"] svg')!.getBoundingClientRect().bottom,
  }));
  expect(top.question).toBeLessThan(top.summary);
  expect(top.headline).toBeLessThanOrEqual(900);
}

describe('HTML report in headless Chromium', () => {
  it('renders every chart with the expected marks and no console errors', { timeout: 90_000 }, async () => {
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} missing: npm test installs it where it can (scripts/ensure-test-tools.mjs), else run sudo bash .ci/install-test-tools.sh`,
    ).toBe(true);
    expect(ns.length).toBeGreaterThan(1); // the fixture must exercise the sweep charts
    mkdirSync(OUT, { recursive: true });
    const htmlPath = join(OUT, 'report.html');
    writeFileSync(htmlPath, await renderHtml(report));

    const profile = mkdtempSync(join(tmpdir(), 'footprint-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
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

      const count = (selector: string) => page.locator(selector).count();
      // Case tables: one row per case in the default table and in the one behind <details>; reproduce: one line per case.
      expect(await count('table.cases-main tbody tr')).toBe(report.cases.length);
      expect(await count('details#more-figures table.cases-more tbody tr')).toBe(report.cases.length);
      expect(await count('ul.reproduce li code')).toBe(report.cases.length);

      // Headline: one bar and one min-max line per ok case at the largest N, per phase panel; two reference lines each.
      const headline = 'figure[data-chart="headline"]';
      // the legend says what each colour of the load panel is: one entry per kind of load result charted
      const kindsCharted = [...new Set(okAt('load', largestN).map((c) => report.codecs[c.codec]?.returns ?? 'rows'))];
      expect(await page.locator(`${headline} g.role-legend-title text`).allTextContents()).toEqual(['a load returns']);
      expect(await page.locator(`${headline} g.role-legend-label text`).allTextContents()).toEqual(kindsCharted.map((k) => LEGEND_TEXT[k]));
      expect(await count(`${headline} g.role-legend-symbol path`)).toBe(kindsCharted.length);
      for (const [i, phase] of phases.entries()) {
        const cases = okAt(phase, largestN).length;
        expect(await count(`${headline} g.bars${i}_marks path`)).toBe(cases);
        expect(await count(`${headline} g.spread${i}_marks line`)).toBe(cases);
        expect(await count(`${headline} g.labels${i}_marks text`)).toBe(cases);
        expect(await count(`${headline} g.refs${i}_marks line`)).toBe(refsAt(largestN));
      }

      for (const phase of phases) {
        const codecs = okAt(phase, largestN).length;
        const fig = `figure[data-chart="memory-${phase}"]`;
        expect(await count(`${fig} svg`)).toBe(1);
        // small multiples: one panel per codec, each with its line, phase start and end, and the reference lines
        expect(await count(`${fig} g.series_marks path`)).toBe(codecs);
        expect(await count(`${fig} g.phaseend_marks line`)).toBe(codecs);
        expect(await count(`${fig} g.phasestart_marks line`)).toBe(codecs);
        expect(await count(`${fig} g.refs_marks line`)).toBe(codecs * refsAt(largestN));
        // every line actually has a drawn path (not an empty "M0,0")
        for (const d of await page.locator(`${fig} g.series_marks path`).evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''))) {
          expect(d.split(/[LHV]/).length).toBeGreaterThan(20);
        }

        const sweep = `figure[data-chart="sweep-${phase}"]`;
        const sweepCases = report.cases.filter((c) => c.state === 'ok' && c.phase === phase);
        expect(await count(`${sweep} g.sweep_marks path`)).toBe(new Set(sweepCases.map((c) => c.codec)).size);
        expect(await count(`${sweep} g.sweeppoints_marks path`)).toBe(sweepCases.length);
      }
      expect(await count('figure[data-chart]')).toBe(1 + phases.length * 2);

      await checkLayout(page);

      expect(errors).toEqual([]);
      expect(requests.filter((u) => u !== url)).toEqual([]); // self-contained: nothing fetched
      await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      await page.screenshot({ path: join(OUT, 'report-top.png') });
      await page.locator('figure[data-chart="memory-dump"]').screenshot({ path: join(OUT, 'memory-dump.png') });
      await page.locator('figure[data-chart="headline"]').screenshot({ path: join(OUT, 'headline.png') });
      for (const f of ['report.png', 'report-top.png', 'memory-dump.png', 'headline.png']) expect(existsSync(join(OUT, f))).toBe(true);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('keeps the first screen and the layout with 22 formats (what issue 13 brings)', { timeout: 90_000 }, async () => {
    const wide = structuredClone(report);
    const template = wide.cases.filter((c) => c.n === largestN && c.codec === 'json'); // its dump and its load
    const names = Array.from({ length: 22 }, (_, i) => `long-format-${String(i + 1).padStart(2, '0')}`); // as long as text-to-columnar
    wide.config.codecs = names;
    wide.config.n = [largestN];
    wide.data = wide.data.filter((d) => d.n === largestN);
    wide.cases = names.flatMap((codec, i) =>
      template
        .map((c) => ({ ...structuredClone(c), codec }))
        .map((c) => {
          c.summary.peakRssIncrementBytes = { median: (i + 1) * 20 * 2 ** 20, min: (i + 1) * 19 * 2 ** 20, max: (i + 1) * 21 * 2 ** 20 };
          return c;
        }),
    );
    // three kinds of load result, so the legend has three entries
    const kinds = ['rows', 'columns', 'lazy'] as const;
    wide.codecs = Object.fromEntries(names.map((n, i) => [n, { kind: 'whole' as const, description: n, returns: kinds[i % 3]! }]));
    mkdirSync(OUT, { recursive: true });
    const htmlPath = join(OUT, 'report-22.html');
    writeFileSync(htmlPath, await renderHtml(wide));
    const profile = mkdtempSync(join(tmpdir(), 'footprint-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
      for (const i of [0, 1]) expect(await page.locator(`figure[data-chart="headline"] g.bars${i}_marks path`).count()).toBe(22);
      expect(await page.locator('figure[data-chart="headline"] g.role-legend-label text').allTextContents()).toEqual(kinds.map((k) => LEGEND_TEXT[k]));
      // each load bar has its kind's colour
      const fills = await page.locator('figure[data-chart="headline"] g.bars1_marks path').evaluateAll((els) => els.map((e) => e.getAttribute('fill')));
      expect(new Set(fills)).toEqual(new Set(kinds.map((k) => RETURNS_COLOR[k])));
      expect(await page.locator('figure[data-chart="memory-load"] g.series_marks path').count()).toBe(22);
      await checkLayout(page);
      await page.screenshot({ path: join(OUT, 'report-22-top.png') });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
