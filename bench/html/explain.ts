/**
 * The HTML page's explain section: each case's markdown (bench/report/explain.ts), then its flame
 * graphs (bench/charts/flame.ts). Pure: results in, HTML out.
 */
import { flameCharts } from '../charts/flame.js';
import { explainedCases, renderCaseExplain } from '../report/explain.js';
import { escapeHtml } from '../report/units.js';
import type { Report } from '../types.js';

/** The HTML report's explain section: each case's text and tables, then its flame graphs. */
export function renderExplainHtml(report: Report, markdownToHtml: (md: string) => string): string {
  const cases = explainedCases(report);
  if (cases.length === 0) return '';
  const figures = flameCharts(report);
  const parts = cases.map((c) => {
    const own = figures.filter((f) => f.id.startsWith(`flame-${c.codec}-${c.phase}-${c.n}-`));
    return (
      markdownToHtml(renderCaseExplain(c, { limit: 10 })) +
      own
        .map(
          (f) =>
            `<figure id="${escapeHtml(f.id)}" data-chart="${escapeHtml(f.id)}" aria-label="${escapeHtml(f.title)}">\n<div class="scroll">${f.svg}</div>\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`,
        )
        .join('\n')
    );
  });
  return `<p class="muted">V8's sampling heap profiler in an extra, unmeasured child per case and view (docs/explain.md). Bytes are estimates from samples; only the V8 heap is sampled; file:line is where the function starts.</p>
${parts.join('\n')}`;
}
