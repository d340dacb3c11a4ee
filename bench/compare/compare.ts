/**
 * Comparing reports: the first is the baseline, every other one is compared
 * against it. Pure: reports in, a `Comparison` out; reporters render it.
 *
 * A change is only called a change when three things hold (docs/compare.md):
 * - it is significant: Welch's t-test over the runs of both reports, its p-value adjusted for the
 *   number of figures compared (Benjamini–Hochberg over every tested figure of the pair), below α;
 * - it is larger than the relative threshold of its kind (2% memory, 5% time);
 * - it is larger than the absolute floor of its kind (2 MiB memory, 5 ms time): a near-zero figure
 *   that moves by a few hundred pages is not a regression, whatever its percentage.
 * Everything else is `~`. Every memory figure compared is an increment over the child's own
 * baseline. File size is deterministic for a given (codec, n, seed), so it is compared exactly.
 */
import { InputError } from '../errors.js';
import { MIB, wholePercent } from '../units.js';
import { migrationNote } from '../results/migrate.js';
import type { CaseResult, Phase, Report, RunMetric, ThroughputSection } from '../types.js';
import { throughputAgreement } from '../throughput/agreement.js';
import { comparability } from '../runtimes/capabilities.js';
import { ALPHA, benjaminiHochberg, geometricMean, median, welchTest } from './stats.js';

