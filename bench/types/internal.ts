/**
 * Internal types (not published): what the command line hands the run layer, and the run's live
 * progress. They change with the code; the codec contract and the report schema are the stable ones.
 */
import type { CaseResult, Report, RunConfig, ShardRecord } from './report.js';

/** The live progress of a run, for a status line. */
export interface ProgressStatus {
  casesDone: number;
  casesTotal: number;
  runsDone: number;
  runsTotal: number;
  /** What is running now, e.g. `json dump run 2/3`. */
  running: string[];
  /** Monotonic ms when the run started. */
  startedMs: number;
  /** Estimated monotonic ms of the end, from measured run times; null before any run finished. */
  etaAtMs: number | null;
}

/**
 * A destination of a report other than its JSON file: `save` after every saved change (cheap, the
 * markdown), `finish` once when the run ends (the HTML with its charts). bench/cli/sinks.ts has the
 * suite's own; the run layer only calls them.
 */
export interface ReportSink {
  save?(report: Report, outFile: string): void;
  finish?(report: Report, outFile: string): Promise<void>;
}

/** Everything `runSuite` needs; the CLI fills it from flags and defaults (bench/constants.ts). */
export interface SuiteOptions extends RunConfig {
  /** Results JSON path; the markdown report goes next to it (same name, .md). */
  outFile: string;
  /** Node binary that runs the measured children (default: the current one). */
  nodeBinary: string;
  /** Parent-side RSS sampling interval for the memory-over-time series; 0 = off. */
  sampleMs: number;
  /** Extra codec modules (paths) measured like the built-in codecs. */
  codecModules: string[];
  /** Let V8 collect on its background threads (its default) instead of --single-threaded-gc. @default false */
  concurrentGc?: boolean;
  /** Let V8 compile optimized code on its background thread (its default) instead of --no-concurrent-recompilation. @default false */
  concurrentJit?: boolean;
  /** Measured children run at once (`--jobs`). @default 1 here; the CLI's default is DEFAULT_JOBS */
  jobs?: number;
  /** Memory cases (fresh processes): off with --time-only. @default true */
  memory?: boolean;
  /** Compressed sizes of each codec's file (gzip, brotli, zstd). @default true */
  sizes?: boolean;
  /** Brotli among the compressed sizes (two thirds of their time). @default true; `--datasets all` sets it off unless --brotli. */
  brotli?: boolean;
  /** In-process throughput with tinybench, in `processes` fresh processes; absent = not measured (--memory-only). */
  throughput?: Omit<ThroughputOptions, 'onProgress' | 'signal' | 'dir' | 'seed'> & { processes: number };
  /** The sizeof table (`footprint sizeof`) at the end of the run. @default true */
  sizeof?: boolean;
  /** `--explain`: after each ok case, extra children with V8's sampling heap profiler (docs/explain.md). */
  explain?: { outDir: string; samplingIntervalBytes: number };
  /** Measure only this shard's cases (`--shard K/N`, bench/run/shard.ts). */
  shard?: Omit<ShardRecord, 'host'>;
  /** Progress lines (one per case). */
  onProgress?: (line: string) => void;
  /** Live progress (cases done, running, ETA), called at every run's start and end. */
  onStatus?: (status: ProgressStatus) => void;
  /** Aborting stops the running child and ends the run as interrupted. */
  signal?: AbortSignal;
  /** Where the report goes besides its JSON (the CLI hands in the markdown and HTML writers): the run layer knows no reporter. */
  sinks?: readonly ReportSink[];
  /** A case finished (its last run measured, or it failed): for a progress line; `variant` names the matrix variant. */
  onCaseDone?: (done: number, total: number, c: CaseResult, variant?: string) => void;
}

// ---- In-process throughput (bench/throughput/) ----

export interface ThroughputOptions {
  /** Tuples per operation (one dump or one load of this many tuples). @default 10_000 */
  batch: number;
  /** Seed of the batch (the generator's). @default 42 */
  seed: number;
  /** Warm-up time budget per task. @default 100 */
  warmupTimeMs: number;
  /** Minimum warm-up iterations per task. @default 8 */
  warmupIterations: number;
  /** Minimum measured time per task. @default 150 */
  timeMs: number;
  /** Minimum measured iterations per task. @default 12 */
  iterations: number;
  /** Directory for the scratch files. @default '/dev/shm' if writable, else os.tmpdir() */
  dir?: string;
  /** One line per finished codec. */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}
