/**
 * Comparing reports: the first is the baseline, every other one is compared
 * against it. Pure: reports in, a `Comparison` out; reporters render it.
 *
 * A figure is called better or worse only when the change is shown to exceed the smallest change
 * that counts (docs/compare.md): the relative threshold of its kind and its absolute floor
 * (inclusive: a change of exactly the floor is not one). The test is of that claim, not of "no
 * change at all": two one-sided t-tests against ±bound (bench/stats.ts), so the 95%
 * interval of every verdict lies beyond its bound. The p-values are adjusted by Benjamini–Hochberg
 * within each kind of figure (memory, time, throughput): a Node upgrade moves a hundred memory
 * figures for real, and in one family with the times those would let every time figure through at
 * a far looser level. Byte-identical samples are `=` and not tested. A memory figure whose runs
 * fall in modes is compared as modes (bench/compare/modes.ts). Runs measured in one interleaved
 * schedule are paired by round. Every memory figure compared is an increment over the child's own
 * baseline. File size is deterministic for a given (codec, n, seed), so it is compared exactly.
 */
import { caseKey } from '../results/case-key.js';
import { InputError } from '../errors.js';
import { MIB, wholePercent } from '../units.js';
import { migrationNote } from '../results/migrate.js';
import { headline, modesOf } from '../results/modes.js';
import type { CaseResult, Mode, Phase, Report, RunMetric } from '../types.js';
import { comparability, comparisonCaveat } from '../measure/capabilities.js';
import { compareModes, hasModes, type ModesComparison, sharesDirection } from './modes.js';
import { ALPHA, type Bound, benjaminiHochberg, geometricMean, median, shiftTest } from '../stats.js';
import { compareThroughput, type ThroughputComparison } from './throughput.js';
import type { LabelledReport, Thresholds, Verdict } from './verdict.js';

export type { LabelledReport, Thresholds, Verdict };
import { machineWarning } from './machines.js';

export type { ThroughputComparison } from './throughput.js';

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

/** The families whose p-values are adjusted together (file sizes are exact, not tested). */
export const FAMILIES = ['memory', 'time', 'throughput'] as const;
export type Family = (typeof FAMILIES)[number];

export function metricKind(metric: ComparedMetric): MetricKind {
  if (metric === 'wallMs') return 'time';
  if (metric === 'fileBytes') return 'size';
  return 'memory';
}

/**
 * Defaults from measured spreads (docs/compare.md, "Where the defaults come from"): memory figures
 * repeat to 0.1-1.5% within a mode (2%). The floor, 4 MiB, is above every artifact of one build
 * measured here: arrow dump's external +95.7 or +97.7 MiB (one 2 MiB chunk), arrow-stream load's
 * external 60.47 or 62.98 MiB, its RSS 54.1 to 57.9 MiB (3.8 MiB across two sittings), msgpack dump
 * RSS 84.9 or 87.9 MiB (2.9 MiB, one run of five). Phase times spread 12-50% between sittings (5%,
 * and 5 ms for the 30 ms columnar load). Throughput: see THROUGHPUT_THRESHOLD.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { memory: 0.02, time: 0.05, memoryFloorBytes: 4 * MIB, timeFloorMs: 5, throughput: 0.05 };

export interface CompareOptions {
  /** Compare even when n or seed differ. */
  force?: boolean;
  thresholds?: Thresholds;
  /** False discovery rate of the Benjamini–Hochberg adjustment, and the intervals' 1 - confidence (default 0.05). */
  alpha?: number;
}

export interface SampleSummary {
  median: number;
  /** The figure shown: the upper mode's median when the runs fall in modes (memory), else the median. */
  headline: number;
  values: number[];
  /** The runs' modes, when they fall in two or more (memory figures). */
  modes?: Mode[];
}

