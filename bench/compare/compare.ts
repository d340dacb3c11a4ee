/**
 * Comparing reports: the first is the baseline, every other one is compared
 * against it. Pure: reports in, a `Comparison` out; reporters render it.
 *
 * A change is only called a change when the repeats say so: Mann–Whitney U
 * at α = 0.05 across the runs of both reports AND the change of the medians
 * at least the noise threshold. Everything else is `~`. File size is
 * deterministic for a given (codec, n, seed), so it is compared exactly.
 */
import { UsageError } from '../cli/errors.js';
import type { CaseResult, Phase, Report, RunMetric } from '../types.js';
import { throughputAgreement } from '../throughput/agreement.js';
import { comparability } from '../runtimes/capabilities.js';
import type { ThroughputSection } from '../throughput/throughput.js';
import { ALPHA, changeInterval, geometricMean, mannWhitneyU, median, minimumPValue, minimumRepeats } from './stats.js';

/** The figures compared, in display order. */
export const COMPARED_METRICS = [
  'peakRssIncrementBytes',
  'peakHeapIncrementBytes',
  'peakExternalBytes',
  'wallMs',
  'fileBytes',
] as const satisfies readonly RunMetric[];
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

export type MetricKind = 'memory' | 'time' | 'size';

export function metricKind(metric: ComparedMetric): MetricKind {
  if (metric === 'wallMs') return 'time';
  if (metric === 'fileBytes') return 'size';
  return 'memory';
}

/** Smallest relative change (fraction) reported as a change, per kind of figure. */
export interface Thresholds {
  memory: number;
  time: number;
}

/** Memory figures repeat to 1-3% here, time to 12-50% (docs/measurement.md): 2% and 5%. */
export const DEFAULT_THRESHOLDS: Thresholds = { memory: 0.02, time: 0.05 };

export interface CompareOptions {
  /** Compare even when n or seed differ. */
  force?: boolean;
  thresholds?: Thresholds;
  /** Significance level (default 0.05). */
  alpha?: number;
}

/** A report and the name it is shown under (`node v22.1.0`, a file name...). */
export interface LabelledReport {
  label: string;
  report: Report;
  /** Where it was read from, for headers. */
  source?: string;
}

/**
 * `same`: identical (`=`); `noise`: no significant change or below threshold (`~`);
 * `better`/`worse`: smaller/larger (every figure is smaller-is-better);
 * `missing`: no runs to compare.
 */
export type Verdict = 'same' | 'noise' | 'better' | 'worse' | 'missing';

export interface SampleSummary {
  median: number;
  values: number[];
}

export interface MetricComparison {
  metric: ComparedMetric;
  kind: MetricKind;
  baseline: SampleSummary | null;
  candidate: SampleSummary | null;
  /** (median(candidate) - median(baseline)) / |median(baseline)|; null when the baseline median is 0 and the candidate's is not. */
  change: number | null;
  /** 95% Hodges–Lehmann interval of candidate/baseline - 1; null when too few repeats or compared exactly. */
  ci: { low: number; high: number } | null;
  /** Two-sided Mann–Whitney p; null when compared exactly (file size) or missing. */
  p: number | null;
  verdict: Verdict;
  /** Why the verdict is `~`, in words (e.g. `p = 0.310`, `below 2% threshold`). */
  reason?: string;
}

export interface CaseComparison {
  codec: string;
  phase: Phase;
  n: number;
  metrics: MetricComparison[];
}

/** A case that could not be compared: only in one report, or not `ok` in one of them. */
export interface UnmatchedCase {
  codec: string;
  phase: Phase;
  n: number;
  note: string;
}

export interface ReportInfo {
  label: string;
  source?: string;
  node: string;
  repeats: number;
}

export interface MetricSummary {
  metric: ComparedMetric;
  /** Geometric mean over cases of median(candidate)/median(baseline); null when no case has both > 0. */
  geomeanRatio: number | null;
  cases: number;
}

/**
 * One codec and direction of the in-process throughput (tinybench), compared by the mean latency of an
 * operation. The reports hold summaries (mean and its 95% margin of error), not the samples, so the
 * test is whether the two runs' intervals overlap (`throughputAgreement`): `~` when they do or when
 * the change is below the time threshold.
 */
export interface ThroughputComparison {
  codec: string;
  direction: 'encode' | 'decode';
  baselineMeanMs: number;
  candidateMeanMs: number;
  baselineRmePercent: number;
  candidateRmePercent: number;
  /** (mean B - mean A) / mean A. */
  change: number;
  verdict: Verdict;
  reason?: string;
}

