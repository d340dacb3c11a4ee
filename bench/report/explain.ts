/**
 * The `explain` section of a report, as markdown (terminal and .md; bench/html/explain.ts puts it
 * in the HTML page with flame graphs): per case, what the heap held at the phase's end and what the phase allocated, by
 * function, next to the measured figures. Pure: results in, text out.
 */
import type { CaseResult, ExplainFrame, ExplainViewResult, Report } from '../types.js';
import { formatCount, formatMiB, formatMs, formatPercent } from './units.js';
import { columnsOf, markdownTable } from './table.js';

const MIB = 1024 * 1024;

type Explained = CaseResult & { explain: NonNullable<CaseResult['explain']> };

export function explainedCases(report: Report): Explained[] {
  return report.cases.filter((c): c is Explained => c.explain !== undefined);
}

/** The top functions of one view, by self and by total bytes. */
export function renderFrameTable(frames: readonly ExplainFrame[], by: 'self' | 'total', limit: number): string {
  const rows = frames
    .slice(0, limit)
    .map((f) => [
      f.functionName,
      f.location ? `\`${f.location}\`` : '–',
      f.package,
      formatMiB(f.selfBytes, { digits: 1 }),
      formatPercent(f.selfShare),
      formatMiB(f.totalBytes, { digits: 1 }),
      formatPercent(f.totalShare),
    ]);
  const head = ['function', 'file:line', 'package', by === 'self' ? '**self**' : 'self', 'share', by === 'total' ? '**total**' : 'total', 'share'];
  return markdownTable(
    columnsOf(head, (_, i) => i >= 3),
    rows,
  );
}

function viewHeading(name: string, v: ExplainViewResult): string {
  // each sample stands for about one sampling interval of bytes: with few of them, shares are rough (docs/explain.md)
  const rough = v.samples < 1000 ? ' (under 1,000 samples: shares are rough; use a larger N)' : '';
  return `**${name}**: ${formatMiB(v.totalBytes, { digits: 1 })} estimated from ${formatCount(v.samples)} samples${rough}`;
}

/** One case: the measured figures, coverage, overhead, then the tables of both views. */
export function renderCaseExplain(c: Explained, opts: { limit?: number } = {}): string {
  const limit = opts.limit ?? 10;
  const e = c.explain;
  const s = c.summary;
  const lines: string[] = [`### ${c.codec} ${c.phase}, N = ${formatCount(c.n)}`, ''];
  const rss = s.peakRssIncrementBytes?.median;
  const ext = s.peakExternalIncrementBytes?.median;
  lines.push(
    `Measured (median of ${c.runs.length} run${c.runs.length === 1 ? '' : 's'}): extra peak RSS ${formatMiB(rss, { signed: true })}, ` +
      `peak live heap ${formatMiB(s.peakHeapLiveIncrementBytes?.median, { signed: true })}, ` +
      `peak external ${formatMiB(ext, { signed: true })} over its baseline (Buffers and ArrayBuffers: not sampled), ` +
      `retained after GC ${formatMiB(s.retainedHeapBytes?.median, { signed: true })}, time ${formatMs(s.wallMs?.median)}.`,
  );
  const h = e.held;
  if (h) {
    const ch = h.child;
    const garbage = ch.endHeapIncrementBytes - ch.liveHeapIncrementBytes;
    lines.push(
      '',
      `Held at the phase's end: ${formatMiB(h.totalBytes, { digits: 1 })}; the same child's heap after the full GC V8 runs before it hands out the profile: ` +
        `${formatMiB(ch.liveHeapIncrementBytes, { signed: true, digits: 1 })} over the baseline (coverage ${h.coverage !== undefined ? formatPercent(h.coverage) : 'n/a'}). ` +
        `Its heap at the phase's end, before that GC: ${formatMiB(ch.endHeapIncrementBytes, { signed: true, digits: 1 })}; ` +
        (garbage >= 0.05 * MIB
          ? `the difference (${formatMiB(garbage, { digits: 1 })}) was garbage not yet collected, which only the allocated view shows by call stack.`
          : 'no garbage was left to collect.'),
    );
    if (e.heldShareOfPeakRss !== undefined && rss !== undefined) {
      lines.push(
        '',
        `The held view accounts for ${formatPercent(e.heldShareOfPeakRss)} of the measured extra peak RSS; the rest (${formatMiB(rss - h.totalBytes, { digits: 1 })}) is not attributed by call stack: ` +
          `garbage not yet collected, heap pages V8 reserved, memory outside the heap (of which the measured peak external: ${formatMiB(ext, { signed: true, digits: 1 })}), malloc and code.`,
      );
    }
  }
  const overhead = (['held', 'allocated'] as const)
    .filter((v) => e[v])
    .map((v) => `${v} child: extra peak RSS ${formatMiB(e[v]!.child.peakRssIncrementBytes, { signed: true })}, time ${formatMs(e[v]!.child.wallMs)}`);
  if (overhead.length) {
    lines.push(
      '',
      `Profiler overhead (each view from its own extra child, one sample per ${formatCount(e.samplingIntervalBytes)} bytes on average; measured case: ${formatMiB(rss, { signed: true })}, ${formatMs(s.wallMs?.median)}): ${overhead.join('; ')}.`,
    );
  }
  for (const view of ['held', 'allocated'] as const) {
    const v = e[view];
    if (!v) continue;
    lines.push('', `${viewHeading(view === 'held' ? 'Held at the end of the phase' : 'Allocated during the phase (collected or not)', v)} (\`${v.file}\`)`, '');
    lines.push(renderFrameTable(v.bySelf, 'self', limit), '', renderFrameTable(v.byTotal, 'total', limit));
  }
  for (const err of e.errors ?? []) lines.push('', `**not explained**: ${err}`);
  return lines.join('\n');
}

export function renderExplainMarkdown(report: Report, opts: { limit?: number } = {}): string {
  const cases = explainedCases(report);
  if (cases.length === 0) return '';
  return [
    '## Explain: what the heap held and allocated, by call stack',
    '',
    "V8's sampling heap profiler in an extra, unmeasured child per case and view (docs/explain.md). Bytes are estimates from samples; only the V8 heap is sampled. File:line is where the function starts.",
    '',
    cases.map((c) => renderCaseExplain(c, opts)).join('\n\n'),
  ].join('\n');
}