export interface MetricComparison {
  metric: ComparedMetric;
  kind: MetricKind;
  baseline: SampleSummary | null;
  candidate: SampleSummary | null;
  /** (headline B - headline A) / |headline A|; null when A's is 0 and B's is not. */
  change: number | null;
  /** 95% interval of candidate/baseline - 1; null when too few repeats, compared exactly, or compared as modes by their shares. */
  ci: { low: number; high: number } | null;
  /** Two-sided p of "no change at all", for reference; the verdict does not use it. */
  pNoChange: number | null;
  /**
   * p of "the change exceeds its bound" (the larger of the relative threshold and the floor over the
   * baseline): two one-sided tests, or for modes the smallest of their tests times their number.
   * Null when compared exactly (file size, identical runs), missing, or fewer than 2 runs a side.
   */
  p: number | null;
  /** p after the Benjamini–Hochberg adjustment within the figure's family (memory or time); the verdict uses this one. */
  pAdjusted: number | null;
  /** The bound the change had to clear, as a fraction of the baseline. */
  bound: number | null;
  /** Tested on the differences of the runs of each interleaved round. */
  paired: boolean;
  /** Compared as modes: the runs of either report fall in two or more. */
  modes?: ModesComparison;
  /** A reason to read this figure with care that the verdict cannot express (Bun's own accounting, ...). */
  caveat?: string;
  verdict: Verdict;
  /** Why the verdict is `~` or `=`, in words. */
  reason?: string;
  /**
   * `~` although the figure's own test shows a change beyond its bound (p < alpha): only the
   * adjustment over its family held it back (a few runs a side and many figures). The reports list
   * these under the table, so that a change as large as −98% shown `~` is not read as "no change".
   */
  heldBackByFamily?: boolean;
}

export interface CaseComparison {
  /** The dataset (absent in comparisons made before datasets: the tuples). */
  dataset?: string;
  codec: string;
  phase: Phase;
  n: number;
  metrics: MetricComparison[];
}

/** A case that could not be compared: only in one report, or not `ok` in one of them. */
export interface UnmatchedCase {
  dataset?: string;
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
  /** Geometric mean over cases of headline(candidate)/headline(baseline); null when no case has both > 0. */
  geomeanRatio: number | null;
  cases: number;
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
  /** How many figures each family's Benjamini–Hochberg adjustment ran over. */
  families: Record<Family, number>;
  /** Whether the two reports were measured in interleaved rounds (footprint matrix), so drift landed on both. */
  interleaved: boolean;
}