export interface PairComparison {
  baseline: ReportInfo;
  candidate: ReportInfo;
  cases: CaseComparison[];
  /** Empty when either report has no throughput section, or their batch sizes differ (see warnings). */
  throughput: ThroughputComparison[];
  unmatched: UnmatchedCase[];
  summary: MetricSummary[];
  /** Environment differences beyond the Node/V8 version, and statistical caveats. */
  warnings: string[];
}

export interface Comparison {
  comparisonVersion: 1;
  alpha: number;
  thresholds: Thresholds;
  /** Data differences that were overridden with `force` (empty otherwise). */
  forcedDifferences: string[];
  pairs: PairComparison[];
}

/** Reports measure different data (n or seed): comparing them is meaningless without --force. */
export class DataMismatchError extends UsageError {
  override name = 'DataMismatchError';
}

function info(r: LabelledReport): ReportInfo {
  return {
    label: r.label,
    ...(r.source !== undefined ? { source: r.source } : {}),
    // Bun and Deno: their own name and version (process.version there is the Node API they mimic)
    node: r.report.environment.runtime && r.report.environment.runtime.name !== 'node' ? `${r.report.environment.runtime.name} ${r.report.environment.runtime.version}` : r.report.environment.node,
    repeats: r.report.config.repeats,
  };
}

/** What makes two reports measure different data. Empty when they measure the same. */
export function dataDifferences(a: LabelledReport, b: LabelledReport): string[] {
  const out: string[] = [];
  const na = [...a.report.config.n].sort((x, y) => x - y).join(',');
  const nb = [...b.report.config.n].sort((x, y) => x - y).join(',');
  if (na !== nb) out.push(`n differs (${a.label}: ${na}; ${b.label}: ${nb})`);
  if (a.report.config.seed !== b.report.config.seed) {
    out.push(`seed differs (${a.label}: ${a.report.config.seed}; ${b.label}: ${b.report.config.seed})`);
  }
  return out;
}

/** Environment differences that can move the figures, other than the Node/V8 version itself. */
export function environmentWarnings(a: LabelledReport, b: LabelledReport): string[] {
  const ea = a.report.environment;
  const eb = b.report.environment;
  const out: string[] = [];
  const field = (name: string, x: unknown, y: unknown): void => {
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      out.push(`${name} differs (${a.label}: ${JSON.stringify(x)}; ${b.label}: ${JSON.stringify(y)})`);
    }
  };
  field('cpuModel', ea.cpuModel, eb.cpuModel);
  field('cores', ea.cores, eb.cores);
  field('totalMemoryBytes', ea.totalMemoryBytes, eb.totalMemoryBytes);
  field('platform', `${ea.platform}-${ea.arch}`, `${eb.platform}-${eb.arch}`);
  field('nodeFlags', ea.nodeFlags, eb.nodeFlags);
  field('peakResetAvailable', ea.peakResetAvailable, eb.peakResetAvailable);
  field('msgpackrNative', ea.msgpackrNative, eb.msgpackrNative);
  // the parent's RSS sampling slows the measured child, so wall times only compare at the same interval
  const sa = a.report.config.sampleMs;
  const sb = b.report.config.sampleMs;
  if (sa !== sb) {
    const show = (v: number | undefined): string => (v === undefined ? 'not recorded' : v === 0 ? 'off' : `${v} ms`);
    out.push(`RSS sampling interval differs (${a.label}: ${show(sa)}; ${b.label}: ${show(sb)}): sampling slows the measured phase, so wall times do not compare`);
  }
  const names = [...new Set([...Object.keys(ea.packages), ...Object.keys(eb.packages)])].sort();
  const pkgs = names
    .filter((p) => ea.packages[p] !== eb.packages[p])
    .map((p) => `${p} ${ea.packages[p] ?? 'absent'} → ${eb.packages[p] ?? 'absent'}`);
  if (pkgs.length > 0) out.push(`package versions differ (${a.label} → ${b.label}): ${pkgs.join(', ')}`);
  for (const r of [a, b]) {
    if (r.report.interrupted || r.report.finishedAt === null) {
      out.push(`${r.label} is an incomplete run (interrupted or still running)`);
    }
  }
  return out;
}

function caseKey(c: { codec: string; phase: Phase; n: number }): string {
  return `${c.codec}\u0000${c.phase}\u0000${c.n}`;
}

