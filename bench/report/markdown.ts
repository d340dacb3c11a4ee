/** The markdown report: a pure function of the results. Generated, never edited by hand. */
import { crossDataset, renderCrossDatasetMarkdown } from './cross-dataset.js';
import { shardNote } from './merged.js';
import { renderExplainMarkdown } from './explain.js';
import type { CaseResult, Report } from '../types.js';
import { renderSizeofMarkdown } from './sizeof.js';
import { runtimeLabel } from '../measure/capabilities.js';
import { renderCapabilityTable } from './capabilities.js';
import { renderSizesMarkdown } from './sizes.js';
import { renderThroughputMarkdown } from './throughput.js';
import { scalingFits } from './scaling.js';
import { methodNotes } from './method.js';
import { median } from '../results/summary.js';
import { migrationNote } from '../results/migrate.js';
import { QUESTION, renderAnswerMarkdown } from './answer.js';
import {
  dataLines,
  datasetNames,
  datasetSlice,
  describeDataset,
  hasSeveralDatasets,
  isNotApplicable,
  recordWord,
  renderNotApplicableMarkdown,
  TUPLES,
} from './datasets.js';
import { RETURNS_WORDS } from '../codecs/returns.js';
import { dumpByOf, returnsOf } from './kinds.js';
import { tableColumns, tableRows, type TableKind } from './columns.js';
import { formatCount, formatMiB } from './units.js';
import { columnsOf, markdownTable } from './table.js';

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

${markdownTable(
  columnsOf(
    [
      'copy method',
      ...(multiN ? ['N'] : []),
      'data heap',
      'copy: extra peak RSS',
      'heap, both alive',
      'freed by dropping the original',
      'live heap after drop + GC',
      'RSS after drop + GC',
    ],
    (_, i) => i > 0,
  ),
  rows,
)}
`;
}

/** Growth of extra peak RSS with N (only for sweeps). */
export function renderScalingTable(report: Report): string {
  const fits = scalingFits(report);
  if (fits.length === 0) return '';
  const word = recordWord(report.config.datasets?.[0]?.name ?? TUPLES); // 'tuple' for the tuples, as before datasets
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

Extra peak RSS per ${word} at each N, a least-squares line of extra peak RSS against N (slope in bytes a ${word}, intercept, R²), and the growth exponent d log(peak) / d log(N) between the smallest and largest N that completed: about 0 is constant, about 1 linear.

${markdownTable(
  columnsOf(
    ['format', 'phase', `bytes a ${word} of extra peak, by N`, 'slope', 'intercept', 'R²', 'growth exponent', 'did not complete'],
    (_, i) => i >= 3 && i <= 6,
  ),
  rows,
)}
`;
}

/** A case table in markdown, from the shared column definitions (bench/report/columns.ts). */
export function renderCaseTable(report: Report, kind: TableKind = 'main'): string {
  const columns = tableColumns(report, kind);
  const rows = tableRows(report, columns).map((row) => row.cells.map((x) => (x.spread ? `${x.text} ${x.spread}` : x.text)));
  // figures right-aligned, as in the HTML table: both from the columns' `numeric`
  return markdownTable(
    columns.map((c) => ({ header: c.header, align: c.numeric ? 'right' : 'left' })),
    rows,
  );
}