export interface Comparison {
  comparisonVersion: 3;
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
  // per dataset both measured (a dataset in one report only is listed as unmatched, not a difference)
  const nOf = (r: LabelledReport, name: string): string | undefined => {
    const d = r.report.config.datasets?.find((x) => x.name === name);
    return d ? [...d.n].sort((x, y) => x - y).join(',') : undefined;
  };
  const names = (r: LabelledReport): string[] => r.report.config.datasets?.map((d) => d.name) ?? ['tuples'];
  const common = names(a).filter((name) => names(b).includes(name));
  if (names(a).length === 0 || names(b).length === 0) {
    // a report that lists no dataset (no case planned): its N as a whole
    const na = [...a.report.config.n].sort((x, y) => x - y).join(',');
    const nb = [...b.report.config.n].sort((x, y) => x - y).join(',');
    if (na !== nb) out.push(`n differs (${a.label}: ${na}; ${b.label}: ${nb})`);
  } else if (common.length === 0) out.push(`no dataset in common (${a.label}: ${names(a).join(', ')}; ${b.label}: ${names(b).join(', ')})`);
  for (const name of common) {
    const na = nOf(a, name) ?? [...a.report.config.n].sort((x, y) => x - y).join(',');
    const nb = nOf(b, name) ?? [...b.report.config.n].sort((x, y) => x - y).join(',');
    if (na !== nb) out.push(`${name === 'tuples' ? '' : `${name}: `}n differs (${a.label}: ${na}; ${b.label}: ${nb})`);
  }
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
  // measured children at once share the cores: wall times of different --jobs do not compare (docs/speed.md)
  const ja = a.report.config.jobs ?? 1;
  const jb = b.report.config.jobs ?? 1;
  if (ja !== jb) out.push(`jobs differs (${a.label}: ${ja}; ${b.label}: ${jb}): measured children ran ${ja} and ${jb} at once, so wall times do not compare`);
  const ca = ea.gitCommit ?? 'not recorded';
  const cb = eb.gitCommit ?? 'not recorded';
  if (ca !== cb) out.push(`git commit differs (${a.label}: ${ca}; ${b.label}: ${cb}): the suite's own code may differ between the reports`);
  const speed = machineSpeedWarning(a, b);
  if (speed) out.push(speed);
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

/**
 * How fast the machine ran each report, where both can tell: the throughput processes' time for one
 * fixed native workload (SHA-256 of 16 MiB). A difference beyond the time threshold means the two
 * sittings ran at different speeds (another machine, another load), which every time figure carries.
 */
export function machineSpeedWarning(a: LabelledReport, b: LabelledReport): string | null {
  const ca = a.report.throughput?.calibrationMs;
  const cb = b.report.throughput?.calibrationMs;
  if (!ca?.length || !cb?.length) return null;
  const ma = median(ca);
  const mb = median(cb);
  const change = (mb - ma) / ma;
  if (Math.abs(change) <= DEFAULT_THRESHOLDS.time) return null;
  return `the machine ran at a different speed: a fixed native workload (SHA-256 of 16 MiB) took ${ma.toFixed(1)} ms in ${a.label} and ${mb.toFixed(1)} ms in ${b.label} (${change > 0 ? '+' : ''}${(change * 100).toFixed(0)}%); time and throughput differences include that`;
}

/** The case's key (bench/run/planned-case.ts): the same dataset, codec, phase and N. */
function keyOf(c: CaseResult): string {
  return caseKey({ dataset: c.dataset, codec: c.codec, phase: c.phase, n: c.n });
}

/**
 * Datasets of the same name whose schemas differ (fingerprints) between the two reports: other data,
 * not compared (one warning each).
 */
function differingDatasets(a: LabelledReport, b: LabelledReport): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, ia] of Object.entries(a.report.datasets ?? {})) {
    const ib = b.report.datasets?.[name];
    if (ib && ib.fingerprint !== ia.fingerprint) {
      out.set(
        name,
        `dataset ${name} has another schema in ${a.label} than in ${b.label} (fingerprint ${ia.fingerprint.slice(0, 12)} vs ${ib.fingerprint.slice(0, 12)}): its cases are not compared`,
      );
    }
  }
  return out;
}

/** A case's runs' values of one figure, with the round each came from (interleaved schedules). */
function runsOf(c: CaseResult, metric: ComparedMetric): { value: number; round?: number }[] {
  return c.runs.flatMap((r) => {
    const v = r[metric];
    return typeof v === 'number' && Number.isFinite(v) ? [{ value: v, ...(r.round !== undefined ? { round: r.round } : {}) }] : [];
  });
}

/** The values of A and B in round order when every run of both has a round and the rounds are the same; else null. */
function pairedByRound(a: readonly { value: number; round?: number }[], b: readonly { value: number; round?: number }[]): [number[], number[]] | null {
  if (a.length < 2 || a.length !== b.length || [...a, ...b].some((x) => x.round === undefined)) return null;
  const sa = [...a].sort((x, y) => x.round! - y.round!);
  const sb = [...b].sort((x, y) => x.round! - y.round!);
  if (sa.some((x, i) => x.round !== sb[i]!.round)) return null;
  return [sa.map((x) => x.value), sb.map((x) => x.value)];
}

function summarySide(metric: ComparedMetric, values: readonly number[]): SampleSummary | null {
  if (values.length === 0) return null;
  const modes = metricKind(metric) === 'memory' ? modesOf(values) : undefined;
  const s = { median: median(values), min: 0, max: 0, ...(modes ? { modes } : {}) };
  return { median: s.median, headline: headline(s), values: [...values], ...(modes ? { modes } : {}) };
}

/** The bound of a figure's kind: its relative threshold and absolute floor. */
function boundOf(kind: 'memory' | 'time', t: Thresholds): Bound {
  return kind === 'time' ? { relative: t.time, absolute: t.timeFloorMs } : { relative: t.memory, absolute: t.memoryFloorBytes };
}

