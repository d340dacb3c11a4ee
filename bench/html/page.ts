/**
 * The HTML report: one self-contained file (styles and SVG charts inline, no
 * script, no fetch; a Content-Security-Policy forbids any network access) that
 * a reviewer can open from disk or attach to a review.
 *
 * Pure: Report in, HTML string out. The table is rendered here rather than by
 * converting the markdown reporter's output, so the HTML can carry spreads,
 * states and links without a markdown dependency.
 */
import { crossDataset, renderCrossDatasetMarkdown } from '../report/cross-dataset.js';
import { shardNote } from '../report/merged.js';
import { runtimeLabel } from '../measure/capabilities.js';
import { marked } from 'marked';
import { renderSizeofMarkdown } from '../report/sizeof.js';
import { codecFacts, renderCloneTable, renderScalingTable } from '../report/markdown.js';
import { renderSizesMarkdown } from '../report/sizes.js';
import { renderThroughputMarkdown } from '../report/throughput.js';
import { renderExplainHtml } from './explain.js';
import { renderCharts, type ChartFigure } from '../charts/index.js';
import { codecOrder, phaseOrder, sortedNs } from '../charts/vega.js';
import type { CaseResult, Report } from '../types.js';
import { INTRINSIC_BYTES_PER_TUPLE } from '../data/datasets/tuples.js';
import { QUESTION, renderAnswerMarkdown } from '../report/answer.js';
import { datasetNames, datasetSlice, describeDataset, hasSeveralDatasets, isNotApplicable, renderNotApplicableMarkdown } from '../report/datasets.js';
import { type Cell, type Column, tableColumns, tableRows, type TableKind, worstSeriesGap } from '../report/columns.js';
import { methodNotes } from '../report/method.js';
import { migrationNote } from '../results/migrate.js';
import { escapeHtml, formatMiB, formatMs } from '../report/units.js';

export { escapeHtml, worstSeriesGap };

function caseOrder(report: Report): CaseResult[] {
  const codecs = codecOrder(report);
  const phases = phaseOrder(report);
  return [...report.cases].sort((a, b) => a.n - b.n || codecs.indexOf(a.codec) - codecs.indexOf(b.codec) || phases.indexOf(a.phase) - phases.indexOf(b.phase));
}

function htmlCell(col: Column, x: Cell): string {
  const text = x.strong ? `<strong>${escapeHtml(x.text)}</strong>` : escapeHtml(x.text);
  const spread = x.spread ? `<span class="spread">${escapeHtml(x.spread)}</span>` : '';
  const title = x.title ? ` title="${escapeHtml(x.title)}"` : '';
  return `<td${col.numeric ? ' class="num"' : ''}${title}>${text}${spread}</td>`;
}