function valuesOf(c: CaseResult, metric: ComparedMetric): number[] {
  return c.runs.map((r) => r[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

/** Compare one figure of one case. Exported for tests. */
export function compareMetric(
  metric: ComparedMetric,
  a: readonly number[],
  b: readonly number[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  alpha = ALPHA,
): MetricComparison {
  const kind = metricKind(metric);
  const base: MetricComparison = {
    metric,
    kind,
    baseline: a.length > 0 ? { median: median(a), values: [...a] } : null,
    candidate: b.length > 0 ? { median: median(b), values: [...b] } : null,
    change: null,
    ci: null,
    p: null,
    verdict: 'missing',
  };
  if (!base.baseline || !base.candidate) return base;
  const ma = base.baseline.median;
  const mb = base.candidate.median;
  // relative to |A| so the sign always says which way it moved (an increment can be negative at tiny N)
  base.change = ma !== 0 ? (mb - ma) / Math.abs(ma) : mb === 0 ? 0 : null;

  if (kind === 'size') {
    // Deterministic for a given codec, n and seed: any difference is real.
    const identical = [...a, ...b].every((v) => v === a[0]);
    base.verdict = identical ? 'same' : mb < ma ? 'better' : mb > ma ? 'worse' : 'noise';
    if (base.verdict === 'noise') base.reason = 'sizes vary between runs, medians equal';
    return base;
  }

  const test = mannWhitneyU(a, b);
  base.p = test.p;
  const interval = changeInterval(a, b, alpha);
  if (interval && interval.low !== null && interval.high !== null) {
    base.ci = { low: interval.low, high: interval.high };
  }
  const threshold = kind === 'time' ? thresholds.time : thresholds.memory;
  if (test.p >= alpha) {
    base.verdict = 'noise';
    base.reason =
      test.minP >= alpha
        ? `${a.length} vs ${b.length} repeats cannot reach p < ${alpha} (smallest possible p = ${test.minP.toFixed(3)})`
        : `not significant (p = ${test.p.toFixed(3)})`;
  } else if (base.change !== null && Math.abs(base.change) < threshold) {
    base.verdict = 'noise';
    base.reason = `below the ${pct(threshold)} ${kind} threshold`;
  } else {
    base.verdict = mb < ma ? 'better' : 'worse';
  }
  return base;
}

function comparePair(
  baseline: LabelledReport,
  candidate: LabelledReport,
  thresholds: Thresholds,
  alpha: number,
): PairComparison {
  const warnings = environmentWarnings(baseline, candidate);
  const need = minimumRepeats(alpha);
  const ra = baseline.report.config.repeats;
  const rb = candidate.report.config.repeats;
  // the smallest p the exact test can reach depends on both sizes: 3 vs 3 never reaches 0.05, 3 vs 5 can (2/56)
  if (minimumPValue(ra, rb) >= alpha) {
    warnings.push(
      `${ra} vs ${rb} repeats: too few for any change to be significant at α = ${alpha}, so every memory and time figure shows ~; run with --repeats ${Math.max(need, 5)} (${need} is the minimum)`,
    );
  }
  const aCases = new Map(baseline.report.cases.map((c) => [caseKey(c), c]));
  const bCases = new Map(candidate.report.cases.map((c) => [caseKey(c), c]));
  const keys = [...new Set([...aCases.keys(), ...bCases.keys()])];
  const cases: CaseComparison[] = [];
  const unmatched: UnmatchedCase[] = [];
  // across runtimes only comparable figures are compared (bench/runtimes/capabilities.ts); reports without a runtime ran on Node
  const capsA = baseline.report.environment.runtime;
  const capsB = candidate.report.environment.runtime;
  const leftOut = new Set<string>();
  // a peer group (the Python peer) measures its own formats in another language: never compared case by case
  const peerA = baseline.report.peer?.language;
  const peerB = candidate.report.peer?.language;
  for (const key of keys) {
    const ca = aCases.get(key);
    const cb = bCases.get(key);
    const id = (ca ?? cb)!;
    const where = { codec: id.codec, phase: id.phase, n: id.n };
    if (!ca || !cb) {
      unmatched.push({ ...where, note: `only in ${ca ? baseline.label : candidate.label}` });
      continue;
    }
    if (peerA !== peerB) {
      unmatched.push({ ...where, note: `not comparable: ${peerA ? baseline.label : candidate.label} is the ${peerA ?? peerB} peer group, another language's code` });
      continue;
    }
    if (ca.state !== 'ok' || cb.state !== 'ok') {
      unmatched.push({ ...where, note: `state ${ca.state} in ${baseline.label}, ${cb.state} in ${candidate.label}` });
      continue;
    }
    const format = comparability(id.codec, 'peakRssIncrementBytes', capsA, capsB);
    if (!format.comparable) {
      unmatched.push({ ...where, note: `not comparable: ${format.why}` });
      continue;
    }
    const comparable = (m: ComparedMetric): boolean => {
      const c = comparability(id.codec, m, capsA, capsB);
      if (!c.comparable) leftOut.add(`${m} left out: ${c.why}`);
      return c.comparable;
    };
    cases.push({
      ...where,
      // a clone writes no file: its fileBytes is 0 by construction, not a figure to compare
      metrics: COMPARED_METRICS.filter((m) => !(m === 'fileBytes' && id.phase === 'clone')).filter(comparable).map((m) =>
        compareMetric(m, valuesOf(ca, m), valuesOf(cb, m), thresholds, alpha),
      ),
    });
  }
  const summary: MetricSummary[] = COMPARED_METRICS.map((metric) => {
    const ratios = cases
      .flatMap((c) => c.metrics.filter((m) => m.metric === metric))
      .filter((m) => m.baseline && m.candidate && m.baseline.median > 0 && m.candidate.median > 0)
      .map((m) => m.candidate!.median / m.baseline!.median);
    return { metric, geomeanRatio: ratios.length > 0 ? geometricMean(ratios) : null, cases: ratios.length };
  });
  warnings.push(...leftOut);
  const throughput = compareThroughput(baseline, candidate, thresholds, warnings);
  return { baseline: info(baseline), candidate: info(candidate), cases, unmatched, summary, throughput, warnings };
}

/**
 * Compare `reports[1..]` against `reports[0]`. Throws DataMismatchError
 * (a UsageError: exit 2) when n or seed differ, unless `force`.
 */
export function compareReports(reports: readonly LabelledReport[], options: CompareOptions = {}): Comparison {
  if (reports.length < 2) throw new UsageError('compare needs at least two reports (baseline first)');
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const alpha = options.alpha ?? ALPHA;
  const [baseline, ...others] = reports as [LabelledReport, ...LabelledReport[]];
  const differences = others.flatMap((o) => dataDifferences(baseline, o));
  if (differences.length > 0 && !options.force) {
    throw new DataMismatchError(
      `reports measure different data: ${differences.join('; ')}; compare anyway with --force`,
    );
  }
  return {
    comparisonVersion: 1,
    alpha,
    thresholds,
    forcedDifferences: differences,
    pairs: others.map((o) => comparePair(baseline, o, thresholds, alpha)),
  };
}

/** Throughput rows present and ok in both reports; a reason not to compare goes to `warnings`. */
export function compareThroughput(a: LabelledReport, b: LabelledReport, thresholds: Thresholds, warnings: string[]): ThroughputComparison[] {
  const ta = a.report.throughput;
  const tb = b.report.throughput;
  if (!ta || !tb) return [];
  if (ta.batch !== tb.batch) {
    warnings.push(`throughput not compared: batch of ${ta.batch} tuples in ${a.label}, ${tb.batch} in ${b.label}`);
    return [];
  }
  const ok = (s: ThroughputSection, codec: string): boolean => s.rows.some((r) => r.codec === codec && r.state === 'ok');
  const both = { ...ta, rows: ta.rows.filter((r) => ok(ta, r.codec) && ok(tb, r.codec)) };
  const out = throughputAgreement(both, tb).map((g): ThroughputComparison => {
    const change = g.diffPercent / 100;
    const base = {
      codec: g.codec,
      direction: g.direction,
      baselineMeanMs: g.meanAMs,
      candidateMeanMs: g.meanBMs,
      baselineRmePercent: g.rmeAPercent,
      candidateRmePercent: g.rmeBPercent,
      change,
    };
    if (g.agree) return { ...base, verdict: 'noise', reason: 'within the two runs\' 95% margins of error' };
    if (Math.abs(change) < thresholds.time) return { ...base, verdict: 'noise', reason: `below the ${pct(thresholds.time)} time threshold` };
    return { ...base, verdict: change < 0 ? 'better' : 'worse' };
  });
  if (out.length > 0) {
    warnings.push(
      'throughput margins of error cover the noise within one process only: separate runs of one build often differ by more (docs/throughput.md), so read a throughput change as confirmed only when separate runs repeat it',
    );
  }
  return out;
}
