/** The markdown report: a pure function of the results. Generated, never edited by hand. */
import type { CaseResult, DataSize, Report } from '../types.js';
import { INTRINSIC_BYTES_PER_TUPLE } from '../../fixtures/generate.js';
import { renderSizeofMarkdown } from '../sizeof/report.js';
import { renderCapabilityTable, runtimeLabel } from '../runtimes/capabilities.js';
import { renderSizesMarkdown } from './sizes.js';
import { renderThroughputMarkdown } from './throughput.js';
import { scalingFits } from './scaling.js';
import { baselineExternalRange, median, relativeSpread, samplingNote } from './summary.js';
import { migrationNote } from '../results/migrate.js';
import { formatCount, formatMiB, formatMs, formatPercent, formatRatio } from './units.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

function dataFor(report: Report, n: number): DataSize | undefined {
  return report.data.find((d) => d.n === n);
}


function stateLabel(c: CaseResult): string {
  if (c.state === 'ok') return c.runs.every((r) => r.verified) ? 'yes' : 'no';
  return c.state;
}

/** The clone phase: the original experiment's `deepcopy` then `del x`. Empty when no clone case ran. */
export function renderCloneTable(report: Report): string {
  const cases = report.cases.filter((c) => c.phase === 'clone' && c.runs.some((r) => r.clone));
  if (cases.length === 0) return '';
  const multiN = report.config.n.length > 1;
  const m = (c: CaseResult, f: (x: NonNullable<CaseResult['runs'][number]['clone']>) => number): string =>
    formatMiB(median(c.runs.filter((r) => r.clone).map((r) => f(r.clone!))));
  const rows = cases.map((c) => [
    c.codec,
    ...(multiN ? [formatCount(c.n)] : []),
    m(c, (x) => x.dataHeapBytes),
    formatMiB(c.summary.peakRssIncrementBytes?.median, { signed: true }),
    m(c, (x) => x.bothHeapBytes),
    m(c, (x) => x.freedByDropBytes),
    m(c, (x) => x.liveHeapAfterDropBytes),
    m(c, (x) => x.rssAfterDropBytes),
  ]);
  return `## Copy and delete (clone phase)

The original experiment's \`y = deepcopy(x); del x\`: generate, copy (measured window), drop the original, full GC. "Copy: extra peak RSS" is over the baseline taken after generating, right before the copy; the other heap and RSS figures are over the process before the data was generated (so "data heap" is the original alone, "heap, both alive" original plus copy).

${table(['copy method', ...(multiN ? ['N'] : []), 'data heap', 'copy: extra peak RSS', 'heap, both alive', 'freed by dropping the original', 'live heap after drop + GC', 'RSS after drop + GC'], rows)}
`;
}

/** Growth of extra peak RSS with N (only for sweeps). */
export function renderScalingTable(report: Report): string {
  const fits = scalingFits(report);
  if (fits.length === 0) return '';
  const rows = fits.map((f) => [
    f.codec,
    f.phase,
    f.points.map((p) => `${formatCount(p.n)}: ${p.bytesPerTuple.toFixed(1)}`).join('; '),
    `${f.slopeBytesPerTuple.toFixed(1)} B`,
    formatMiB(f.interceptBytes, { signed: true }),
    f.r2 === null ? 'n/a (2 sizes)' : f.r2.toFixed(3),
    f.growthExponent === null ? `n/a (${f.growth})` : `${f.growthExponent.toFixed(2)} (${f.growth})`,
    f.failures.length === 0 ? '—' : f.failures.map((x) => `${formatCount(x.n)}: ${x.state}${x.reason ? ` (${x.reason})` : ''}`).join('; '),
  ]);
  return `## Scaling with N

Extra peak RSS per tuple at each N, a least-squares line of extra peak RSS against N (slope in bytes a tuple, intercept, R²), and the growth exponent d log(peak) / d log(N) between the smallest and largest N that completed: about 0 is constant, about 1 linear.

${table(['format', 'phase', 'bytes a tuple of extra peak, by N', 'slope', 'intercept', 'R²', 'growth exponent', 'did not complete'], rows)}
`;
}

export function renderCaseTable(report: Report): string {
  const multiN = report.config.n.length > 1;
  const header = [
    'format',
    'phase',
    ...(multiN ? ['N'] : []),
    'extra peak RSS',
    'spread',
    '× data heap',
    '× intrinsic',
    'peak live heap Δ',
    'peak external Δ',
    'retained heap',
    'file size',
    'wall time',
    'verified',
  ];
  const rows = report.cases.map((c) => {
    const d = dataFor(report, c.n);
    const rss = c.summary.peakRssIncrementBytes;
    const ok = c.runs.length > 0;
    return [
      c.codec,
      c.phase,
      ...(multiN ? [formatCount(c.n)] : []),
      ok && rss ? formatMiB(rss.median, { signed: true }) : '—',
      ok && c.runs.length > 1 ? formatPercent(relativeSpread(rss)) : '—', // one run has no spread
      ok && rss && d?.heapBytes ? formatRatio(rss.median / d.heapBytes) : 'n/a',
      ok && rss && d ? formatRatio(rss.median / d.intrinsicBytes) : 'n/a',
      ok ? formatMiB(c.summary.peakHeapLiveIncrementBytes?.median, { signed: true }) : '—', // n/a for a schema-1 report
      ok ? formatMiB(c.summary.peakExternalIncrementBytes?.median, { signed: true }) : '—',
      ok ? formatMiB(c.summary.retainedHeapBytes?.median, { signed: true }) : '—',
      ok && c.phase !== 'clone' ? formatMiB(c.summary.fileBytes?.median) : '—', // a clone writes no file
      ok ? formatMs(c.summary.wallMs?.median) : '—',
      stateLabel(c),
    ];
  });
  return table(header, rows);
}

