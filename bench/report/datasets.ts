/**
 * Datasets in a report (schema 3): a report's slice for one dataset (its cases, data, sizes and
 * throughput rows, so the existing renderers show one dataset's tables as they show a one-dataset
 * report), the dataset's header (description, schema, data memory) and its n/a list. Pure.
 */
import type { CaseResult, DatasetInfo, Report } from '../types.js';
import { formatCount, formatMiB } from './units.js';

/** The tuples: the dataset whose report reads as before datasets. */
export const TUPLES = 'tuples';

/** The datasets of a report in run order. */
export function datasetNames(report: Report): string[] {
  return report.config.datasets.map((d) => d.name);
}

/** More than one dataset: the reports show a section per dataset. */
export function hasSeveralDatasets(report: Report): boolean {
  return report.config.datasets.length > 1;
}

/** `tuple` for the tuples, `record` otherwise (per-record figures). */
export function recordWord(dataset: string): string {
  return dataset === TUPLES ? 'tuple' : 'record';
}

/** A case a format could not run (it cannot carry the dataset): listed with its reason, never in a table or ranking. */
export function isNotApplicable(c: Pick<CaseResult, 'state'>): boolean {
  return c.state === 'n/a';
}

/**
 * The report as if it had measured `dataset` alone: its cases (without the n/a ones, which tables
 * and rankings never show: `notApplicable` lists them), data rows, sizes and throughput rows, and
 * configuration. The tuples' sizeof model stays with the tuples.
 */
export function datasetSlice(report: Report, dataset: string): Report {
  const run = report.config.datasets.find((d) => d.name === dataset);
  const n = run ? [...run.n] : report.config.n;
  const info = report.datasets[dataset];
  const { sizeof, throughput, sizes, ...rest } = report;
  // n/a rows are listed with the cases that cannot run (notApplicableLines), as the memory tables do
  const rows = throughput?.rows.filter((r) => r.dataset === dataset && r.state !== 'n/a') ?? [];
  const ownSizes = sizes?.filter((r) => r.dataset === dataset);
  return {
    ...rest,
    config: { ...report.config, n, datasets: run ? [run] : [] },
    datasets: info ? { [dataset]: info } : {},
    data: report.data.filter((d) => d.dataset === dataset),
    cases: report.cases.filter((c) => c.dataset === dataset && !isNotApplicable(c)),
    ...(ownSizes && ownSizes.length > 0 ? { sizes: ownSizes } : {}),
    ...(throughput && rows.length > 0 ? { throughput: { ...throughput, batch: throughput.batches?.[dataset] ?? throughput.batch, rows } } : {}),
    ...(sizeof && dataset === TUPLES ? { sizeof } : {}),
  };
}

/** The n/a cases of a dataset, one line per codec (its phases together) with the reason. */
export function notApplicableLines(report: Report, dataset: string): string[] {
  const byCodec = new Map<string, { phases: string[]; error: string }>();
  for (const c of report.cases) {
    if (c.dataset !== dataset || !isNotApplicable(c)) continue;
    const e = byCodec.get(c.codec) ?? { phases: [], error: (c.error ?? 'n/a').replace(/^n\/a: /, '') };
    if (!e.phases.includes(c.phase)) e.phases.push(c.phase);
    byCodec.set(c.codec, e);
  }
  return [...byCodec].map(([codec, e]) => `\`${codec}\` (${e.phases.join(', ')}): ${e.error}`);
}

/** The n/a list of a dataset in markdown (empty when every format could carry it). */
export function renderNotApplicableMarkdown(report: Report, dataset: string, heading = '##'): string {
  const lines = notApplicableLines(report, dataset);
  if (lines.length === 0) return '';
  return `${heading} Not applicable: formats that cannot carry ${dataset}

No child ran for these: the format cannot express the dataset (the codec said why, naming the first field it cannot carry). Never ranked; fine for the exit code.

${lines.map((l) => `- ${l}`).join('\n')}
`;
}

/** One line per N of a dataset's data: intrinsic size and the measured heap, per record. */
export function dataLines(report: Report, dataset: string): string[] {
  const word = recordWord(dataset);
  const per = report.datasets[dataset]?.intrinsicBytesPerRecord;
  const perText = (bytes: number, n: number): string => `${n > 0 ? (bytes / n).toFixed(0) : '—'} B a ${word}`;
  return report.data
    .filter((d) => d.dataset === dataset)
    .map(
      (d) =>
        `N = ${formatCount(d.n)}: intrinsic ${formatMiB(d.intrinsicBytes)} (${per !== undefined && dataset === TUPLES ? `${per} B a tuple` : perText(d.intrinsicBytes, d.n)}), in V8's heap ${d.heapBytes === null ? 'not measured' : `${formatMiB(d.heapBytes)} (${perText(d.heapBytes, d.n)})`}`,
    );
}

/** Where a reader's dataset came from, in one line (nothing for a built-in). */
function sourceLine(source: DatasetInfo['source']): string {
  if (!source) return '';
  const sha = `SHA-256 \`${source.sha256.slice(0, 12)}…\``;
  if (source.kind === 'module') return `\n\nFrom the module \`${source.path}\` (${sha}).`;
  const flags = [
    ...(source.uint64Paths.length > 0 ? [`--uint64 ${source.uint64Paths.join(',')}`] : []),
    source.schemaFile !== undefined ? `schema from \`${source.schemaFile}\`` : 'schema inferred',
  ];
  return `\n\nFrom the sample \`${source.path}\` (${sha}, ${source.sampleRecords.toLocaleString('en-US')} records; ${flags.join('; ')}).`;
}

/** A dataset's description and schema, for the head of its section; a reader's dataset adds its file and notes. */
export function describeDataset(info: DatasetInfo | undefined, dataset: string): string {
  if (!info) return `The dataset \`${dataset}\` (not described in this report).`;
  const notes = (info.notes ?? []).map((n) => `- ${n}`).join('\n');
  return `${info.description.charAt(0).toUpperCase()}${info.description.slice(1)}.${sourceLine(info.source)}

\`\`\`
${info.lines.join('\n')}
\`\`\`${notes ? `\n\n${notes}` : ''}`;
}
