/**
 * Reporters for a Comparison: pure functions Comparison -> string.
 * Terminal table, markdown, JSON. Bytes are shown in MiB (1024²), always
 * labelled MiB; time in ms.
 */
import { datasetPrefix } from '../results/case-key.js';
import {
  type CaseComparison,
  type ComparedMetric,
  type Comparison,
  FAMILIES,
  type MetricComparison,
  modesLine,
  type PairComparison,
  type ThroughputComparison,
} from '../compare/compare.js';
import { escapeHtml, formatChange, MIB } from './units.js';
import { columnsOf, markdownTable } from './table.js';

/** Column label of each figure. */
export const METRIC_LABELS: Record<ComparedMetric, string> = {
  peakRssIncrementBytes: 'extra peak RSS',
  peakHeapLiveIncrementBytes: 'extra peak live heap',
  peakExternalIncrementBytes: 'extra peak external',
  wallMs: 'wall time',
  fileBytes: 'file size',
};

function formatValue(metric: ComparedMetric, value: number): string {
  if (metric === 'wallMs') return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
  const digits = metric === 'fileBytes' ? 3 : 1;
  return `${(value / MIB).toFixed(digits)} MiB`;
}

/** What the comparison says about one figure: `~`, `=`, or the change. */
export function verdictText(m: MetricComparison): string {
  switch (m.verdict) {
    case 'same':
      return '=';
    case 'noise':
      return '~';
    case 'unjudged':
      return 'n/j';
    case 'missing':
      return 'n/a';
    default:
      return m.change === null ? (m.verdict === 'worse' ? 'up from 0' : 'down') : formatChange(m.change);
  }
}

function ciText(m: MetricComparison): string {
  if (m.kind === 'size') return 'exact';
  if (!m.baseline || !m.candidate) return '';
  if (!m.ci) return 'n/a';
  return `[${formatChange(m.ci.low)}, ${formatChange(m.ci.high)}]`;
}

/** The adjusted p (the one the verdict uses). */
function pText(m: MetricComparison): string {
  if (m.pAdjusted === null) return '';
  return m.pAdjusted < 0.001 ? '<0.001' : m.pAdjusted.toFixed(3);
}

/** `json dump n=1000` (the tuples, as before datasets) or `logs: json dump n=1000`. */
function caseName(c: { dataset?: string; codec: string; phase: string; n: number }): string {
  return `${c.dataset !== undefined ? datasetPrefix(c.dataset) : ''}${c.codec} ${c.phase} n=${c.n}`;
}

interface Row {
  cells: string[];
  /** The figure the row shows: its verdict classes the HTML cell, its reason is the cell's title. */
  metric: MetricComparison;
}

function rows(pair: PairComparison): Row[] {
  const out: Row[] = [];
  for (const c of pair.cases) {
    c.metrics.forEach((m, i) => {
      out.push({
        cells: [
          i === 0 ? caseName(c) : '',
          METRIC_LABELS[m.metric],
          m.baseline ? `${formatValue(m.metric, m.baseline.headline)}${m.baseline.modes ? MODES_MARK : ''}` : '',
          m.candidate ? `${formatValue(m.metric, m.candidate.headline)}${m.candidate.modes ? MODES_MARK : ''}` : '',
          `${verdictText(m)}${m.caveat ? CAVEAT_MARK : ''}`,
          ciText(m),
          pText(m),
        ],
        metric: m,
      });
    });
  }
  return out;
}

/** The throughput table: each codec and direction, the median over the processes of their mean latency of one operation (batch). */
function throughputHeaders(pair: PairComparison): string[] {
  return [
    'throughput (in-process, mean per op)',
    `A: ${pair.baseline.label}`,
    `B: ${pair.candidate.label}`,
    'B vs A',
    '95% CI of B/A',
    'processes A / B',
    'p (adj.)',
  ];
}