/** The figures compared, in display order. */
export const COMPARED_METRICS = [
  'peakRssIncrementBytes',
  'peakHeapLiveIncrementBytes',
  'peakExternalIncrementBytes',
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

/**
 * The smallest change reported as a change, per kind of figure: a relative threshold (fraction of
 * the baseline's median) and an absolute floor; a change must exceed both.
 */
export interface Thresholds {
  memory: number;
  time: number;
  /** Absolute floor of a memory change, bytes. */
  memoryFloorBytes: number;
  /** Absolute floor of a time change, milliseconds. */
  timeFloorMs: number;
}

/**
 * Defaults from measured spreads (docs/compare.md): memory figures repeat to 0.1-1.5% (2%); a
 * near-zero streaming dump moved 1.3 MiB between two sittings of one build and spread 2.6-11 MiB
 * within five runs (2 MiB); phase times spread 12-50% between sittings (5%, and 5 ms for the
 * 30 ms columnar load, whose runs spread 7 ms).
 */
export const DEFAULT_THRESHOLDS: Thresholds = { memory: 0.02, time: 0.05, memoryFloorBytes: 2 * MIB, timeFloorMs: 5 };

export interface CompareOptions {
  /** Compare even when n or seed differ. */
  force?: boolean;
  thresholds?: Thresholds;
  /** False discovery rate of the Benjamini–Hochberg adjustment, and the intervals' 1 - confidence (default 0.05). */
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
  /** 95% Welch interval of candidate/baseline - 1; null when too few repeats or compared exactly. */
  ci: { low: number; high: number } | null;
  /** Two-sided Welch p, before the adjustment; null when compared exactly (file size), missing, or fewer than 2 runs a side. */
  p: number | null;
  /** p after the Benjamini–Hochberg adjustment over every tested figure of the pair; the verdict uses this one. */
  pAdjusted: number | null;
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
  /** How many figures were tested (the Benjamini–Hochberg family). */
  tests: number;
  /** Whether the two reports were measured in interleaved rounds (footprint matrix), so drift landed on both. */
  interleaved: boolean;
}

export interface Comparison {
  comparisonVersion: 2;
  alpha: number;
  thresholds: Thresholds;
  /** Data differences that were overridden with `force` (empty otherwise). */
  forcedDifferences: string[];
  pairs: PairComparison[];
}

/** Reports measure different data (n or seed): comparing them is meaningless without --force. */
export class DataMismatchError extends InputError {
  override name = 'DataMismatchError';
}

function info(r: LabelledReport): ReportInfo {
  return {
    label: r.label,
    ...(r.source !== undefined ? { source: r.source } : {}),
    // Bun and Deno: their own name and version (process.version there is the Node API they mimic)
    node:
      r.report.environment.runtime && r.report.environment.runtime.name !== 'node'
        ? `${r.report.environment.runtime.name} ${r.report.environment.runtime.version}`
        : r.report.environment.node,
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
    out.push(
      `RSS sampling interval differs (${a.label}: ${show(sa)}; ${b.label}: ${show(sb)}): sampling slows the measured phase, so wall times do not compare`,
    );
  }
  const names = [...new Set([...Object.keys(ea.packages), ...Object.keys(eb.packages)])].sort();
  const pkgs = names.filter((p) => ea.packages[p] !== eb.packages[p]).map((p) => `${p} ${ea.packages[p] ?? 'absent'} → ${eb.packages[p] ?? 'absent'}`);
  if (pkgs.length > 0) out.push(`package versions differ (${a.label} → ${b.label}): ${pkgs.join(', ')}`);
  for (const r of [a, b]) {
    const e = r.report.environment;
    if ((r.report.resumedAt?.length ?? 0) > 0 && e.gitCommit?.endsWith('-dirty')) {
      out.push(`${r.label} was resumed from a work tree with uncommitted changes (${e.gitCommit}): its cases may come from different code`);
    }
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

/** Test one figure of one case: medians, change, Welch p and interval; the verdict waits for the adjustment. */
export function testMetric(metric: ComparedMetric, a: readonly number[], b: readonly number[], alpha = ALPHA): MetricComparison {
  const kind = metricKind(metric);
  const base: MetricComparison = {
    metric,
    kind,
    baseline: a.length > 0 ? { median: median(a), values: [...a] } : null,
    candidate: b.length > 0 ? { median: median(b), values: [...b] } : null,
    change: null,
    ci: null,
    p: null,
    pAdjusted: null,
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
  const test = welchTest(a, b, alpha);
  base.p = test.p;
  if (test.low !== null && test.high !== null && Number.isFinite(test.low) && Number.isFinite(test.high)) {
    base.ci = { low: test.low, high: test.high };
  }
  base.verdict = 'noise'; // until judge()
  return base;
}

function formatFloor(kind: 'memory' | 'time', t: Thresholds): string {
  return kind === 'memory' ? `${(t.memoryFloorBytes / MIB).toFixed(1)} MiB` : `${t.timeFloorMs} ms`;
}

/** The verdict of a tested figure, from its adjusted p, the relative threshold and the absolute floor. */
export function judge(m: MetricComparison, thresholds: Thresholds = DEFAULT_THRESHOLDS, alpha = ALPHA): MetricComparison {
  if (m.kind === 'size' || !m.baseline || !m.candidate) return m;
  const kind = m.kind;
  const ma = m.baseline.median;
  const mb = m.candidate.median;
  const threshold = kind === 'time' ? thresholds.time : thresholds.memory;
  const floor = kind === 'time' ? thresholds.timeFloorMs : thresholds.memoryFloorBytes;
  const out = { ...m };
  delete out.reason;
  if (m.p === null || m.pAdjusted === null) {
    out.verdict = 'noise';
    out.reason = `${m.baseline.values.length} vs ${m.candidate.values.length} runs: a test needs at least 2 a side`;
  } else if (m.pAdjusted >= alpha) {
    out.verdict = 'noise';
    out.reason = `not significant (p = ${fmtP(m.p)}, ${fmtP(m.pAdjusted)} adjusted for the number of figures)`;
  } else if (m.change !== null && Math.abs(m.change) < threshold) {
    out.verdict = 'noise';
    out.reason = `below the ${wholePercent(threshold)} ${kind} threshold`;
  } else if (Math.abs(mb - ma) < floor) {
    out.verdict = 'noise';
    out.reason = `below the ${formatFloor(kind, thresholds)} ${kind} floor`;
  } else {
    out.verdict = mb < ma ? 'better' : 'worse';
  }
  return out;
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** Compare one figure of one case on its own (one test, so the adjusted p is the p). Exported for tests. */
export function compareMetric(
  metric: ComparedMetric,
  a: readonly number[],
  b: readonly number[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  alpha = ALPHA,
): MetricComparison {
  const m = testMetric(metric, a, b, alpha);
  return judge({ ...m, pAdjusted: m.p }, thresholds, alpha);
}

/** Whether `a` and `b` were measured in one interleaved schedule (the same matrix run). */
export function interleavedTogether(a: Report, b: Report): boolean {
  const ia = a.interleaving;
  const ib = b.interleaving;
  return !!ia && !!ib && ia.id === ib.id;
}

function comparePair(baseline: LabelledReport, candidate: LabelledReport, thresholds: Thresholds, alpha: number): PairComparison {
  const warnings = environmentWarnings(baseline, candidate);
  for (const r of [baseline, candidate]) {
    const note = migrationNote(r.report, r.label);
    if (note) warnings.push(note);
  }
  const interleaved = interleavedTogether(baseline.report, candidate.report);
  if (!interleaved) {
    warnings.push(
      `${baseline.label} and ${candidate.label} were not measured in interleaved rounds: drift between their sittings lands on one side (times especially; footprint matrix interleaves)`,
    );
  }
  const ra = baseline.report.config.repeats;
  const rb = candidate.report.config.repeats;
  if (Math.min(ra, rb) < 2) {
    warnings.push(`${ra} vs ${rb} repeats: a test needs at least 2 runs a side, so every memory and time figure shows ~; run with --repeats 5`);
  }
  const aCases = new Map(baseline.report.cases.map((c) => [caseKey(c), c]));
  const bCases = new Map(candidate.report.cases.map((c) => [caseKey(c), c]));
  const keys = [...new Set([...aCases.keys(), ...bCases.keys()])];
  const tested: CaseComparison[] = [];
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
      unmatched.push({
        ...where,
        note: `not comparable: ${peerA ? baseline.label : candidate.label} is the ${peerA ?? peerB} peer group, another language's code`,
      });
      continue;
    }
    // a lossy case in both (bson) is measured like any other: its memory and time compare; the lost bits are the same finding on both sides
    const measured = ca.state === cb.state && (ca.state === 'ok' || ca.state === 'lossy');
    if (!measured) {
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
    tested.push({
      ...where,
      // a clone writes no file: its fileBytes is 0 by construction, not a figure to compare
      metrics: COMPARED_METRICS.filter((m) => !(m === 'fileBytes' && id.phase === 'clone'))
        .filter(comparable)
        .map((m) => testMetric(m, valuesOf(ca, m), valuesOf(cb, m), alpha)),
    });
  }
  // one family per pair: every tested figure of every case (file sizes are exact, not tested)
  const flat = tested.flatMap((c) => c.metrics);
  const adjusted = benjaminiHochberg(flat.map((m) => m.p));
  for (const [i, m] of flat.entries()) m.pAdjusted = adjusted[i] ?? null;
  const cases = tested.map((c) => ({ ...c, metrics: c.metrics.map((m) => judge(m, thresholds, alpha)) }));
  const tests = adjusted.filter((p) => p !== null).length;
  const summary: MetricSummary[] = COMPARED_METRICS.map((metric) => {
    const ratios = cases
      .flatMap((c) => c.metrics.filter((m) => m.metric === metric))
      .filter((m) => m.baseline && m.candidate && m.baseline.median > 0 && m.candidate.median > 0)
      .map((m) => m.candidate!.median / m.baseline!.median);
    return { metric, geomeanRatio: ratios.length > 0 ? geometricMean(ratios) : null, cases: ratios.length };
  });
  warnings.push(...leftOut);
  const throughput = compareThroughput(baseline, candidate, thresholds, warnings);
  return { baseline: info(baseline), candidate: info(candidate), cases, unmatched, summary, throughput, warnings, tests, interleaved };
}

/**
 * Compare `reports[1..]` against `reports[0]`. Throws DataMismatchError
 * (an InputError: exit 2) when n or seed differ, unless `force`.
 */
export function compareReports(reports: readonly LabelledReport[], options: CompareOptions = {}): Comparison {
  if (reports.length < 2) throw new InputError('compare needs at least two reports (baseline first)');
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const alpha = options.alpha ?? ALPHA;
  const [baseline, ...others] = reports as [LabelledReport, ...LabelledReport[]];
  const differences = others.flatMap((o) => dataDifferences(baseline, o));
  if (differences.length > 0 && !options.force) {
    throw new DataMismatchError(`reports measure different data: ${differences.join('; ')}; compare anyway with --force`);
  }
  return {
    comparisonVersion: 2,
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
    if (g.agree) return { ...base, verdict: 'noise', reason: "within the two runs' 95% margins of error" };
    if (Math.abs(change) < thresholds.time) return { ...base, verdict: 'noise', reason: `below the ${wholePercent(thresholds.time)} time threshold` };
    return { ...base, verdict: change < 0 ? 'better' : 'worse' };
  });
  if (out.length > 0) {
    warnings.push(
      'throughput margins of error cover the noise within one process only: separate runs of one build often differ by more (docs/throughput.md), so read a throughput change as confirmed only when separate runs repeat it',
    );
  }
  return out;
}
