/**
 * Markdown for the report's throughput section: one row per codec and
 * direction. Pure: report in, string out. Empty string when the report has no
 * throughput section (a `--memory-only` run).
 */
import type { DirectionStats, Report, ThroughputRow, ThroughputSection } from '../types.js';
import { formatInt, formatSig } from './format.js';
import { columnsOf, markdownTable } from './table.js';

/** Encoded bytes per second as MB/s, MB = 10^6 bytes (a rate, as network and disk rates are quoted). */
const MB = 1e6;

/** The columns; `noun` names the records ('tuples', as before datasets, or 'records'). */
const columns = (noun: string) =>
  columnsOf(
    ['format', 'kind', 'direction', 'mean (ms)', '± processes', 'p50 (ms)', 'p99 (ms)', '± rme', 'ops/s', `${noun}/s`, 'MB/s encoded', 'samples', 'verified'],
    (_, i) => i >= 3 && i <= 11,
  );

/** 'tuples' for a section that times the tuples alone (its text as before datasets), 'records' otherwise. */
const nounOf = (t: ThroughputSection): string => (t.rows.every((r) => r.dataset === 'tuples') ? 'tuples' : 'records');

function directionRow(row: ThroughputRow, direction: 'encode' | 'decode', s: DirectionStats): string[] {
  return [
    row.codec,
    row.kind,
    direction,
    formatSig(s.meanMs),
    acrossProcesses(s),
    formatSig(s.p50Ms),
    formatSig(s.p99Ms),
    `${s.rmePercent.toFixed(1)}%`,
    formatInt(s.opsPerSec),
    formatInt(s.tuplesPerSec),
    formatSig(s.encodedBytesPerSec / MB),
    String(s.samples),
    row.verified ? 'yes' : 'no',
  ];
}

/** Half the range of the processes' means, relative to their median: how far one process's figure is from another's. */
function acrossProcesses(s: DirectionStats): string {
  const m = s.processMeansMs;
  if (!m || m.length < 2 || !(s.meanMs > 0)) return '—';
  return `±${((50 * (Math.max(...m) - Math.min(...m))) / s.meanMs).toFixed(1)}%`;
}

function rowsOf(row: ThroughputRow): string[][] {
  if (row.state === 'ok' && row.encode && row.decode) return [directionRow(row, 'encode', row.encode), directionRow(row, 'decode', row.decode)];
  // the error on one line (a stack or a multi-line message would be one long cell anyway)
  const why = (row.error ?? '').replace(/\s+/g, ' ');
  return [[row.codec, row.kind, '—', `${row.state}: ${why}`, '', '', '', '', '', '', '', '', row.verified ? 'yes' : 'no']];
}

/** What one operation handles: '10,000 tuples', '6,750 records', or each dataset's batch. */
function batchText(t: ThroughputSection): string {
  const datasets = [...new Set(t.rows.map((r) => r.dataset))];
  if (datasets.length > 1 && t.batches) return datasets.map((d) => `${formatInt(t.batches?.[d] ?? t.batch)} ${d} records`).join(', ');
  return `${formatInt(t.batch)} ${nounOf(t)}`;
}

function intro(t: ThroughputSection): string {
  const where =
    t.scratchFsType === 'tmpfs'
      ? `a file on ${t.scratchDir} (tmpfs, RAM)`
      : `a file in ${t.scratchDir} (${t.scratchFsType ?? 'filesystem unknown'}: disk I/O may be included)`;
  const processes = t.processes ?? 1;
  const who =
    processes > 1
      ? `${processes} fresh processes, one after another, each time every codec (in its own shuffled order) with tinybench ${t.tinybenchVersion} (${t.timer})`
      : `one process times every codec with tinybench ${t.tinybenchVersion} (${t.timer})`;
  return [
    `In-process, warmed JIT: ${who}, ` +
      `after a warm-up of at least ${formatInt(t.warmupIterations)} iterations / ${formatInt(t.warmupTimeMs)} ms, ` +
      `for at least ${formatInt(t.iterations)} iterations / ${formatInt(t.timeMs)} ms per direction${t.gcBetweenCodecs ? ', full GC between codecs' : ''}. ` +
      `One operation = the codec's own dump (encode) or load (decode) of ${batchText(t)} (seed ${t.seed}) to/from ${where}. ` +
      "These times are not the fresh-process memory runs' times: no start-up, no cold JIT, GC debt shared across codecs.",
    '',
    "mean, p50, p99: latency of one operation (with several processes: the median over them). ± processes: half the range of the processes' means, " +
      'relative to their median: the spread compare tests against. ± rme: relative margin of error of the mean within a process (95%; the median over them). ' +
      `ops/s = 1000 / mean; ${nounOf(t)}/s = ops/s × batch; ` +
      'MB/s encoded = encoded bytes produced (encode) or consumed (decode) per second, MB = 10^6 bytes. ' +
      "verified: the decoded batch matched the generator's checksum (checked outside the timing).",
  ].join('\n');
}

export function renderThroughputMarkdown(report: Pick<Report, 'throughput'>): string {
  const t = report.throughput;
  if (!t) return '';
  return [
    `## Throughput (in-process, warmed JIT)`,
    '',
    intro(t),
    '',
    markdownTable(columns(nounOf(t)), t.rows.filter((r) => r.state !== 'n/a').flatMap(rowsOf)),
    '',
  ].join('\n');
}