function throughputCells(t: ThroughputComparison): string[] {
  const ms = (v: number): string => `${v >= 100 ? v.toFixed(0) : v.toFixed(2)} ms`;
  const verdict = t.verdict === 'noise' ? '~' : t.verdict === 'unjudged' ? 'n/j' : formatChange(t.change);
  return [
    `${datasetPrefix(t.dataset)}${t.codec} ${t.direction}`,
    ms(t.baselineMeanMs),
    ms(t.candidateMeanMs),
    verdict,
    t.ci ? `[${formatChange(t.ci.low)}, ${formatChange(t.ci.high)}]` : 'n/a',
    `${t.baselineProcessMs.length} / ${t.candidateProcessMs.length}`,
    t.pAdjusted === null ? '' : t.pAdjusted < 0.001 ? '<0.001' : t.pAdjusted.toFixed(3),
  ];
}

/** Marks a figure whose runs fall in modes (the value shown is the upper mode), and a figure with a caveat. */
const MODES_MARK = ' †';
const CAVEAT_MARK = ' *';

/** The lines under the table: each figure whose runs fall in modes, each `~` held back only by its family's adjustment (‡), and each caveat. */
function noteLines(pair: PairComparison): string[] {
  const out: string[] = [];
  for (const c of pair.cases) {
    for (const m of c.metrics) {
      if (m.modes) {
        out.push(
          `† ${caseName(c)} ${METRIC_LABELS[m.metric]}: modes ${modesLine(m.modes)}; the value shown is the upper mode (what the phase must be given), compared as modes`,
        );
      }
    }
  }
  for (const c of pair.cases)
    for (const m of c.metrics) if (m.heldBackByFamily && m.reason) out.push(`‡ ${caseName(c)} ${METRIC_LABELS[m.metric]}: \`~\`, ${m.reason}`);
  const caveats = new Set(pair.cases.flatMap((c) => c.metrics.flatMap((m) => (m.caveat ? [`* ${METRIC_LABELS[m.metric]}: ${m.caveat}`] : []))));
  out.push(...caveats);
  return out;
}

function headers(pair: PairComparison): string[] {
  return ['case', 'figure', `A: ${pair.baseline.label}`, `B: ${pair.candidate.label}`, 'B vs A', '95% CI of B/A', 'p (adj.)'];
}

function summaryText(pair: PairComparison): string {
  const n = pair.cases.length;
  const parts = pair.summary
    .filter((s) => s.geomeanRatio !== null)
    .map((s) => `${METRIC_LABELS[s.metric]} ${formatChange(s.geomeanRatio! - 1)}${s.cases < n ? ` (${s.cases} cases with a positive figure)` : ''}`);
  return parts.length > 0
    ? `geometric mean of B/A over ${n} case${n === 1 ? '' : 's'} (~ cases included, so one noisy case can move it): ${parts.join(', ')}`
    : 'geometric mean of B/A: no case to summarise';
}

function legend(comparison: Comparison): string {
  const t = comparison.thresholds;
  const mib = (t.memoryFloorBytes / 1024 / 1024).toFixed(1);
  return (
    `A signed % (better/worse) is a change shown to exceed both the relative threshold and the absolute floor of its kind ` +
    `(memory ${(t.memory * 100).toFixed(0)}% and ${mib} MiB, time ${(t.time * 100).toFixed(0)}% and ${t.timeFloorMs} ms, throughput ${(t.throughput * 100).toFixed(0)}%; ` +
    `a change of exactly the floor is not one): its 95% interval lies beyond that bound, and the test against the bound stays below ${comparison.alpha} ` +
    `after Benjamini–Hochberg within its family (memory, time, throughput: "p (adj.)"). ~ = not shown to exceed it; = identical runs (not tested); n/j = not judged (time and throughput of separate sittings: the change and its interval are shown, no verdict rests on them). ` +
    `The change is of the figures shown: medians, or for a figure whose runs fall in modes (†) the upper mode. Memory figures are increments over each child's baseline. ` +
    `Runs of one interleaved round are compared as pairs. File size is compared exactly. Throughput: each fresh process's mean latency, the processes of A against those of B. See docs/compare.md.`
  );
}

