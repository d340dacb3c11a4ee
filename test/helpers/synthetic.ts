/**
 * Synthetic results reports for tests of compare, budgets and exporters:
 * valid against the results schema, with seeded noise on every run figure.
 */
import { createRng, nextFloat } from '../../bench/data/rng.js';
import type { DatasetDefinition } from '../../bench/data/dataset.js';
import { tuplesDefinition } from '../../bench/data/datasets/tuples.js';
import { datasetInfo } from '../../bench/results/datasets.js';
import type { CaseResult, DatasetInfo, DirectionStats, Phase, Report, RunMetric, RunResult, Spread, ThroughputSection } from '../../bench/types.js';
import { SCHEMA_VERSION } from '../../bench/types.js';

/** The report's description of the tuples (what a run writes). */
export function tuplesInfo(): DatasetInfo {
  return datasetInfo(tuplesDefinition as unknown as DatasetDefinition, 1000, 42);
}

/** A made-up dataset's description for synthetic reports: one line of schema, 100 bytes a record. */
export function syntheticInfo(name: string): DatasetInfo {
  if (name === 'tuples') return tuplesInfo();
  return {
    name,
    description: `synthetic ${name} records`,
    schema: { kind: 'record', name: 'Synthetic', fields: [{ name: 'x', type: { kind: 'string' } }] },
    fingerprint: `fingerprint-${name}`,
    lines: [`record Synthetic { x: string }`],
    defaultN: 1000,
    intrinsicBytesPerRecord: 100,
  };
}

export interface SyntheticCase {
  /** @default 'tuples' */
  dataset?: string;
  codec: string;
  phase: Phase;
  n?: number;
  /** Median-ish value of each figure; missing ones get defaults. */
  base?: Partial<Record<RunMetric, number>>;
  /** Multiply every memory figure (not file size) by this. */
  memoryFactor?: number;
  /** Multiply wall and CPU time by this. */
  timeFactor?: number;
  /** Multiply single figures by a factor (a designed effect on one figure), e.g. { peakRssIncrementBytes: 1.03 }. */
  scale?: Partial<Record<RunMetric, number>>;
  /** Add bytes to the external baseline and, equally, to the absolute external peak: the increment does not move. */
  baselineExternalShiftBytes?: number;
  /** Exact values of a figure, one per run (a two-mode figure, identical runs): replace the noisy ones. */
  values?: Partial<Record<RunMetric, number[]>>;
  state?: CaseResult['state'];
}

export interface SyntheticOptions {
  node?: string;
  seed?: number;
  n?: number[];
  repeats?: number;
  /** Seed of the noise (different streams for A and B). */
  noiseSeed?: number;
  /** Relative half-width of uniform noise on memory figures (default 0.01). */
  memoryNoise?: number;
  /** Relative half-width of uniform noise on time (default 0.10). */
  timeNoise?: number;
  cpuModel?: string;
  packages?: Record<string, string>;
  /** Multiply run i's wall time by drift[i] (the machine slowing down over a sitting: the same for A and B when interleaved). */
  timeDrift?: number[];
  /** Record each run's round (run i is round i), as an interleaved schedule does. */
  rounds?: boolean;
  cases: SyntheticCase[];
}

const MiB = 1024 * 1024;

const DEFAULTS: Record<RunMetric, number> = {
  peakRssBytes: 250 * MiB,
  baselineRssBytes: 50 * MiB,
  peakRssIncrementBytes: 200 * MiB,
  endRssBytes: 150 * MiB,
  rssAfterGcBytes: 120 * MiB,
  peakHeapWithGarbageBytes: 170 * MiB,
  peakHeapWithGarbageIncrementBytes: 160 * MiB,
  peakHeapLiveBytes: 160 * MiB,
  peakHeapLiveIncrementBytes: 150 * MiB,
  peakExternalBytes: 41 * MiB,
  baselineExternalBytes: 1 * MiB,
  peakExternalIncrementBytes: 40 * MiB,
  retainedHeapBytes: 0,
  wallMs: 1500,
  cpuMs: 1800,
  fileBytes: 66_700_000,
};

function medianSpread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

