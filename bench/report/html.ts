/**
 * The HTML report: one self-contained file (styles and SVG charts inline, no
 * script, no fetch; a Content-Security-Policy forbids any network access) that
 * a reviewer can open from disk or attach to a review.
 *
 * Pure: Report in, HTML string out. The table is rendered here rather than by
 * converting the markdown reporter's output, so the HTML can carry spreads,
 * states and links without a markdown dependency.
 */
import { runtimeLabel } from '../runtimes/capabilities.js';
import { marked } from 'marked';
import { renderSizeofMarkdown } from '../sizeof/report.js';
import { renderCloneTable, renderScalingTable } from './markdown.js';
import { renderSizesMarkdown } from './sizes.js';
import { renderThroughputMarkdown } from './throughput.js';
import { renderCharts, type ChartFigure } from '../charts/index.js';
import { codecOrder, phaseOrder, sortedNs } from '../charts/vega.js';
import { seriesPhaseMaxBytes } from '../measure/sampler.js';
import type { CaseResult, Report, RunMetric, Spread } from '../types.js';
import { baselineExternalRange, samplingNote } from './summary.js';
import { INTRINSIC_BYTES_PER_TUPLE } from '../../fixtures/generate.js';

const MIB = 1024 * 1024;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Local formatters (MiB = 1024², always labelled): the HTML only needs these few.
function mib(bytes: number): string {
  const v = bytes / MIB;
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} MiB`;
}
function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`;
}
function times(x: number): string {
  return `${x.toFixed(2)}×`;
}

function signedPercent(x: number): string {
  const v = (x * 100).toFixed(1);
  return Number(v) === 0 ? '0.0%' : `${x > 0 ? '+' : ''}${v}%`;
}

function spread(c: CaseResult, metric: RunMetric): Spread | null {
  const s = c.summary[metric];
  if (s) return s;
  const v = c.runs.map((r) => r[metric]).filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return { median: v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2, min: v[0]!, max: v[v.length - 1]! };
}

function cell(s: Spread | null, fmt: (v: number) => string, showSpread = true): string {
  if (!s) return '<td class="na">–</td>';
  const rel = s.median !== 0 ? ((s.max - s.min) / Math.abs(s.median)) * 100 : 0;
  const sub = showSpread && s.max !== s.min ? `<span class="spread" title="min ${fmt(s.min)}, max ${fmt(s.max)}">spread ${rel.toFixed(1)}%</span>` : '';
  return `<td class="num">${fmt(s.median)}${sub}</td>`;
}

/** Worst relative gap, over a case's runs, between the series' in-phase maximum and the child's VmHWM peak. */
export function worstSeriesGap(c: CaseResult): number | null {
  let worst: number | null = null;
  for (const r of c.runs) {
    if (!r.series) continue;
    const max = seriesPhaseMaxBytes(r.series);
    if (max === null || r.peakRssBytes <= 0) continue;
    const gap = (max - r.peakRssBytes) / r.peakRssBytes;
    if (worst === null || Math.abs(gap) > Math.abs(worst)) worst = gap;
  }
  return worst;
}

function caseOrder(report: Report): CaseResult[] {
  const codecs = codecOrder(report);
  const phases = phaseOrder(report);
  return [...report.cases].sort(
    (a, b) => a.n - b.n || codecs.indexOf(a.codec) - codecs.indexOf(b.codec) || phases.indexOf(a.phase) - phases.indexOf(b.phase),
  );
}