/** How many figures each family was adjusted over, and the verdicts by kind: the line to quote. */
function testsLine(pair: PairComparison): string {
  const words = (counts: Record<string, number>): string[] =>
    Object.entries(counts).map(([v, n]) => `${n} ${VERDICT_WORDS[v as keyof typeof VERDICT_WORDS] ?? v}`);
  const kinds = (['memory', 'time', 'size'] as const)
    .map((k) => {
      const parts = words(verdictCounts(pair.cases, k));
      return parts.length > 0 ? `${k}: ${parts.join(', ')}` : null;
    })
    .filter((x): x is string => x !== null);
  const tput: Record<string, number> = {};
  for (const t of pair.throughput) tput[t.verdict] = (tput[t.verdict] ?? 0) + 1;
  if (pair.throughput.length > 0) kinds.push(`throughput: ${words(tput).join(', ')}`);
  const families = FAMILIES.filter((f) => pair.families[f] > 0)
    .map((f) => `${pair.families[f]} ${f}`)
    .join(', ');
  const paired = pair.cases.reduce((n, c) => n + c.metrics.filter((m) => m.paired).length, 0);
  const rounds = pair.interleaved
    ? `; measured in interleaved rounds${paired > 0 ? `, ${paired} figures paired by round` : ' (rounds not recorded: not paired)'}`
    : '';
  return `Figures tested against their threshold, p-values adjusted within each family (Benjamini–Hochberg): ${families || 'none'}${rounds}. ${kinds.join('; ')}`;
}

const VERDICT_WORDS = { noise: '~', same: '=', better: 'better', worse: 'worse', unjudged: 'not judged', missing: 'n/a' } as const;

function headerLines(pair: PairComparison): string[] {
  const describe = (r: PairComparison['baseline']): string =>
    `${r.label}${r.source && r.source !== r.label ? ` (${r.source})` : ''}: ${/^v\d/.test(r.node) ? `node ${r.node}` : r.node}, ${r.repeats} repeats`;
  return [`A (baseline) ${describe(pair.baseline)}`, `B ${describe(pair.candidate)}`];
}

function unmatchedLines(pair: PairComparison): string[] {
  return pair.unmatched.map((u) => `not compared: ${caseName(u)}: ${u.note}`);
}