export function syntheticReport(o: SyntheticOptions): Report {
  const rng = createRng(o.noiseSeed ?? 1);
  const repeats = o.repeats ?? 5;
  const memNoise = o.memoryNoise ?? 0.01;
  const timeNoise = o.timeNoise ?? 0.1;
  const ns = o.n ?? [1000];
  const jitter = (half: number): number => 1 + half * (2 * nextFloat(rng) - 1);
  const cases: CaseResult[] = o.cases.map((c) => {
    const base = { ...DEFAULTS, ...c.base };
    const state = c.state ?? 'ok';
    const runs: RunResult[] =
      state === 'ok'
        ? Array.from({ length: repeats }, (_, i) => {
            const exact = (k: RunMetric): number | undefined => c.values?.[k]?.[i];
            const mem = (k: RunMetric): number => exact(k) ?? Math.round(base[k] * (c.memoryFactor ?? 1) * (c.scale?.[k] ?? 1) * jitter(memNoise));
            const time = (k: RunMetric): number =>
              exact(k) ?? base[k] * (c.timeFactor ?? 1) * (c.scale?.[k] ?? 1) * jitter(timeNoise) * (o.timeDrift?.[i] ?? 1);
            const shift = c.baselineExternalShiftBytes ?? 0;
            const externalIncrement = mem('peakExternalIncrementBytes');
            const baselineExternal = base.baselineExternalBytes + shift;
            return {
              peakRssBytes: mem('peakRssBytes'),
              baselineRssBytes: base.baselineRssBytes,
              peakRssIncrementBytes: mem('peakRssIncrementBytes'),
              endRssBytes: mem('endRssBytes'),
              peakHeapWithGarbageBytes: mem('peakHeapWithGarbageBytes'),
              peakHeapWithGarbageIncrementBytes: mem('peakHeapWithGarbageIncrementBytes'),
              peakHeapLiveBytes: mem('peakHeapLiveBytes'),
              peakHeapLiveIncrementBytes: mem('peakHeapLiveIncrementBytes'),
              peakExternalBytes: baselineExternal + externalIncrement,
              baselineExternalBytes: baselineExternal,
              peakExternalIncrementBytes: externalIncrement,
              retainedHeapBytes: base.retainedHeapBytes,
              wallMs: time('wallMs'),
              cpuMs: time('cpuMs'),
              fileBytes: base.fileBytes,
              verified: true,
              peakRssSource: 'vmhwm-reset' as const,
              gcCount: 3,
              ...(o.rounds ? { round: i } : {}),
            };
          })
        : [];
    const summary: CaseResult['summary'] = {};
    if (runs.length > 0) {
      for (const k of Object.keys(DEFAULTS) as RunMetric[]) summary[k] = medianSpread(runs.map((r) => r[k] ?? Number.NaN));
    }
    return {
      dataset: c.dataset ?? 'tuples',
      codec: c.codec,
      phase: c.phase,
      n: c.n ?? ns[0]!,
      state,
      ...(state === 'ok' ? {} : { error: state === 'n/a' ? 'n/a: synthetic reason (x)' : 'synthetic failure' }),
      runs,
      summary,
      reproduce: `node dist/bench/cli/main.js run --codecs ${c.codec} --phases ${c.phase} --n ${c.n ?? ns[0]!} --repeats 1`,
    };
  });
  const datasets = [...new Set(o.cases.map((c) => c.dataset ?? 'tuples'))];
  return {
    schemaVersion: SCHEMA_VERSION,
    startedAt: '2026-11-23T00:00:00.000Z',
    finishedAt: '2026-11-23T00:10:00.000Z',
    interrupted: false,
    environment: {
      node: o.node ?? 'v20.20.2',
      v8: '11.3.244.8-node.33',
      platform: 'linux',
      arch: 'x64',
      cpuModel: o.cpuModel ?? 'Synthetic CPU @ 3.0GHz',
      cores: 2,
      totalMemoryBytes: 24 * 1024 * MiB,
      packages: o.packages ?? { msgpackr: '2.1.3', papaparse: '5.7.1', 'serialization-footprint': '0.1.0' },
      nodeFlags: ['--expose-gc'],
      gitCommit: null,
      command: 'footprint run',
      nodeBinary: '/usr/bin/node',
      peakResetAvailable: true,
      msgpackrNative: true,
    },
    config: {
      n: ns,
      datasets: datasets.map((name) => ({ name, n: ns })),
      seed: o.seed ?? 42,
      repeats,
      codecs: [...new Set(o.cases.map((c) => c.codec))],
      phases: [...new Set(o.cases.map((c) => c.phase))],
      maxOldSpaceSizeMb: 4096,
      timeoutMs: 600_000,
    },
    codecs: Object.fromEntries([...new Set(o.cases.map((c) => c.codec))].map((name) => [name, { kind: 'whole' as const, description: `${name} codec` }])),
    datasets: Object.fromEntries(datasets.map((d) => [d, syntheticInfo(d)])),
    data: datasets.flatMap((dataset) =>
      ns.map((n) => ({ dataset, n, intrinsicBytes: n * syntheticInfo(dataset).intrinsicBytesPerRecord, heapBytes: n * 160 })),
    ),
    cases,
  };
}

/** The four formats × two phases. */
export const EIGHT_CASES: SyntheticCase[] = ['json', 'v8', 'msgpack', 'text'].flatMap((codec) =>
  (['dump', 'load'] as const).map((phase) => ({ codec, phase })),
);

/** Throughput figures of one direction whose processes measured `means` (ms); the summary is the first's. */
export function directionStats(means: number[]): DirectionStats {
  const meanMs = means[0]!;
  return {
    samples: 20 * means.length,
    meanMs,
    p50Ms: meanMs * 0.95,
    p99Ms: meanMs * 1.5,
    minMs: meanMs * 0.8,
    maxMs: meanMs * 2,
    rmePercent: 3,
    opsPerSec: 1000 / meanMs,
    tuplesPerSec: 1e7 / meanMs,
    encodedBytesPerSec: 1e9 / meanMs,
    ...(means.length > 1 ? { processMeansMs: means } : {}),
  };
}

/** A throughput section of one or more processes: `rows` as [codec, encode means, decode means] (ms per batch, one mean per process). */
export function throughputSection(
  rows: ReadonlyArray<readonly [string, number[], number[]]>,
  extra: Partial<ThroughputSection> & { encodedBytes?: number } = {},
): ThroughputSection {
  const { encodedBytes = 1000, ...rest } = extra;
  return {
    method: 'in-process-warmed-jit',
    batch: 10000,
    seed: 42,
    warmupTimeMs: 100,
    warmupIterations: 8,
    timeMs: 250,
    iterations: 16,
    scratchDir: '/dev/shm',
    scratchFsType: 'tmpfs',
    timer: 'hrtimeNow',
    tinybenchVersion: '6.0.0',
    gcBetweenCodecs: true,
    ...rest,
    rows: rows.map(([codec, enc, dec]) => ({
      dataset: 'tuples',
      codec,
      kind: 'whole',
      state: 'ok',
      encodedBytes,
      verified: true,
      encode: directionStats(enc),
      decode: directionStats(dec),
    })),
  };
}