/** A case table from the shared column definitions (bench/report/columns.ts): the same columns as the markdown's. */
function caseTable(report: Report, kind: TableKind): string {
  const columns = tableColumns(report, kind);
  const cases = caseOrder(report);
  const rows = tableRows(report, columns, cases).map(
    (row) => `<tr class="state-${escapeHtml(row.state)}">${row.cells.map((x, k) => htmlCell(columns[k]!, x)).join('')}</tr>`,
  );
  return `<div class="scroll"><table class="cases cases-${kind}">
<thead><tr>${columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function dataSizes(report: Report): string {
  const dataset = report.config.datasets?.[0]?.name ?? 'tuples';
  const per =
    dataset === 'tuples' ? `${INTRINSIC_BYTES_PER_TUPLE} B a tuple` : `${report.datasets?.[dataset]?.intrinsicBytesPerRecord.toFixed(0) ?? '?'} B a record`;
  const rows = report.data
    .map(
      (d) =>
        `<tr><td class="num">${d.n.toLocaleString('en-US')}</td><td class="num">${formatMiB(d.intrinsicBytes)}</td><td class="num">${d.heapBytes === null ? 'not measured' : formatMiB(d.heapBytes)}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>N</th><th>intrinsic size (${per})</th><th>measured in V8 heap</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function environment(report: Report): string {
  const e = report.environment;
  const c = report.config;
  const rows: [string, string][] = [
    ...((e.runtime && e.runtime.name !== 'node'
      ? [
          ['runtime', runtimeLabel(e)],
          ['engine', e.runtime.engine],
        ]
      : [['Node', e.node]]) as [string, string][]),
    ['V8', e.v8],
    ['platform', `${e.platform} ${e.arch}`],
    ['CPU', `${e.cpuModel} (${e.cores} cores)`],
    ['memory', formatMiB(e.totalMemoryBytes)],
    [
      'packages',
      Object.entries(e.packages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['node flags', e.nodeFlags.join(' ')],
    ['node binary', e.nodeBinary],
    ['peak reset (clear_refs)', e.peakResetAvailable ? 'available: peaks are per phase (VmHWM)' : 'unavailable: peaks are whole-process maxRSS'],
    ['msgpackr native decoder', e.msgpackrNative ? 'yes' : 'no'],
    ['git commit', e.gitCommit ?? 'unknown'],
    ['command', e.command],
    ['N', c.n.map((n) => n.toLocaleString('en-US')).join(', ')],
    ['seed', String(c.seed)],
    ['repeats', String(c.repeats)],
    ['child heap limit', `${c.maxOldSpaceSizeMb} MiB (--max-old-space-size)`],
    ['child timeout', formatMs(c.timeoutMs)],
    ['started', report.startedAt],
    ['finished', report.finishedAt ?? (report.interrupted ? 'interrupted' : 'not finished')],
  ];
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}</tbody></table>`;
}

function codecs(report: Report): string {
  const items = codecOrder(report)
    .filter((name) => report.codecs[name])
    .map((name) => `<li><strong>${escapeHtml(name)}</strong> (${escapeHtml(codecFacts(report, name))}): ${escapeHtml(report.codecs[name]!.description)}</li>`);
  return `<ul>${items.join('\n')}</ul>`;
}

function reproduce(report: Report): string {
  const items = caseOrder(report).map(
    (c) =>
      `<li><span class="case">${escapeHtml(c.codec)} ${escapeHtml(c.phase)} N=${c.n.toLocaleString('en-US')}</span><code>${escapeHtml(c.reproduce)}</code>` +
      (c.error ? `<pre class="error">${escapeHtml(c.error)}</pre>` : '') +
      '</li>',
  );
  return `<ul class="reproduce">${items.join('\n')}</ul>`;
}

/** The method notes, the same list the markdown report prints (bench/report/method.ts). */
function notes(report: Report): string {
  return `<div class="notes">${marked.parse(
    methodNotes(report)
      .map((n) => `- ${n}`)
      .join('\n'),
    { async: false },
  )}</div>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px auto;max-width:1320px;padding:0 16px;color:#1d1d1f}
h1{font-size:20px;margin:0 0 2px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
header p{margin:2px 0}p.question{font-size:17px;font-weight:600}section#answer h2{margin-top:12px}
div.answer p{margin:4px 0}div.answer ul{margin:4px 0;padding-left:20px}div.answer li{margin:2px 0}
div.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:8px 0;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
thead th{background:#f4f4f6}th.num,td.num{text-align:right;white-space:nowrap}.spread{color:#777;font-size:11px;margin-left:4px}
details{margin:8px 0}details summary{cursor:pointer;color:#345}
table.kv th{background:#f8f8fa;white-space:nowrap}table.kv td{overflow-wrap:anywhere}tr.state-failed,tr.state-oom,tr.state-timeout{background:#fff0f0}tr.state-lossy{background:#fffbe6}tr.state-not-run{color:#666}
figure{margin:12px 0 24px}figure svg{max-width:100%;height:auto;display:block}figcaption{color:#555;font-size:12px;max-width:1000px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f4f4f6;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
ul.reproduce li{margin:4px 0}ul.reproduce .case{display:inline-block;min-width:200px}pre.error{color:#a00;white-space:pre-wrap;margin:4px 0}
.warn{background:#fff3cd;border:1px solid #e0c36c;padding:8px 12px}.muted{color:#666}div.more{overflow-x:auto}
`;

function figureHtml(f: ChartFigure): string {
  return `<figure id="${escapeHtml(f.id)}" data-chart="${escapeHtml(f.id)}" aria-label="${escapeHtml(f.title)}">\n${f.svg}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`;
}

/**
 * The report's other tables (copy and delete, scaling, sizes, throughput,
 * sizeof) come from the markdown reporters, rendered with marked, so the two
 * reports can never disagree on them.
 */
function moreSections(report: Report): string {
  const md = [
    renderCloneTable(report),
    renderScalingTable(report),
    renderSizesMarkdown(report),
    renderThroughputMarkdown(report),
    report.sizeof ? renderSizeofMarkdown(report.sizeof) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return md ? `<div class="more">${marked.parse(md, { async: false })}</div>` : '';
}

/** One section of the page. The page is a list of these, so a new part of the report is one more entry. */
export interface Section {
  id: string;
  title: string;
  body: string;
}

function sectionHtml(s: Section): string {
  return `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.body}\n</section>`;
}

/** The sections of the report, in page order: the answer first, then the detail. */
export function reportSections(report: Report, figures: readonly ChartFigure[]): Section[] {
  const headline = figures.find((f) => f.id === 'headline');
  const memory = figures.filter((f) => f.id.startsWith('memory-'));
  const others = figures.filter((f) => f !== headline && !memory.includes(f));
  const sections: Section[] = [
    {
      id: 'answer',
      title: 'Summary',
      body: `<div class="answer">${marked.parse(renderAnswerMarkdown(report, undefined, { question: false }), { async: false })}</div>\n${
        headline ? figureHtml(headline) : '<p class="muted">No chart: no dump or load case finished ok.</p>'
      }`,
    },
  ];
  if (memory.length > 0) sections.push({ id: 'memory', title: 'Memory over time', body: memory.map(figureHtml).join('\n') });
  // the markdown says it under its status line; here above the table whose dashes and derived figures it explains
  const migrated = migrationNote(report, 'This report');
  sections.push({
    id: 'cases',
    title: 'Every case',
    body: `${migrated ? `<p class="warn">${escapeHtml(migrated)}.</p>\n` : ''}${caseTable(report, 'main')}
<details id="more-figures"><summary>More figures per case: × intrinsic, peak external, retained heap, RSS after GC, CPU time, what importing the codec costs, sampled max vs VmHWM, runs</summary>
${caseTable(report, 'more')}
</details>
<h3>Size of the data</h3>
${dataSizes(report)}`,
  });
  if (others.length > 0) sections.push({ id: 'sweeps', title: 'Extra peak against N', body: others.map(figureHtml).join('\n') });
  const more = moreSections(report);
  if (more) sections.push({ id: 'more', title: 'Copying, scaling, sizes, throughput', body: more });
  const explained = explainSection(report);
  if (explained) sections.push({ id: 'explain', title: 'Explain: what the heap held and allocated, by call stack', body: explained });
  sections.push(
    { id: 'formats', title: 'Formats', body: codecs(report) },
    { id: 'method', title: 'How each figure was measured', body: notes(report) },
    { id: 'environment', title: 'Environment', body: environment(report) },
    {
      id: 'reproduce',
      title: 'Reproduce one case',
      body: `<p class="muted">Each line re-runs just that measurement in a fresh process and prints its figures.</p>\n${reproduce(report)}`,
    },
  );
  return sections;
}

/** What the records are, for the header of a one-dataset report. */
function datasetWords(report: Report): string {
  const name = report.config.datasets?.[0]?.name ?? 'tuples';
  if (name === 'tuples') return 'seeded tuples [float, 20-char string, uint64]';
  return `seeded ${name} records`;
}

/** A one-dataset report's n/a list (formats that cannot carry it), after its case table. */
function withNotApplicable(report: Report, sections: Section[]): Section[] {
  const name = report.config.datasets?.[0]?.name ?? 'tuples';
  const md = renderNotApplicableMarkdown(report, name, '###');
  if (!md) return sections;
  const at = sections.findIndex((x) => x.id === 'cases');
  const na: Section = { id: 'not-applicable', title: `Not applicable on ${name}`, body: marked.parse(md.replace(/^###[^\n]*\n/, ''), { async: false }) };
  return [...sections.slice(0, at + 1), na, ...sections.slice(at + 1)];
}

/** `footprint explain` / `run --explain` (bench/report/explain.ts): tables and flame graphs; empty when the results carry none. */
function explainSection(report: Report): string {
  return renderExplainHtml(report, (md) => marked.parse(md, { async: false }));
}

/** The sections of one dataset in a report of several: its description and n/a list, then its own summary, charts and tables. */
const PER_DATASET = new Set(['answer', 'memory', 'cases', 'sweeps', 'more']);

async function severalSections(report: Report): Promise<Section[]> {
  const out: Section[] = [];
  const cross = crossDataset(report);
  if (cross)
    out.push({
      id: 'cross-dataset',
      title: 'Does the ranking hold for your shape?',
      body: marked.parse(renderCrossDatasetMarkdown(cross).replace(/^## .*\n/, ''), { async: false }),
    });
  for (const name of datasetNames(report)) {
    const slice = datasetSlice(report, name);
    const na = renderNotApplicableMarkdown(report, name, '####');
    const head = `${marked.parse(describeDataset(report.datasets[name], name), { async: false })}${na ? marked.parse(na, { async: false }) : ''}`;
    out.push({ id: `dataset-${name}`, title: `Dataset ${name}`, body: head });
    if (slice.cases.length === 0) continue;
    const own = reportSections(slice, await renderCharts(slice)).filter((x) => PER_DATASET.has(x.id));
    // the same sections once per dataset: the ids inside them (charts, details) get the dataset's name too, so none repeats
    out.push(...own.map((x) => ({ ...x, id: `${name}-${x.id}`, title: `${name}: ${x.title}`, body: x.body.replace(/ id="([^"]+)"/g, ` id="${name}-$1"`) })));
  }
  const shared = reportSections({ ...report, cases: report.cases.filter((c) => !isNotApplicable(c)) }, []).filter((x) => !PER_DATASET.has(x.id));
  return [...out, ...shared];
}

export async function renderHtml(full: Report): Promise<string> {
  const several = hasSeveralDatasets(full);
  // n/a cases are in no table or chart: the markdown and the sections per dataset list them with their reasons
  const report: Report = several ? full : { ...full, cases: full.cases.filter((c) => !isNotApplicable(c)) };
  const figures = several ? [] : await renderCharts(report);
  const ns = sortedNs(report)
    .map((n) => n.toLocaleString('en-US'))
    .join(', ');
  const nonNode = report.environment.runtime && report.environment.runtime.name !== 'node';
  const title = `serialization-footprint: ${nonNode ? runtimeLabel(report.environment) : report.environment.node}, N = ${ns}`;
  const e = report.environment;
  const banner = report.interrupted
    ? '<p class="warn">This run was interrupted: only the cases below were measured.</p>'
    : report.finishedAt === null
      ? '<p class="warn">This run had not finished when the report was written.</p>'
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>serialization-footprint</h1>
<p class="question">${escapeHtml(QUESTION)}</p>
<p class="muted">${several ? escapeHtml(full.config.datasets.map((d) => `${d.name} N = ${d.n.map((n) => n.toLocaleString('en-US')).join(', ')}`).join('; ')) : `N = ${escapeHtml(ns)} ${datasetWords(report)}`}, each phase in fresh ${nonNode ? '' : 'Node '}processes. ${escapeHtml(runtimeLabel(e))}, ${escapeHtml(e.platform)} ${escapeHtml(e.arch)}, ${escapeHtml(e.cpuModel)}, started ${escapeHtml(report.startedAt)}. ${several ? '<a href="#cross-dataset">Does the ranking hold?</a>' : '<a href="#cases">Every case</a>'} · <a href="#method">How it was measured</a> · <a href="#environment">Environment</a></p>
${banner}${shardNote(report) ? `<p class="${report.merged?.partial ? 'warn' : 'note'}">${escapeHtml(shardNote(report))}</p>` : ''}
</header>
${(several ? await severalSections(full) : withNotApplicable(full, reportSections(report, figures))).map(sectionHtml).join('\n')}
<footer class="muted"><p>Generated by <code>footprint report</code> from the results JSON; not edited by hand.</p></footer>
</body>
</html>
`;
}