/** Pads a row to the column widths: the first `textColumns` left-aligned, the numbers right-aligned. */
function pad(cells: string[], widths: number[], textColumns = 2): string {
  return cells
    .map((c, i) => (i >= textColumns ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
}

/** Plain-text table for the terminal. */
export function renderCompareTable(comparison: Comparison): string {
  const blocks: string[] = [];
  for (const d of comparison.forcedDifferences) blocks.push(`warning: compared with --force although ${d}`);
  for (const pair of comparison.pairs) {
    const lines = [...headerLines(pair)];
    for (const w of pair.warnings) lines.push(`warning: ${w}`);
    const head = headers(pair);
    const body = rows(pair).map((r) => r.cells);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    lines.push('', pad(head, widths), widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of body) lines.push(pad(r, widths));
    if (body.length === 0) lines.push('(no case in common)');
    lines.push(...noteLines(pair), ...unmatchedLines(pair), '', testsLine(pair), summaryText(pair));
    if (pair.throughput.length > 0) {
      const th = throughputHeaders(pair);
      const tb = pair.throughput.map(throughputCells);
      const tw = th.map((h, i) => Math.max(h.length, ...tb.map((r) => r[i]!.length)));
      lines.push('', pad(th, tw, 1), tw.map((w) => '-'.repeat(w)).join('  '), ...tb.map((r) => pad(r, tw, 1)));
    }
    blocks.push(lines.join('\n'));
  }
  blocks.push(legend(comparison));
  return `${blocks.join('\n\n')}\n`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Markdown: one table per compared report. */
export function renderCompareMarkdown(comparison: Comparison): string {
  const out: string[] = ['# Comparison', ''];
  for (const d of comparison.forcedDifferences) out.push(`> **Warning:** compared with --force although ${d}.`, '');
  for (const pair of comparison.pairs) {
    out.push(`## ${mdEscape(pair.candidate.label)} vs ${mdEscape(pair.baseline.label)}`, '');
    for (const l of headerLines(pair)) out.push(`- ${mdEscape(l)}`);
    for (const w of pair.warnings) out.push(`- **Warning:** ${mdEscape(w)}`);
    out.push('');
    const head = headers(pair);
    out.push(
      markdownTable(
        columnsOf(head, (_, i) => i >= 2),
        rows(pair).map((r) => r.cells),
      ),
      '',
    );
    for (const l of [...noteLines(pair), ...unmatchedLines(pair)]) out.push(`- ${mdEscape(l)}`);
    out.push('', `${mdEscape(testsLine(pair))}`, '', `**${summaryText(pair)}**`, '');
    if (pair.throughput.length > 0) {
      const th = throughputHeaders(pair);
      out.push(
        markdownTable(
          columnsOf(th, (_, i) => i >= 1),
          pair.throughput.map(throughputCells),
        ),
        '',
      );
    }
  }
  out.push(`_${legend(comparison)}_`, '');
  return out.join('\n');
}

/** The Comparison itself, for tools. */
export function renderCompareJson(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}

/** Count of verdicts over the figures of one kind (memory, time or size) of a pair's cases. */
export function verdictCounts(cases: readonly CaseComparison[], kind: 'memory' | 'time' | 'size'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases) {
    for (const m of c.metrics) if (m.kind === kind) counts[m.verdict] = (counts[m.verdict] ?? 0) + 1;
  }
  return counts;
}

const HTML_STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.better{color:#116329;font-weight:600}
.worse{color:#a40e26;font-weight:600}.noise,.unjudged,.muted{color:#666}.warn{background:#fff8c5;padding:.4rem .6rem}`;

/**
 * Self-contained HTML page of a comparison (no script, no network; the same
 * CSP as the suite's HTML report), written by `footprint matrix` next to the
 * reports. Pure.
 */
export function renderCompareHtml(comparison: Comparison, title = 'Comparison'): string {
  const esc = escapeHtml;
  const parts: string[] = [];
  for (const d of comparison.forcedDifferences) parts.push(`<p class="warn">Compared with --force although ${esc(d)}.</p>`);
  for (const pair of comparison.pairs) {
    parts.push(`<h2>${esc(pair.candidate.label)} vs ${esc(pair.baseline.label)}</h2>`);
    parts.push(
      `<ul>${headerLines(pair)
        .map((l) => `<li>${esc(l)}</li>`)
        .join('')}</ul>`,
    );
    for (const w of pair.warnings) parts.push(`<p class="warn">${esc(w)}</p>`);
    const head = headers(pair);
    const body = rows(pair).map(({ cells, metric: m }) => {
      const title = m.reason ? ` title="${esc(m.reason)}"` : '';
      return `<tr>${cells
        .map((v, j) => (j === 4 ? `<td class="num ${m.verdict}"${title}>${esc(v)}</td>` : `<td${j >= 2 ? ' class="num"' : ''}>${esc(v)}</td>`))
        .join('')}</tr>`;
    });
    parts.push(
      `<table><thead><tr>${head.map((h, j) => `<th${j >= 2 ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.join('\n')}</tbody></table>`,
    );
    for (const l of [...noteLines(pair), ...unmatchedLines(pair)]) parts.push(`<p class="muted">${esc(l)}</p>`);
    parts.push(`<p>${esc(testsLine(pair))}</p>`, `<p><strong>${esc(summaryText(pair))}</strong></p>`);
    if (pair.throughput.length > 0) {
      const th = throughputHeaders(pair);
      const tr = pair.throughput.map((t) => {
        const title = t.reason ? ` title="${esc(t.reason)}"` : '';
        return `<tr>${throughputCells(t)
          .map((v, j) => (j === 3 ? `<td class="num ${t.verdict}"${title}>${esc(v)}</td>` : `<td${j >= 1 ? ' class="num"' : ''}>${esc(v)}</td>`))
          .join('')}</tr>`;
      });
      parts.push(
        `<table><thead><tr>${th.map((h, j) => `<th${j >= 1 ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${tr.join('\n')}</tbody></table>`,
      );
    }
  }
  parts.push(`<p class="muted">${esc(legend(comparison))}</p>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
${parts.join('\n')}
</body>
</html>
`;
}