function renderProblems(report: Report): string {
  const bad = report.cases.filter((c) => !isNotApplicable(c) && (c.state !== 'ok' || c.error));
  if (bad.length === 0) return '';
  const several = hasSeveralDatasets(report);
  const items = bad.map(
    (c) =>
      `- **${several ? `${c.dataset}: ` : ''}${c.codec} ${c.phase}** (N = ${formatCount(c.n)}): ${c.state}${c.error ? ` — ${c.error.split('\n')[0]}` : ''}`,
  );
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

/** The markdown report: one dataset reads as before datasets; several get a section each (renderSeveralMarkdown). */
export function renderMarkdown(full: Report): string {
  if (hasSeveralDatasets(full)) return renderSeveralMarkdown(full);
  const dataset = datasetNames(full)[0] ?? TUPLES;
  // n/a cases are listed with their reasons, never in a table or a ranking
  const report: Report = { ...full, cases: full.cases.filter((c) => !isNotApplicable(c)) };
  const e = report.environment;
  const cfg = report.config;
  const status = statusText(
    report,
    'the table holds every run measured (a case marked incomplete has fewer runs than the repeats; `--resume` measures the missing ones)',
    'the table holds',
  );
  const migrated = migrationNote(report, 'This report');
  const sizes = `${dataset === TUPLES ? '' : `${describeDataset(report.datasets[dataset], dataset)}\n\n`}${dataLines(report, dataset)
    .map((s) => `- ${s}`)
    .join('\n')}`;
  return `# serialization-footprint report

${renderAnswerMarkdown(report)}

${statusBlock(report, status, migrated)}

${runtimeLine(report)}${e.platform}/${e.arch}, ${e.cpuModel}, ${e.cores} cores, ${formatMiB(e.totalMemoryBytes)} RAM. \
${dataset === TUPLES ? '' : `Dataset \`${dataset}\`, `}N = ${cfg.n.map(formatCount).join(', ')}, seed ${cfg.seed}, ${cfg.repeats} fresh processes per case. Commit ${e.gitCommit ?? 'unknown'}.

## Every case

${renderCaseTable(report)}

How each figure was measured:

${methodNotes(report)
  .map((n) => `- ${n}`)
  .join('\n')}

## More figures

${renderCaseTable(report, 'more')}

RSS after phase + GC: RSS after the phase and a full GC, over the baseline (a peak far above it was a transient spike). CPU time: all the process's threads. Import: what importing the codec (its module, its library and its set-up) costs a fresh process that imports nothing else, RSS, V8 heap and external memory after minus before, each read after full GCs once they stopped moving; in no phase figure. Sampled max vs VmHWM: the parent's sampled RSS maximum inside the phase against the child's own peak, worst run (negative: the sampler missed the top of a short spike).

## Data

${sizes}

${[renderCloneTable(report), renderScalingTable(report)].filter(Boolean).join('\n')}
## Formats

${formatsList(report)}
${renderProblems(report)}${notApplicableSection(full, dataset)}${[renderCapabilities(report), renderSizesMarkdown(report), renderThroughputMarkdown(report)]
  .filter(Boolean)
  .map((x) => `\n${x}`)
  .join('')}${report.sizeof ? `\n${renderSizeofMarkdown(report.sizeof)}` : ''}${explainMarkdown(report)}`;
}

/** Why a dataset has no case in its tables: the run was interrupted first, no format could carry it, or none ran. */
function nothingMeasured(report: Report, dataset: string): string {
  if (report.interrupted) return 'Interrupted before any case of this dataset was recorded: nothing measured (`--resume` measures its cases).';
  if (report.cases.some((c) => c.dataset === dataset && c.state === 'n/a')) return 'No format could carry this dataset: nothing was measured.';
  return 'No case of this dataset ran (see the run’s --codecs and --phases): nothing was measured.';
}

/**
 * What a finished run prints (and the brief shows): the summary and the case table, per dataset when
 * the run has several (each under its name), with the n/a list; n/a cases in no table.
 */
export function renderSummaryAndTable(report: Report): string {
  const one = (slice: Report, name: string, heading: string): string =>
    [
      slice.cases.length > 0 ? `${renderAnswerMarkdown(slice)}\n\n${renderCaseTable(slice)}` : nothingMeasured(report, name),
      renderNotApplicableMarkdown(report, name, heading).trim(),
    ]
      .filter(Boolean)
      .join('\n\n');
  if (!hasSeveralDatasets(report)) {
    const name = datasetNames(report)[0] ?? TUPLES;
    return one({ ...report, cases: report.cases.filter((c) => !isNotApplicable(c)) }, name, '##');
  }
  return `${crossSection(report)}${datasetNames(report)
    .map((name) => `## Dataset \`${name}\`\n\n${one(datasetSlice(report, name), name, '###')}`)
    .join('\n\n')}`;
}

/** "Does the ranking hold for your shape?" (several datasets: the cross-dataset table), with a blank line after; empty otherwise. */
function crossSection(report: Report): string {
  const t = crossDataset(report);
  return t ? `${renderCrossDatasetMarkdown(t)}\n` : '';
}

/** Interrupted, finished or in progress, in one sentence; `measured` and `holds` say what the tables keep. */
function statusText(report: Report, measured: string, holds: string): string {
  if (report.interrupted) return `**Interrupted**: the run was stopped before all cases completed; ${measured}.`;
  return report.finishedAt ? `Finished ${report.finishedAt}.` : `**In progress** (or the run died): ${holds} the cases completed so far.`;
}

/** The status line, the migration note and the shards note. */
function statusBlock(report: Report, status: string, migrated: string | null): string {
  return `${status}${migrated ? `\n\n> **Note:** ${migrated}.` : ''}${shardNote(report) ? `\n\n> **Shards:** ${shardNote(report)}` : ''}`;
}

function formatsList(report: Report): string {
  return Object.keys(report.codecs)
    .map((name) => `- \`${name}\` (${codecFacts(report, name)}): ${report.codecs[name]!.description}`)
    .join('\n');
}