function renderProblems(report: Report): string {
  const bad = report.cases.filter((c) => c.state !== 'ok' || c.error);
  if (bad.length === 0) return '';
  const items = bad.map((c) => `- **${c.codec} ${c.phase}** (N = ${formatCount(c.n)}): ${c.state}${c.error ? ` — ${c.error.split('\n')[0]}` : ''}`);
  return `\n## Cases that did not pass\n\n${items.join('\n')}\n`;
}

/** The runtime that ran the children; Bun and Deno report a Node version of their own Node API, said as such. */
function runtimeLine(report: Report): string {
  const e = report.environment;
  if (!e.runtime || e.runtime.name === 'node') return `Node ${e.node} (V8 ${e.v8}), `;
  return `${runtimeLabel(e)}, engine ${e.runtime.engine}, `;
}

function renderCapabilities(report: Report): string {
  const rt = report.environment.runtime;
  if (!rt) return '';
  return `## What this runtime measures

Probed on the runtime that ran the children. "Measured, not comparable": the figure is in the table above but does not compare with another engine's (compare and matrix leave it out across runtimes).

${renderCapabilityTable(rt)}
`;
}

export function renderMarkdown(report: Report): string {
  const e = report.environment;
  const cfg = report.config;
  const status = report.interrupted
    ? '**Interrupted**: the run was stopped before all cases completed; the table holds the cases that did.'
    : report.finishedAt
      ? `Finished ${report.finishedAt}.`
      : '**In progress** (or the run died): the table holds the cases completed so far.';
  const migrated = migrationNote(report, 'This report');
  const sizes = report.data
    .map((d) => `N = ${formatCount(d.n)}: intrinsic ${formatMiB(d.intrinsicBytes)} (${INTRINSIC_BYTES_PER_TUPLE} B a tuple), in V8's heap ${d.heapBytes === null ? 'not measured' : `${formatMiB(d.heapBytes)} (${(d.heapBytes / d.n).toFixed(0)} B a tuple)`}`)
    .map((s) => `- ${s}`)
    .join('\n');
  const codecs = Object.entries(report.codecs)
    .map(([name, c]) => `- \`${name}\` (${c.kind === 'stream' ? 'streaming' : 'whole document'}): ${c.description}`)
    .join('\n');
  const peakNote =
    e.peakResetAvailable
      ? 'Peak RSS is the phase\'s own high-water mark: `/proc/self/clear_refs` resets VmHWM right before the phase and VmHWM is read right after, so transient spikes inside synchronous calls count.'
      : '**Peak RSS is whole-process** (`maxRSS`): `/proc/self/clear_refs` was not writable, so peaks include process start-up.';
  const baseExt = baselineExternalRange(report.cases);
  const baseExtNote = baseExt ? `the baselines held ${baseExt}` : 'it includes what the baseline held';
  return `# serialization-footprint report

${status}${migrated ? `\n\n> **Note:** ${migrated}.` : ''}

${runtimeLine(report)}${e.platform}/${e.arch}, ${e.cpuModel}, ${e.cores} cores, ${formatMiB(e.totalMemoryBytes)} RAM. \
N = ${cfg.n.map(formatCount).join(', ')}, seed ${cfg.seed}, ${cfg.repeats} fresh processes per case. Commit ${e.gitCommit ?? 'unknown'}.

${renderCaseTable(report)}

How to read it: every figure is an increment over the child's own baseline, taken after \`gc()\` right before the phase, in a fresh process (median of the repeats; spread = (max − min) / median of extra peak RSS). \
${peakNote} Peak live heap: the highest V8 heap used right after any GC in the phase (GCProfiler), or outside the young generation at its end: the young generation's garbage left out (docs/measurement.md). \
Peak external: the highest memory held outside the heap (Buffers, ArrayBuffers) at any GC or at the phase's end, over the baseline's (${baseExtNote}). Retained heap: live heap after the phase and a full GC. \
× data heap / × intrinsic: extra peak RSS as a multiple of the data's measured in-heap size and of its intrinsic 36 bytes a tuple. \
A dump child generated the data before its baseline; a load child never held it. Verified: the data came back exactly (order-sensitive checksum of every float's bits, string and uint64), read back by a fresh process for a dump. Wall time: the phase alone, ${samplingNote(report.config.sampleMs)}. MiB = 1024² bytes.

## Data

${sizes}

${[renderCloneTable(report), renderScalingTable(report)].filter(Boolean).join('\n')}
## Formats

${codecs}
${renderProblems(report)}${[renderCapabilities(report), renderSizesMarkdown(report), renderThroughputMarkdown(report)].filter(Boolean).map((x) => `\n${x}`).join('')}${report.sizeof ? `\n${renderSizeofMarkdown(report.sizeof)}` : ''}`;
}