function summaryTable(report: Report): string {
  const rows = caseOrder(report).map((c) => {
    const size = report.data.find((d) => d.n === c.n);
    const inc = spread(c, 'peakRssIncrementBytes');
    const ok = c.state === 'ok';
    const verified = c.runs.length > 0 && c.runs.every((r) => r.verified);
    const gap = worstSeriesGap(c);
    return [
      `<tr class="state-${escapeHtml(c.state)}">`,
      `<td>${escapeHtml(c.codec)}</td><td>${escapeHtml(c.phase)}</td><td class="num">${c.n.toLocaleString('en-US')}</td>`,
      `<td>${ok ? 'ok' : `<strong>${escapeHtml(c.state)}</strong>`}</td>`,
      cell(inc, mib),
      `<td class="num">${inc && size ? times(inc.median / size.intrinsicBytes) : '–'}</td>`,
      `<td class="num">${inc && size?.heapBytes ? times(inc.median / size.heapBytes) : '–'}</td>`,
      cell(spread(c, 'peakHeapLiveIncrementBytes'), mib),
      cell(spread(c, 'peakExternalIncrementBytes'), mib),
      cell(spread(c, 'retainedHeapBytes'), mib, false),
      c.phase === 'clone' ? '<td class="na">–</td>' : cell(spread(c, 'fileBytes'), mib, false), // a clone writes no file
      cell(spread(c, 'wallMs'), ms),
      `<td>${c.runs.length === 0 ? '–' : verified ? 'yes' : '<strong>no</strong>'}</td>`,
      `<td class="num">${gap === null ? '–' : signedPercent(gap)}</td>`,
      `<td class="num">${c.runs.length}</td>`,
      '</tr>',
    ].join('');
  });
  return `<div class="scroll"><table class="summary">
<thead><tr><th>codec</th><th>phase</th><th>N</th><th>state</th><th>extra peak RSS<br><small>median, spread</small></th><th>× intrinsic</th><th>× in heap</th><th>peak live heap increment<br><small>median, spread</small></th><th>peak external increment</th><th>retained heap after GC</th><th>file size</th><th>phase wall time<br><small>median, spread</small></th><th>verified</th><th>sampled max vs VmHWM<br><small>worst of runs</small></th><th>runs</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

function dataSizes(report: Report): string {
  const rows = report.data
    .map((d) => `<tr><td class="num">${d.n.toLocaleString('en-US')}</td><td class="num">${mib(d.intrinsicBytes)}</td><td class="num">${d.heapBytes === null ? 'not measured' : mib(d.heapBytes)}</td></tr>`)
    .join('\n');
  return `<table><thead><tr><th>N</th><th>intrinsic size (${INTRINSIC_BYTES_PER_TUPLE} B a tuple)</th><th>measured in V8 heap</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function environment(report: Report): string {
  const e = report.environment;
  const c = report.config;
  const rows: [string, string][] = [
    ...((e.runtime && e.runtime.name !== 'node' ? [['runtime', runtimeLabel(e)], ['engine', e.runtime.engine]] : [['Node', e.node]]) as [string, string][]),
    ['V8', e.v8],
    ['platform', `${e.platform} ${e.arch}`],
    ['CPU', `${e.cpuModel} (${e.cores} cores)`],
    ['memory', mib(e.totalMemoryBytes)],
    ['packages', Object.entries(e.packages).map(([k, v]) => `${k} ${v}`).join(', ')],
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
    ['child timeout', ms(c.timeoutMs)],
    ['started', report.startedAt],
    ['finished', report.finishedAt ?? (report.interrupted ? 'interrupted' : 'not finished')],
  ];
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}</tbody></table>`;
}

function codecs(report: Report): string {
  const items = codecOrder(report)
    .filter((name) => report.codecs[name])
    .map((name) => `<li><strong>${escapeHtml(name)}</strong> (${escapeHtml(report.codecs[name]!.kind)}): ${escapeHtml(report.codecs[name]!.description)}</li>`);
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

function notes(report: Report): string {
  const baseExt = baselineExternalRange(report.cases);
  return `<ul class="notes">
<li><strong>Extra peak RSS</strong>: each run is a fresh child process. It runs <code>gc()</code> and waits for RSS to settle, resets the kernel's high-water mark by writing 5 to <code>/proc/self/clear_refs</code>, reads its RSS (the baseline), runs the phase, then reads <code>VmHWM</code> from <code>/proc/self/status</code>: the phase's own peak, transient spikes included. The figure is that peak minus the baseline. Where clear_refs is unavailable the peak is the whole-process <code>maxRSS</code> (see environment).</li>
<li><strong>× intrinsic / × in heap</strong>: the extra peak divided by the data's intrinsic size (N × ${INTRINSIC_BYTES_PER_TUPLE} B: float64, uint64 and 20 one-byte characters) and by the generated tuples' measured live V8 heap.</li>
<li><strong>Peak live heap increment</strong>: the highest V8 heap used right after any GC during the phase (<code>v8.GCProfiler</code>: what survived the collection), or at its end the heap used outside the young generation, minus the baseline. The young generation's garbage is left out: the raw peak before GCs (<code>peakHeapWithGarbageBytes</code> in the JSON) reads about +14 MiB for any streaming phase, the nursery filling between scavenges.</li>
<li><strong>Peak external increment</strong>: the highest external memory (Buffers and ArrayBuffers outside the V8 heap, V8's <code>external_memory</code> counter) seen at any GC during the phase or at its end, minus the baseline's${baseExt ? ` (the baselines held ${escapeHtml(baseExt)})` : ''}.</li>
<li><strong>Retained heap after GC</strong>: live heap after the phase and a full GC, over the baseline: what the result or leftovers keep.</li>
<li><strong>Phase wall time</strong>: the phase alone, in the child; it varies far more than memory between runs on a shared machine; ${escapeHtml(samplingNote(report.config.sampleMs))}.</li>
<li><strong>Verified</strong>: outside the measured window the data is checked exactly (order-sensitive checksum of every float's bits, string and uint64).</li>
<li><strong>Memory over time</strong>: the parent reads <code>VmRSS</code> from <code>/proc/&lt;pid&gt;/status</code> of the child every few milliseconds; the child reports phase boundaries over IPC. Series are stored downsampled keeping each bucket's maximum, so the peak is never lost. The series is for the picture; the headline peak is the child's VmHWM. <strong>Sampled max vs VmHWM</strong> compares the two (negative: the sampler missed the top of a short spike).</li>
<li>Spread = (max − min) / median over the repeats (hover for min and max). MiB = 1024² bytes.</li>
</ul>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1d1d1f}
h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
div.scroll{overflow-x:auto}table{border-collapse:collapse;margin:8px 0;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
thead th{background:#f4f4f6}td.num{text-align:right;white-space:nowrap}.spread{display:block;color:#777;font-size:11px}
table.kv th{background:#f8f8fa;white-space:nowrap}tr.state-failed,tr.state-oom,tr.state-timeout{background:#fff0f0}tr.state-lossy{background:#fffbe6}
figure{margin:16px 0 28px}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:12px;max-width:900px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f4f4f6;padding:1px 4px;border-radius:3px}
ul.reproduce li{margin:4px 0}ul.reproduce .case{display:inline-block;min-width:200px}pre.error{color:#a00;white-space:pre-wrap;margin:4px 0}
.warn{background:#fff3cd;border:1px solid #e0c36c;padding:8px 12px}.muted{color:#666}
`;

function chartsSection(figures: ChartFigure[]): string {
  if (figures.length === 0) return '<p class="muted">No charts: no case finished ok.</p>';
  return figures
    .map(
      (f) =>
        `<figure id="${escapeHtml(f.id)}" data-chart="${escapeHtml(f.id)}" aria-label="${escapeHtml(f.title)}">\n${f.svg}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`,
    )
    .join('\n');
}

/**
 * The report's other tables (copy and delete, scaling, sizes, throughput,
 * sizeof) come from the markdown reporters, rendered with marked, so the two
 * reports can never disagree on them.
 */
function moreSections(report: Report): string {
  const md = [renderCloneTable(report), renderScalingTable(report), renderSizesMarkdown(report), renderThroughputMarkdown(report), report.sizeof ? renderSizeofMarkdown(report.sizeof) : '']
    .filter(Boolean)
    .join('\n\n');
  return md ? `<div class="more">${marked.parse(md, { async: false })}</div>` : '';
}

export async function renderHtml(report: Report): Promise<string> {
  const figures = await renderCharts(report);
  const ns = sortedNs(report).map((n) => n.toLocaleString('en-US')).join(', ');
  const nonNode = report.environment.runtime && report.environment.runtime.name !== 'node';
  const title = `serialization-footprint: ${nonNode ? runtimeLabel(report.environment) : report.environment.node}, N = ${ns}`;
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
<h1>serialization-footprint</h1>
<p class="muted">How much memory it costs to dump N seeded tuples [float, 20-char string, uint64] to a file and load them back, per format, in fresh ${nonNode ? '' : 'Node '}processes. ${escapeHtml(runtimeLabel(report.environment))}, ${escapeHtml(report.environment.platform)} ${escapeHtml(report.environment.arch)}, started ${escapeHtml(report.startedAt)}.</p>
${banner}
<h2 id="summary">Summary</h2>
${summaryTable(report)}
<h3>Size of the data</h3>
${dataSizes(report)}
<h2 id="charts">Charts</h2>
${chartsSection(figures)}
${moreSections(report)}
<h2 id="formats">Formats</h2>
${codecs(report)}
<h2 id="method">How each figure was measured</h2>
${notes(report)}
<h2 id="environment">Environment</h2>
${environment(report)}
<h2 id="reproduce">Reproduce one case</h2>
<p class="muted">Each line re-runs just that measurement in a fresh process and prints its figures.</p>
${reproduce(report)}
<footer class="muted"><p>Generated by <code>footprint report</code> from the results JSON; not edited by hand.</p></footer>
</body>
</html>
`;
}