/**
 * Test one figure of one case: summaries, change, the test against the bound; the verdict waits for
 * the family's adjustment (judge). `pairs` are the same runs in round order, when interleaved.
 */
export function testMetric(
  metric: ComparedMetric,
  a: readonly number[],
  b: readonly number[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  alpha = ALPHA,
  pairs: [number[], number[]] | null = null,
): MetricComparison {
  const kind = metricKind(metric);
  const base: MetricComparison = {
    metric,
    kind,
    baseline: summarySide(metric, a),
    candidate: summarySide(metric, b),
    change: null,
    ci: null,
    pNoChange: null,
    p: null,
    pAdjusted: null,
    bound: null,
    paired: false,
    verdict: 'missing',
  };
  if (!base.baseline || !base.candidate) return base;
  const ha = base.baseline.headline;
  const hb = base.candidate.headline;
  // relative to |A| so the sign always says which way it moved (an increment can be negative at tiny N)
  base.change = ha !== 0 ? (hb - ha) / Math.abs(ha) : hb === 0 ? 0 : null;
  const identical = [...a, ...b].every((v) => v === a[0]);
  if (kind === 'size') {
    // Deterministic for a given codec, n and seed: any difference is real.
    const ma = base.baseline.median;
    const mb = base.candidate.median;
    base.verdict = identical ? 'same' : mb < ma ? 'better' : mb > ma ? 'worse' : 'noise';
    if (base.verdict === 'noise') base.reason = 'sizes vary between runs, medians equal';
    return base;
  }
  if (identical) {
    base.verdict = 'same';
    base.reason = 'every run of both reports has the same value: not tested';
    return base;
  }
  const bound = boundOf(kind, thresholds);
  base.verdict = 'noise'; // until judge()
  if (kind === 'memory' && hasModes(a, b)) {
    const modes = compareModes(a, b, bound, alpha);
    base.modes = modes;
    base.p = modes.p;
    const by = modes.decidedBy;
    const decided = by?.kind === 'position' ? modes.groups[by.group]!.position! : by?.kind === 'upper' ? modes.upper! : null;
    if (decided?.low != null && decided.high != null) base.ci = { low: decided.low, high: decided.high };
    base.bound = decided?.bound ?? shiftTest(a, b, bound, alpha).bound;
    return base;
  }
  const test = pairs ? shiftTest(pairs[0], pairs[1], bound, alpha, true) : shiftTest(a, b, bound, alpha);
  base.p = test.p;
  base.pNoChange = test.pNoChange;
  base.bound = test.bound;
  base.paired = test.paired;
  if (test.low !== null && test.high !== null && Number.isFinite(test.low) && Number.isFinite(test.high)) base.ci = { low: test.low, high: test.high };
  return base;
}

function formatBound(m: MetricComparison, t: Thresholds): string {
  const kind = m.kind === 'time' ? 'time' : 'memory';
  const rel = kind === 'time' ? t.time : t.memory;
  const floor = kind === 'time' ? `${t.timeFloorMs} ms` : `${(t.memoryFloorBytes / MIB).toFixed(1)} MiB`;
  const used = m.bound !== null && m.bound > rel + 1e-12 ? `the ${floor} floor (${pct(m.bound)} of A)` : `the ${wholePercent(rel)} threshold`;
  return `±${m.bound !== null ? pct(m.bound) : wholePercent(rel)}: ${used}`;
}

function pct(x: number): string {
  const v = x * 100;
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** The verdict of a tested figure, from its adjusted p (the test against its bound) and, for modes, what decided it. */
export function judge(m: MetricComparison, thresholds: Thresholds = DEFAULT_THRESHOLDS, alpha = ALPHA, familySize?: number): MetricComparison {
  if (m.kind === 'size' || !m.baseline || !m.candidate || m.verdict === 'same') return m;
  const out = { ...m };
  delete out.reason;
  const family = familySize !== undefined ? `, ${fmtP(m.pAdjusted ?? 1)} adjusted over the ${familySize} ${m.kind} figures` : '';
  if (m.p === null || m.pAdjusted === null) {
    out.verdict = 'noise';
    out.reason = m.modes
      ? `modes ${modesLine(m.modes)}: no mode with 2 runs a side to place, and the modes lie within ${formatBound(m, thresholds)}`
      : `${m.baseline.values.length} vs ${m.candidate.values.length} runs: a test needs at least 2 a side`;
    return out;
  }
  delete out.heldBackByFamily;
  if (m.pAdjusted >= alpha) {
    out.verdict = 'noise';
    const ci = m.ci ? `95% CI [${signedPct(m.ci.low)}, ${signedPct(m.ci.high)}]` : 'no interval';
    if (m.p < alpha) {
      out.heldBackByFamily = true;
      out.reason = `its own test puts the change beyond ${formatBound(m, thresholds)} (${m.modes ? `compared as modes, ${modesLine(m.modes)}; ` : ''}${ci}, p = ${fmtP(m.p)}), the adjustment over its family does not (p${family}): more repeats would decide it`;
      return out;
    }
    out.reason = m.modes
      ? `compared as modes (${modesLine(m.modes)}): no mode moved beyond ${formatBound(m, thresholds)}, shares ${m.modes.sharesP === null ? 'not tested (modes within the bound)' : `Fisher p = ${fmtP(m.modes.sharesP)}`} (p = ${fmtP(m.p)}${family})`
      : `not shown to exceed ${formatBound(m, thresholds)}: ${ci} (p = ${fmtP(m.p)}${family})`;
    return out;
  }
  if (m.modes?.decidedBy?.kind === 'shares') {
    out.verdict = sharesDirection(m.modes) > 0 ? 'worse' : 'better';
    out.reason = `the runs moved between modes (${modesLine(m.modes)}; Fisher p = ${fmtP(m.modes.sharesP!)})`;
    return out;
  }
  const low = m.ci?.low ?? m.change ?? 0;
  out.verdict = low > 0 ? 'worse' : 'better';
  if (m.modes)
    out.reason = `compared as modes (${modesLine(m.modes)}): ${m.modes.decidedBy?.kind === 'upper' ? 'no mode in common, the upper modes moved' : "a mode's position moved"}`;
  return out;
}

function signedPct(x: number): string {
  return `${x >= 0 ? '+' : '−'}${pct(Math.abs(x))}`;
}

/** `A 2 × 290.6, 1 × 346.6 MiB; B 3 × 346.9 MiB`. */
export function modesLine(m: ModesComparison): string {
  const side = (modes: readonly Mode[]): string => modes.map((x) => `${x.count} × ${(x.median / MIB).toFixed(1)}`).join(', ');
  return `A ${side(m.baseline)} MiB; B ${side(m.candidate)} MiB`;
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** Compare one figure of one case on its own (one test, so the adjusted p is the p). Exported for tests. */
export function compareMetric(...args: Parameters<typeof testMetric>): MetricComparison {
  const m = testMetric(...args);
  return judge({ ...m, pAdjusted: m.p }, args[3], args[4]);
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
  const ra = baseline.report.config.repeats;
  const rb = candidate.report.config.repeats;
  if (Math.min(ra, rb) < 2) {
    warnings.push(`${ra} vs ${rb} repeats: a test needs at least 2 runs a side, so every memory and time figure shows ~; run with --repeats 5`);
  }
  const aCases = new Map(baseline.report.cases.map((c) => [keyOf(c), c]));
  const bCases = new Map(candidate.report.cases.map((c) => [keyOf(c), c]));
  const otherData = differingDatasets(baseline, candidate);
  warnings.push(...otherData.values());
  const keys = [...new Set([...aCases.keys(), ...bCases.keys()])];
  const tested: CaseComparison[] = [];
  const unmatched: UnmatchedCase[] = [];
  // across runtimes only comparable figures are compared (bench/measure/capabilities.ts); reports without a runtime ran on Node
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
    const where = { ...(id.dataset !== undefined ? { dataset: id.dataset } : {}), codec: id.codec, phase: id.phase, n: id.n };
    if (otherData.has(id.dataset)) {
      unmatched.push({ ...where, note: 'not comparable: the dataset has another schema in each report' });
      continue;
    }
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
    const machines = machineWarning(baseline.report, ca, candidate.report, cb, [baseline.label, candidate.label]);
    if (machines) warnings.push(machines);
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
        .map((m) => {
          const ra = runsOf(ca, m);
          const rb = runsOf(cb, m);
          const pairs = interleaved ? pairedByRound(ra, rb) : null;
          const t = testMetric(
            m,
            ra.map((x) => x.value),
            rb.map((x) => x.value),
            thresholds,
            alpha,
            pairs,
          );
          const caveat = comparisonCaveat(m, capsA, capsB);
          return caveat ? { ...t, caveat } : t;
        }),
    });
  }
  // one family per kind of figure: a hundred real memory moves must not loosen the time figures' level
  const families: Record<Family, number> = { memory: 0, time: 0, throughput: 0 };
  for (const kind of ['memory', 'time'] as const) {
    const flat = tested.flatMap((c) => c.metrics.filter((m) => m.kind === kind));
    const adjusted = benjaminiHochberg(flat.map((m) => m.p));
    for (const [i, m] of flat.entries()) m.pAdjusted = adjusted[i] ?? null;
    families[kind] = adjusted.filter((p) => p !== null).length;
  }
  const cases = tested.map((c) => ({
    ...c,
    metrics: c.metrics.map((m) => {
      const judged = judge(m, thresholds, alpha, m.kind === 'size' ? undefined : families[m.kind]);
      return m.kind === 'time' && !interleaved ? separateSittings(judged) : judged;
    }),
  }));
  const summary: MetricSummary[] = COMPARED_METRICS.map((metric) => {
    const ratios = cases
      .flatMap((c) => c.metrics.filter((m) => m.metric === metric))
      .filter((m) => m.baseline && m.candidate && m.baseline.headline > 0 && m.candidate.headline > 0)
      .map((m) => m.candidate!.headline / m.baseline!.headline);
    return { metric, geomeanRatio: ratios.length > 0 ? geometricMean(ratios) : null, cases: ratios.length };
  });
  warnings.push(...leftOut);
  const tput = compareThroughput(baseline, candidate, thresholds, alpha, warnings);
  const throughput = interleaved ? tput : tput.map(separateSittings);
  families.throughput = throughput.filter((t) => t.p !== null).length;
  if (!interleaved) {
    // shown with their p-values, but no verdict rests on them: no family to report
    families.time = 0;
    families.throughput = 0;
  }
  if (!interleaved && (tested.length > 0 || throughput.length > 0)) {
    warnings.push(
      `time and throughput are shown but not judged (n/j): ${baseline.label} and ${candidate.label} were measured in separate sittings, and on a shared machine one build's times moved by up to +90% from one sitting to the next (docs/compare.md); footprint matrix measures versions in interleaved rounds, where they are judged`,
    );
  }
  return { baseline: info(baseline), candidate: info(candidate), cases, unmatched, summary, throughput, warnings, families, interleaved };
}

/**
 * A time or throughput figure of two reports measured in separate sittings: its change and interval
 * stay, but it is `unjudged` (`n/j`), never `~`: `~` would claim "no change", and nothing in two
 * separate sittings tells a slower build from a busier machine: the same build's phase times moved
 * +26% on the geometric mean and up to +90% on one case between two default runs an hour apart here
 * (docs/compare.md), every run of a sitting alike. No p-value is shown: none is a verdict's.
 */
function separateSittings<T extends { verdict: Verdict; reason?: string; pAdjusted: number | null; heldBackByFamily?: boolean }>(m: T): T {
  if (m.verdict === 'same' || m.verdict === 'missing') return m;
  const { heldBackByFamily: _, ...rest } = m;
  return {
    ...(rest as T),
    verdict: 'unjudged',
    pAdjusted: null,
    reason: 'not judged: measured in separate sittings; a time change is judged only between reports measured in interleaved rounds (footprint matrix)',
  };
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
    comparisonVersion: 3,
    alpha,
    thresholds,
    forcedDifferences: differences,
    pairs: others.map((o) => comparePair(baseline, o, thresholds, alpha)),
  };
}
