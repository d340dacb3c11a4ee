/**
 * The Python peer group's markdown: a pure function of its report. Only the
 * figures the peer measures are shown (no heap columns: CPython has no V8
 * heap), with the check of the original experiment's finding.
 */
import { renderCapabilityTable } from './capabilities.js';
import { columnsOf, markdownTable } from './table.js';
import { median, relativeSpread } from '../results/summary.js';
import { formatCount, formatMiB, formatMs, formatPercent, formatRatio } from './units.js';
import type { CaseResult, Report } from '../types.js';

/** Median RSS of the generated list at `n`, from the dump runs (what the original finding compares with). */
export function dataRssOf(report: Report, n: number): number | null {
  const v = report.cases
    .filter((c) => c.phase === 'dump' && c.n === n)
    .flatMap((c) => c.runs.map((r) => r.dataRssBytes).filter((x): x is number => typeof x === 'number'));
  return v.length > 0 ? median(v) : null;
}

/** Thresholds of "comparable to the data" and "nearly none", as fractions of the data's RSS. */
export const FINDING_THRESHOLDS = { pickleDumpAtLeast: 0.25, flatDumpAtMost: 0.05 } as const;

export interface FindingCheck {
  n: number;
  dataRssBytes: number;
  pickleDumpBytes: number;
  flatDumpBytes: number;
  reproduced: boolean;
}

/**
 * The seed experiment's finding: `pickle.dump` needs extra memory comparable to
 * the data (117 MB on 127 MB there; about +104 MiB on 222 MiB re-run with
 * Python 3.11), the flat file written line by line almost none. Null when a
 * figure is missing.
 */
export function checkOriginalFinding(report: Report, n: number): FindingCheck | null {
  const data = dataRssOf(report, n);
  const fig = (format: string): number | undefined => {
    const c = report.cases.find((x) => x.codec === format && x.phase === 'dump' && x.n === n && x.state === 'ok');
    return c?.summary.peakRssIncrementBytes?.median;
  };
  const pickle = fig('pickle');
  const flat = fig('flat');
  if (data === null || data <= 0 || pickle === undefined || flat === undefined) return null;
  return {
    n,
    dataRssBytes: data,
    pickleDumpBytes: pickle,
    flatDumpBytes: flat,
    reproduced: pickle >= FINDING_THRESHOLDS.pickleDumpAtLeast * data && flat <= FINDING_THRESHOLDS.flatDumpAtMost * data,
  };
}

function state(c: CaseResult): string {
  if (c.state === 'ok') return c.runs.every((r) => r.verified) ? 'yes' : 'no';
  return c.state;
}

export function renderPeerCaseTable(report: Report): string {
  const multiN = report.config.n.length > 1;
  const rows = report.cases.map((c) => {
    const ok = c.runs.length > 0;
    const rss = c.summary.peakRssIncrementBytes;
    const data = dataRssOf(report, c.n);
    const after = ok ? median(c.runs.map((r) => (r.rssAfterGcBytes ?? Number.NaN) - r.baselineRssBytes)) : Number.NaN;
    return [
      c.codec,
      c.phase,
      ...(multiN ? [formatCount(c.n)] : []),
      ok && rss ? formatMiB(rss.median, { signed: true }) : '—',
      ok && c.runs.length > 1 ? formatPercent(relativeSpread(rss)) : '—',
      ok && rss && data ? formatRatio(rss.median / data) : 'n/a',
      ok && rss ? formatRatio(rss.median / (c.n * 36)) : 'n/a',
      ok ? formatMiB(after, { signed: true }) : '—',
      ok ? formatMiB(c.summary.fileBytes?.median) : '—',
      ok ? formatMs(c.summary.wallMs?.median) : '—',
      ok ? formatMs(c.summary.cpuMs?.median) : '—',
      state(c),
    ];
  });
  return markdownTable(
    columnsOf(
      [
        'format',
        'phase',
        ...(multiN ? ['N'] : []),
        'extra peak RSS',
        'spread',
        '× data RSS',
        '× intrinsic',
        'RSS after phase + GC',
        'file size',
        'wall time',
        'CPU time',
        'verified',
      ],
      // figures right-aligned; the identifying columns and the verdict left
      (h, i) => i >= 2 && h !== 'verified',
    ),
    rows,
  );
}

