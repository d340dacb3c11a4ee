/**
 * A schema-1 report, migrated on reading and rendered by today's reporters (issue 12: the re-rendered
 * reference differs from the old only where a finding said it was wrong): figures derived where they can
 * be, "—" where they were never measured, and the note says which, the uint64 verdict included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../bench/html/page.js';
import { renderMarkdown } from '../bench/report/markdown.js';
import { migrateReport } from '../bench/results/migrate.js';
import { loadReport } from '../bench/results/validate.js';
import { summarize } from '../bench/results/summary.js';
import type { Report } from '../bench/types.js';
import { run, syntheticReport } from './fixtures/report.js';

const MiB = 1024 * 1024;

/** The synthetic report as schema 1 wrote it: the raw heap peak under its old names, no increments of external memory, no live heap, no uint64. */
function schema1(): unknown {
  const runs = [run(200), run(204), run(202)];
  const r = JSON.parse(
    JSON.stringify(
      syntheticReport([{ dataset: 'tuples', codec: 'json', phase: 'dump', n: 1_000_000, state: 'ok', runs, summary: summarize(runs), reproduce: 'node …' }]),
    ),
  ) as Record<string, unknown> & { cases: Record<string, unknown>[] };
  r.schemaVersion = 1;
  for (const c of r.cases) {
    for (const x of [...(c.runs as Record<string, unknown>[]), c.summary as Record<string, unknown>]) {
      x.peakHeapUsedBytes = x.peakHeapWithGarbageBytes;
      x.peakHeapIncrementBytes = x.peakHeapWithGarbageIncrementBytes;
      for (const k of [
        'peakHeapWithGarbageBytes',
        'peakHeapWithGarbageIncrementBytes',
        'peakHeapLiveBytes',
        'peakHeapLiveIncrementBytes',
        'peakExternalIncrementBytes',
      ])
        delete x[k];
    }
    delete c.uint64;
  }
  return r;
}

describe('a schema-1 report rendered by the current reporters', () => {
  const md = renderMarkdown(migrateReport(schema1()) as Report);

  it('derives the external increment (peak − baseline) and shows the unmeasured live heap and uint64 as —', () => {
    const row = md.split('\n').find((l) => l.startsWith('| json | dump | — | +202 MiB'))!;
    expect(row.split(' | ')[5]).toBe('—'); // peak live heap Δ
    expect(row.endsWith('| yes | — |')).toBe(true); // verified, uint64
    const more = md
      .split('## More figures')[1]!
      .split('\n')
      .find((l) => l.startsWith('| json | dump |'))!;
    expect(more.split(' | ')[3]).toBe(`+${((3 - 1) * MiB) / MiB}.0 MiB`);
  });

  it('says once which figures schema 1 did not have, the uint64 verdict included', () => {
    expect(md).toContain('This report was written with results schema 1');
    expect(md).toMatch(/live-heap peak was not measured.*no uint64 verdict/);
  });

  it('the HTML report says it too, above the case table', async () => {
    const html = await renderHtml(migrateReport(schema1()) as Report);
    const cases = html.split('<section id="cases">')[1]!;
    expect(cases.indexOf('This report was written with results schema 1')).toBeGreaterThan(-1);
    expect(cases.indexOf('This report was written with results schema 1')).toBeLessThan(cases.indexOf('<table'));
    expect(html.split('<section id="cases">')[0]).not.toContain('results schema 1');
  });
});

describe('a schema-2 report (before datasets) read through the migration to schema 3', () => {
  // the matrix's committed reports were written with schema 2
  const report = loadReport('results/reference/matrix-1e6/node20.json');

  it('is the tuples: every case, data row and sizes row names them, the configuration lists them at its N', () => {
    expect(report.schemaVersion).toBe(3);
    expect(report.migratedFrom).toBe(2);
    expect(report.config.datasets).toEqual([{ name: 'tuples', n: report.config.n }]);
    expect(Object.keys(report.datasets)).toEqual(['tuples']);
    expect(report.datasets.tuples!.intrinsicBytesPerRecord).toBe(36);
    expect(report.cases.every((c) => c.dataset === 'tuples')).toBe(true);
    expect(report.data.every((d) => d.dataset === 'tuples')).toBe(true);
    expect((report.sizes ?? []).every((r) => r.dataset === 'tuples')).toBe(true);
    expect((report.throughput?.rows ?? []).every((r) => r.dataset === 'tuples')).toBe(true);
    // nothing is missing from a schema-2 report, so the migration adds no note to its tables
    expect(renderMarkdown(report)).not.toMatch(/migrat/i);
  });
});

describe('the committed reference (schema 3)', () => {
  const ref = 'results/reference/node20.20.2';
  const report = loadReport(`${ref}.json`);

  it('renders exactly its committed markdown', () => {
    expect(report.schemaVersion).toBe(3);
    expect(renderMarkdown(report)).toBe(readFileSync(`${ref}.md`, 'utf8'));
  });

  it('and exactly its committed HTML', async () => {
    expect(await renderHtml(report)).toBe(readFileSync(`${ref}.html`, 'utf8'));
  });
});