function notApplicableSection(report: Report, dataset: string, heading = '##'): string {
  const md = renderNotApplicableMarkdown(report, dataset, heading);
  return md ? `\n${md}` : '';
}

/** `## X` → `### X`: a whole-report section shown inside a dataset's section. */
function demote(md: string): string {
  return md.replace(/^(#{2,5}) /gm, '#$1 ');
}

/**
 * Several datasets: the run's head, then per dataset in run order a section with its description,
 * schema, data memory, summary, case tables, n/a list, clone and scaling tables (the existing
 * renderers on the dataset's slice of the report), then what the whole run shares: how each figure
 * was measured, the formats, the problems, sizes and throughput (per dataset), sizeof.
 */
function renderSeveralMarkdown(report: Report): string {
  const e = report.environment;
  const cfg = report.config;
  const status = statusText(report, 'the tables hold every run measured (`--resume` measures the missing ones)', 'the tables hold');
  const names = datasetNames(report);
  const sections = names.map((name) => {
    const slice = datasetSlice(report, name);
    const tables =
      slice.cases.length === 0
        ? nothingMeasured(report, name)
        : `${renderAnswerMarkdown(slice, undefined, { question: false })}

### Every case

${renderCaseTable(slice)}

### More figures

${renderCaseTable(slice, 'more')}`;
    const extra = [renderCloneTable(slice), renderScalingTable(slice)].filter(Boolean).map(demote);
    return `## Dataset \`${name}\`

${describeDataset(report.datasets[name], name)}

${dataLines(report, name)
  .map((s) => `- ${s}`)
  .join('\n')}

${tables}
${notApplicableSection(report, name, '###')}${extra.map((x) => `\n${x}`).join('')}`;
  });
  const perDataset = (render: (r: Report) => string): string =>
    names
      .map((name) => {
        const md = render(datasetSlice(report, name));
        return md ? `\n${md.replace(/^## (.*)$/m, `## $1: \`${name}\``)}` : '';
      })
      .join('');
  return `# serialization-footprint report

**${QUESTION}** Asked of ${names.length} datasets: ${names.map((n) => `\`${n}\``).join(', ')}, each in its own section below.

${statusBlock(report, status, migrationNote(report, 'This report'))}

${runtimeLine(report)}${e.platform}/${e.arch}, ${e.cpuModel}, ${e.cores} cores, ${formatMiB(e.totalMemoryBytes)} RAM. \
${cfg.datasets.map((d) => `\`${d.name}\` N = ${d.n.map(formatCount).join(', ')}`).join('; ')}; seed ${cfg.seed}, ${cfg.repeats} fresh processes per case. Commit ${e.gitCommit ?? 'unknown'}.

${crossSection(report)}${sections.join('\n')}
## How each figure was measured

${methodNotes(report)
  .map((n) => `- ${n}`)
  .join('\n')}

RSS after phase + GC: RSS after the phase and a full GC, over the baseline (a peak far above it was a transient spike). CPU time: all the process's threads. Import: what importing the codec (its module, its library and its set-up) costs a fresh process that imports nothing else; in no phase figure.

## Formats

${formatsList(report)}
${renderProblems(report)}${renderCapabilities(report) ? `\n${renderCapabilities(report)}` : ''}${perDataset(renderSizesMarkdown)}${perDataset(renderThroughputMarkdown)}${report.sizeof ? `\n${renderSizeofMarkdown(report.sizeof)}` : ''}${explainMarkdown(report)}`;
}

/** A codec's kind, what its load returns, and whose dump writes its files, for the formats list. */
export function codecFacts(report: Report, name: string): string {
  const c = report.codecs[name]!;
  const by = dumpByOf(report, name);
  return [
    c.kind === 'stream' ? 'streaming' : 'whole document',
    `load returns ${RETURNS_WORDS[returnsOf(report, name)]}`,
    ...(by ? [`no dump of its own: ${by}'s dump writes its file`] : []),
  ].join('; ');
}

/** `footprint explain` / `run --explain` (bench/report/explain.ts); empty when the results carry none. */
function explainMarkdown(report: Report): string {
  const md = renderExplainMarkdown(report);
  return md ? `\n${md}\n` : '';
}