export function renderFinding(report: Report): string {
  const lines = report.config.n.map((n) => {
    const f = checkOriginalFinding(report, n);
    if (!f) return `- N = ${formatCount(n)}: not checked (pickle or flat dump, or the data's RSS, missing)`;
    return `- N = ${formatCount(n)}: the list holds ${formatMiB(f.dataRssBytes)} of RSS; \`pickle.dump\` needed ${formatMiB(f.pickleDumpBytes, { signed: true })} (${formatRatio(f.pickleDumpBytes / f.dataRssBytes)} the data), the flat file's dump ${formatMiB(f.flatDumpBytes, { signed: true })} (${formatRatio(f.flatDumpBytes / f.dataRssBytes)}): **${f.reproduced ? 'reproduced' : 'not reproduced'}**`;
  });
  return `## The original finding

The seed experiment: \`pickle.dump\` needed extra memory comparable to the data (117 MB on 127 MB), the flat file written line by line almost none. Called reproduced here when pickle's dump needs at least ${FINDING_THRESHOLDS.pickleDumpAtLeast * 100}% of the data's RSS and the flat dump at most ${FINDING_THRESHOLDS.flatDumpAtMost * 100}%.

${lines.join('\n')}
`;
}

export function renderPeerMarkdown(report: Report): string {
  const e = report.environment;
  const cfg = report.config;
  const peer = report.peer;
  const status = report.interrupted
    ? '**Interrupted**: the table holds the cases that completed.'
    : report.finishedAt
      ? `Finished ${report.finishedAt}.`
      : '**In progress** (or the run died): the table holds the cases completed so far.';
  const formats = Object.entries(report.codecs).map(
    ([name, c]) => `- \`${name}\` (${c.kind === 'stream' ? 'line by line' : 'whole document'}): ${c.description}. uint64: ${peer?.uint64[name] ?? 'n/a'}.`,
  );
  const notMeasured = (peer?.notMeasured ?? []).map((m) => `- \`${m.metric}\`: ${m.reason}`);
  const bad = report.cases
    .filter((c) => c.state !== 'ok' || c.error)
    .map((c) => `- **${c.codec} ${c.phase}** (N = ${formatCount(c.n)}): ${c.state}${c.error ? ` — ${c.error.split('\n')[0]}` : ''}`);
  return `# Python peer group (CPython ${peer?.version ?? e.node})

${status}

The original experiment in CPython, measured by the suite's method: a fresh \`python3\` per (format, phase, repeat) writes 5 to \`/proc/self/clear_refs\`, reads its baseline after \`gc.collect()\`, runs the phase, reads \`VmHWM\`, and verifies outside the window (a dump's file is read back by a fresh process). The data is the suite's seeded tuples, generated by a Python port of the generator; every verified run matched the JavaScript generator's checksum. \
${e.platform}/${e.arch}, ${e.cpuModel}, ${e.cores} cores, ${formatMiB(e.totalMemoryBytes)} RAM. N = ${cfg.n.map(formatCount).join(', ')}, seed ${cfg.seed}, ${cfg.repeats} fresh processes per case. Commit ${e.gitCommit ?? 'unknown'}.

${renderPeerCaseTable(report)}

Extra peak RSS is over the baseline right before the phase; × data RSS: as a multiple of the RSS the generated list added to a dump child; × intrinsic: of 36 bytes a tuple. RSS after phase + GC: after \`gc.collect()\`, over the same baseline. MiB = 1024² bytes.

${renderFinding(report)}
## What the peer measures

${e.runtime ? renderCapabilityTable(e.runtime) : ''}

Not measured (a run's field holds 0 for it, never shown as a figure):

${notMeasured.join('\n')}

## Formats

${formats.join('\n')}
${bad.length > 0 ? `\n## Cases that did not pass\n\n${bad.join('\n')}\n` : ''}`;
}
