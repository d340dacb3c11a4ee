/**
 * The report schema (public, versioned by SCHEMA_VERSION): the results file's types, whose field
 * names are a contract other tools read; bench/results/results.schema.json says the same
 * (test/schema-types.test.ts keeps them in step). The package publishes it (bench/index.ts).
 *
 * Units are fixed and carried in field names: bytes (`...Bytes`) and
 * milliseconds (`...Ms`). Only reporters turn them into MiB or seconds.
 */
import type { CodecKind, LoadReturns } from './codec.js';

/**
 * A measured phase. `dump`: child generates data, then writes. `load`: child
 * reads a file it never wrote. `clone`: child generates data, deep-copies it,
 * drops the original and runs a full GC (the original experiment's
 * `deepcopy` then `del x`); its "codec" is the copy method (CLONE_VARIANTS).
 */
export const PHASES = ['dump', 'load', 'clone'] as const;
export type Phase = (typeof PHASES)[number];

/** The copy methods of the clone phase. */
export const CLONE_VARIANTS = ['structuredClone', 'v8-serialize-clone'] as const;
export type CloneVariant = (typeof CLONE_VARIANTS)[number];

/** What the clone phase measures besides the copy's peak (bytes, over the heap/RSS before the data was generated). */
export interface CloneFigures {
  /** Live heap of the original data. */
  dataHeapBytes: number;
  /** Live heap with the original and the copy both alive (after GC). */
  bothHeapBytes: number;
  /** Live heap after dropping the original and a full GC: what the copy retains. */
  liveHeapAfterDropBytes: number;
  /** RSS after dropping the original and a full GC: memory the process keeps. */
  rssAfterDropBytes: number;
  /** bothHeapBytes - liveHeapAfterDropBytes: what dropping the original freed. */
  freedByDropBytes: number;
}

/**
 * `n/a`: the codec cannot carry the case's dataset (its `forDataset` said why): no child ran, the case
 * has no runs and its `error` is `n/a: <reason> (<path>)`. Fine for the exit code, never ranked.
 */
export type CaseState = 'ok' | 'lossy' | 'failed' | 'oom' | 'timeout' | 'n/a';

/**
 * How a case's format carried the uint64, measured (bench/data/diff.ts), never
 * declared: `exact` every value came back (the data held values >= 2**63),
 * `lossy` some came back different, `rejected` the dump threw on a value >=
 * 2**63 that a small value did not make it throw on.
 */
export type Uint64Verdict = 'exact' | 'lossy' | 'rejected';

/** Where the peak RSS figure came from. */
export type PeakRssSource =
  /** `/proc/self/clear_refs` reset VmHWM before the phase: the phase's own peak. */
  | 'vmhwm-reset'
  /** Reset unavailable: whole-process high-water mark (`maxRSS`), includes start-up. */
  | 'maxrss-process';

/** One fresh child process measuring one (codec, phase, n). */
export interface RunResult {
  /** Peak RSS during the phase (absolute). */
  peakRssBytes: number;
  /** RSS right before the phase, after `gc()`. */
  baselineRssBytes: number;
  /** peakRssBytes - baselineRssBytes: the headline figure. */
  peakRssIncrementBytes: number;
  /** RSS right after the phase, before any further GC (a peak above it was a transient spike). */
  endRssBytes: number;
  /**
   * RSS after the phase and a full GC (before the data is dropped). A peak far
   * above it was a transient spike: at the phase's very end V8 has usually not
   * collected the phase's garbage yet, so `endRssBytes` often equals the peak.
   */
  rssAfterGcBytes?: number;
  /**
   * Highest V8 heap used seen before any GC during the phase, or at its end: it includes the young
   * generation's garbage (a streaming phase reads about +14 MiB here whatever it holds, the nursery
   * filling between scavenges). Not compared or budgeted; `peakHeapLiveBytes` is.
   */
  peakHeapWithGarbageBytes: number;
  /** peakHeapWithGarbageBytes - heap used at baseline. */
  peakHeapWithGarbageIncrementBytes: number;
  /**
   * The phase's peak of live-ish heap: the highest heap used right after each GC during the phase
   * (what survived it), or at the phase's end the heap used outside the young generation, whichever
   * is higher. Young-generation garbage is left out; garbage already promoted to the old generation
   * is not (docs/measurement.md). Absent in schema 1 reports, which did not measure it.
   */
  peakHeapLiveBytes?: number;
  /** peakHeapLiveBytes - heap used at baseline: the heap figure compare and budgets use. */
  peakHeapLiveIncrementBytes?: number;
  /** Highest external memory (Buffers, ArrayBuffers, ...) seen at any GC or at phase end; absolute, the baseline's included. */
  peakExternalBytes: number;
  /** External memory at baseline. */
  baselineExternalBytes: number;
  /** peakExternalBytes - baselineExternalBytes: what the phase added outside the heap (compared and budgeted). */
  peakExternalIncrementBytes: number;
  /** Live heap after the phase and a full GC, over baseline: what the result (or leftovers) keep. */
  retainedHeapBytes: number;
  /** Phase wall-clock time. */
  wallMs: number;
  /** Phase CPU time (user + system), all threads of the process. */
  cpuMs: number;
  /** Size of the data file written (dump) or read (load). */
  fileBytes: number;
  /** The data came back exactly (order-sensitive checksum equal to the generator's). */
  verified: boolean;
  /** What the verification found for the uint64 field; absent when it could not tell (or for reports written before it was recorded). */
  uint64?: Uint64Verdict;
  /** Dump and clone phases (the children that generate the data): its live heap (heap after generation and GC, minus before). */
  dataHeapBytes?: number;
  /** Dump phase: what the generated records hold outside the heap (external memory after generation and GC, minus before). */
  dataExternalBytes?: number;
  /** Python peer's dump: RSS the generated list added (after generation and a full collection, minus before). */
  dataRssBytes?: number;
  peakRssSource: PeakRssSource;
  /** Number of GCs V8 ran during the phase. */
  gcCount: number;
  /**
   * Time the phase's GCs took (v8.GCProfiler's cost, normalised to ms: Deno reports ns where Node
   * and Bun report µs). Absent in reports written before it was recorded, and in the Python peer.
   */
  gcMs?: number;
  /** Clone phase only. */
  clone?: CloneFigures;
  /** Dump phase: SHA-256 (hex) of the file written, computed after the phase (not measured). */
  fileSha256?: string;
  /** How `verified` was established (absent in reports written before it was recorded). */
  verification?: Verification;
  /** Where this run's wall time went (absent in reports written before it was recorded). */
  timing?: RunTiming;
  /** RSS over time sampled by the parent from /proc/<pid>/status (absent when sampling is off). */
  series?: MemorySeries;
  /** In an interleaved schedule: this run's position among all runs of all its reports (0-based). */
  sequence?: number;
  /** In an interleaved schedule: the round (0-based) this run belongs to; the runs of one round on every variant are a pair. */
  round?: number;
}

/**
 * How a run's `verified` was established. A dump's file is read back by a fresh process: the
 * first measured run of the load case that reads that file (`loadRun`), or else a verifier
 * process; unless it is byte-identical (SHA-256) to a file of the same codec already judged in this
 * run: the same bytes read by the same decoder, so it has that file's verdict by identity, and names its run.
 */
export type Verification =
  | { method: 'fresh-process' /** The load case's run (same codec and n) whose measured child read this file and judged it. */; loadRun?: number }
  | { method: 'in-process' }
  | {
      method: 'identity';
      sha256: string;
      sameAs: { codec: string; n: number; run: number /** Absent: the tuples (reports before schema 3). */; dataset?: string };
    };

/**
 * Where one measured child's wall time went, in ms, from the parent's clock
 * at spawn and exit and the child's markers (one monotonic clock).
 */
export interface RunTiming {
  /** Spawn to the child's first line of `main` (Node start-up, module loading). */
  childStartMs: number;
  /** Generating the tuples in the child (dump and clone phases; 0 for a load). */
  dataGenerationMs: number;
  /** GCs, RSS settling and baseline readings before the phase. */
  settleBaselineMs: number;
  /** The measured phase (marker to marker). */
  phaseMs: number;
  /** After the phase: full GC and the retained-heap and RSS readings. */
  afterPhaseMs: number;
  /** Hashing the file and verification (fresh verifier process, identity, or in-process checksum). */
  verificationMs: number;
  /** Last marker to the process's exit as the parent saw it. */
  exitMs: number;
  /** Spawn to exit. */
  totalMs: number;
}

/** Where a whole run's wall time went (ms). Child figures are sums over children, which overlap when `jobs` > 1. */
export interface RunBreakdown extends Omit<RunTiming, 'totalMs'> {
  /** Measured children run at once. Phase wall times of runs with `jobs` > 1 are not comparable with sequential ones. */
  jobs: number;
  /** Wall time of the whole run (this sitting; a resumed run counts the resumed part). */
  wallMs: number;
  /** The parent's expected checksum per N (streams the generator once per N). */
  expectedChecksumMs: number;
  /** Unmeasured children writing a load's input (only where no verified dump file exists). */
  prepareInputsMs: number;
  /** Compressed sizes children. */
  sizesMs: number;
  /** The import-cost children (one per codec); absent in reports written before they existed. */
  importsMs?: number;
  throughputMs: number;
  sizeofMs: number;
  /** Wall time during which no child or side measurement ran: the orchestrator's own work and waiting. */
  idleMs: number;
  /** Dumps verified by a fresh process, and by identity. */
  verifiedFresh: number;
  verifiedByIdentity: number;
  /** Of verifiedFresh, those judged by the measured load run that read the file (no extra process); absent in older reports. */
  verifiedByLoadRun?: number;
  /** Compressed-size measurements done, and reused for a byte-identical file. */
  sizesMeasured: number;
  sizesReused: number;
  /** 1, 5 and 15 minute load averages of the machine at the start and the end (other work competes for the cores). */
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

/** A phase boundary reported by the child over IPC, for chart markers. */
export interface Marker {
  label: 'baseline' | 'phase-start' | 'phase-end' | 'verify-start' | 'verify-end' | string;
  /** Milliseconds since the child process was spawned (same clock as MemorySeries.tMs). */
  tMs: number;
}

/** The mprof picture: RSS of one child over time, downsampled keeping each bucket's maximum. */
export interface MemorySeries {
  /** Requested sampling interval, from the child's baseline marker to two intervals after its phase's end. */
  intervalMs: number;
  /** The interval before and after that window; absent in reports written before it differed (the same as intervalMs). */
  outsideIntervalMs?: number;
  /** Samples taken before downsampling. */
  rawSamples: number;
  /** Milliseconds since the child process was spawned. */
  tMs: number[];
  rssBytes: number[];
  markers: Marker[];
}

/** median/min/max of one run figure across repeats. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /**
   * The memory increments only, when the runs fall in two or more separate groups (bench/results/modes.ts):
   * each group's count, median and range, lowest first. The headline is then the upper mode's median.
   */
  modes?: Mode[];
}

/** One group of a figure's runs that repeat to each other, apart from the others (bench/results/modes.ts). */
export interface Mode {
  count: number;
  median: number;
  min: number;
  max: number;
}

/** The numeric run figures that get a summary. */
export const RUN_METRICS = [
  'peakRssBytes',
  'baselineRssBytes',
  'peakRssIncrementBytes',
  'endRssBytes',
  'rssAfterGcBytes',
  'peakHeapWithGarbageBytes',
  'peakHeapWithGarbageIncrementBytes',
  'peakHeapLiveBytes',
  'peakHeapLiveIncrementBytes',
  'peakExternalBytes',
  'baselineExternalBytes',
  'peakExternalIncrementBytes',
  'retainedHeapBytes',
  'wallMs',
  'cpuMs',
  'fileBytes',
] as const;
export type RunMetric = (typeof RUN_METRICS)[number];

export interface CaseResult {
  /** The dataset the case measured (bench/data; `report.datasets[dataset]` describes it). */
  dataset: string;
  codec: string;
  phase: Phase;
  n: number;
  state: CaseState;
  /** Why the case is not 'ok': the error message, with stderr tail for a crashed child. */
  error?: string;
  /** A child that failed: its exit code or signal. */
  exitCode?: number | null;
  exitSignal?: string | null;
  runs: RunResult[];
  /** The uint64 verdict over the runs (lossy if any run lost one), or `rejected` for a dump that refused values >= 2**63. Absent when not judged. */
  uint64?: Uint64Verdict;
  /**
   * True while fewer than `repeats` runs were measured because the run was
   * interrupted: `runs` holds those measured (each saved as it finished), and
   * `--resume` measures only the missing ones.
   */
  incomplete?: boolean;
  /** Sum of the runs' timing, plus the unmeasured child that wrote the load's input if one was needed. */
  timing?: Omit<RunTiming, 'totalMs'> & { totalMs: number; prepareInputMs: number };
  summary: Partial<Record<RunMetric, Spread>>;
  /** One shell line that re-runs just this measurement and prints its figures. */
  reproduce: string;
  /**
   * Runs added beyond `repeats` because a memory figure fell in modes with too few runs in one of
   * them (`config.modeRepeats`); absent when none were added.
   */
  addedRuns?: number;
  /** In a merged report: the shard (index) that measured the case; its machine is `merged.shards[…].environment`. */
  shard?: number;
  /** Heap profiles from extra, unmeasured children (`footprint explain`, `run --explain`). */
  explain?: CaseExplain;
}

/** Size of the data itself, per dataset and N, so peaks can be shown as multiples of it. */
export interface DataSize {
  dataset: string;
  n: number;
  /** The content with no overhead at all (bench/data/size.ts; the tuples: N x (8 + 8 + 20) bytes). */
  intrinsicBytes: number;
  /** Measured live V8 heap of the generated records (median over the dump runs); null if not measured. */
  heapBytes: number | null;
  /**
   * Memory the records hold outside V8's heap (array buffers: bytes and typed-array fields), median over the
   * dump runs; absent or null when not measured (reports before it, and the tuples hold none).
   */
  externalBytes?: number | null;
}

export interface Environment {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  /** Version of every codec library (and the suite itself). */
  packages: Record<string, string>;
  /** Flags every measured child ran with. */
  nodeFlags: string[];
  gitCommit: string | null;
  /** The command line that produced the report. */
  command: string;
  /** Absolute path of the Node binary that ran the children. */
  nodeBinary: string;
  /** Whether /proc/self/clear_refs could reset the peak (else peaks are whole-process). */
  peakResetAvailable: boolean;
  /** msgpackr found its native (msgpackr-extract) decoder. */
  msgpackrNative: boolean;
  /**
   * The runtime that ran the children and what it can measure (bench/measure/capabilities.ts). Absent in
   * reports written before runtimes other than Node were supported: those ran on Node.
   */
  runtime?: RuntimeCapabilities;
}

/** What one runtime's children measured, what they could not, and what does not compare with Node's. Probed on the runtime itself. */
export interface RuntimeCapabilities {
  name: 'node' | 'bun' | 'deno' | 'python';
  /** The runtime's own version: `v20.20.2`, `1.4.5`, `2.9.6`, `3.11.7`. */
  version: string;
  /** `V8 11.3.244.8`, `JavaScriptCore`, `CPython`. */
  engine: string;
  /** One row per capability: measured or not, comparable with V8's figures or not, and why. */
  rows: CapabilityRow[];
}

export interface CapabilityRow {
  /** What the row is about, e.g. `peak RSS (clear_refs + VmHWM)`. */
  what: string;
  /** `yes`: measured as on Node; `differs`: measured but not comparable across runtimes; `no`: not measured. */
  status: 'yes' | 'differs' | 'no';
  /** How it is measured on this runtime, or why it is not / does not compare (a probe's result when there is one). */
  detail: string;
}

/** A report of another language measured by the same method (`footprint run --peer python`): shown as a peer group, never compared case by case with the JavaScript runtimes. */
export interface PeerGroup {
  language: 'python';
  /** The interpreter's version, e.g. `3.11.7`. */
  version: string;
  /** Run figures the peer does not measure (a run's required fields carry 0 for them), each with the reason. */
  notMeasured: { metric: RunMetric; reason: string }[];
  /** How each format keeps the uint64 exact, by format name. */
  uint64: Record<string, string>;
}

/** One dataset of a run and its N, in run order. */
export interface DatasetRun {
  name: string;
  n: number[];
}

/** A dataset as the report carries it (bench/data's DatasetInfo plus the size of a record): never its generator. */
export interface DatasetInfo {
  name: string;
  /** One sentence. */
  description: string;
  /** The schema in bench/data's type language (plain JSON objects). */
  schema: Record<string, unknown>;
  /** SHA-256 of the schema's canonical JSON: the same name with another schema is another dataset. */
  fingerprint: string;
  /** The schema in a few lines. */
  lines: string[];
  defaultN: number;
  /** Intrinsic bytes per record, from the first min(N, 1,000) records. */
  intrinsicBytesPerRecord: number;
  /** Where the reader's dataset came from (`--dataset-module`, `--data`); absent for a built-in. */
  source?: DatasetSource;
  /** What the report says beside the schema: a sample's inference notes and what repeating it to N means. */
  notes?: string[];
}

/** The file a reader's dataset came from, with its SHA-256 (the same path with other content is another dataset). */
export type DatasetSource =
  | { kind: 'module'; path: string; sha256: string }
  | {
      kind: 'sample';
      path: string;
      sha256: string;
      /** Records in the sample, repeated to N. */
      sampleRecords: number;
      /** `--uint64` paths. */
      uint64Paths: string[];
      /** `--data-schema`: the schema came from this file, not from inference. */
      schemaFile?: string;
    };

export interface RunConfig {
  /** The union of every dataset's N, ascending (readers that know one dataset). */
  n: number[];
  /** The datasets in run order, each with its N (authoritative). */
  datasets: DatasetRun[];
  seed: number;
  repeats: number;
  codecs: string[];
  phases: Phase[];
  /** Heap limit of each child, in MiB (`--max-old-space-size`). */
  maxOldSpaceSizeMb: number;
  /** Wall timeout of each child. */
  timeoutMs: number;
  /**
   * The parent's RSS sampling interval (0 = off). Sampling slows the measured child (README,
   * "What sampling costs"), so wall times of runs with different intervals do not compare.
   * Absent in reports written before it was recorded.
   */
  sampleMs?: number;
  /** Measured children run at once (`--jobs`); absent in reports written before it was recorded (1). */
  jobs?: number;
  /**
   * What the run measures besides the memory cases: the compressed sizes (false with --no-sizes) and
   * the throughput (false with --memory-only); and whether it measures the memory cases at all (false
   * with --time-only). Absent in reports written before it was recorded; `memory` also in those
   * written before it was (as the committed reference).
   */
  sides?: { sizes: boolean; throughput: boolean; memory?: boolean };
  /**
   * Runs added to a case whose memory figure fell in modes (bench/run/mode-repeats.ts): until every
   * mode has `minPerMode` runs, at most `maxRuns` runs in all. Absent in reports written before.
   */
  modeRepeats?: { minPerMode: number; maxRuns: number };
}

/** A codec as the report records it. */
export interface CodecInfo {
  kind: CodecKind;
  description: string;
  /** What its load returns; absent in reports written before it was recorded. */
  returns?: LoadReturns;
  /** The codec whose dump writes its files (Codec.dumpBy): it has no dump case of its own. */
  dumpBy?: string;
  /** What importing it costs a fresh process (bench/measure/import-child.ts); absent when not measured. */
  importCost?: ImportCost;
}

/**
 * What importing a codec costs a fresh process: its module, its library and its `init` (schemas),
 * in a child with the measured children's flags that imports nothing else. Each figure is after
 * minus before, both read after full GCs once RSS, heap and external memory stopped moving.
 */
export interface ImportCost {
  rssBytes: number;
  heapBytes: number;
  externalBytes: number;
  /** Wall time of the import and `init`. */
  ms: number;
}

export interface Report {
  schemaVersion: number;
  /** Set on reading when the file was written with an older schema and migrated (bench/results/migrate.ts); never written. */
  migratedFrom?: number;
  /** ISO time the run started. */
  startedAt: string;
  /** ISO time the run finished, null while running or if interrupted. */
  finishedAt: string | null;
  /** True when the run was stopped (SIGINT/SIGTERM) before all cases completed. */
  interrupted: boolean;
  /** ISO times at which `--resume` continued this run. */
  resumedAt?: string[];
  /**
   * Set when the runs were measured in interleaved rounds with other reports (footprint matrix):
   * for each case, one run on each variant in turn (A B A B ...), so drift lands on all of them.
   */
  interleaving?: Interleaving;
  environment: Environment;
  config: RunConfig;
  /**
   * How each codec encodes the data (e.g. the BigInt in JSON), by codec name, and what its load returns
   * (absent in reports written before it was recorded: readers take the built-in codec's declaration).
   */
  codecs: Record<string, CodecInfo>;
  /** What each dataset of the run is (`config.datasets` gives their order), by name. */
  datasets: Record<string, DatasetInfo>;
  data: DataSize[];
  cases: CaseResult[];
  /** What values cost in V8's heap on the Node binary that ran the suite (`footprint sizeof`), with the per-tuple model against the measured data heap. */
  sizeof?: SizeofReport;
  /** In-process encode/decode throughput (tinybench, warmed JIT), separate from the fresh-process memory runs. */
  throughput?: ThroughputSection;
  /** Each codec's file at each N: raw and compressed sizes. */
  sizes?: SizeRow[];
  /** Where the run's time went (`jobs`, per-part totals, idle time). */
  timing?: RunBreakdown;
  /** Set when the report is another language's peer group (the Python peer), not the JavaScript suite. */
  peer?: PeerGroup;
  /** Set when the run measured one shard of the plan (`--shard K/N`); `footprint merge` joins the shards. */
  shard?: ShardRecord;
  /** Set on a report that `footprint merge` made from shard reports. */
  merged?: MergedFrom;
}

/** One shard of a split plan (`--shard K/N`, bench/run/shard.ts). */
export interface ShardRecord {
  /** K, counted from 1. */
  index: number;
  /** N, the number of shards. */
  count: number;
  /** Every planned case of the whole suite (all shards), as case keys (`json dump n=100000`), in plan order. */
  planned: string[];
  /** SHA-256 of `planned`, one per plan. */
  planHash: string;
  /** This shard's case keys, in plan order. */
  cases: string[];
  /** Where the expected costs came from: `estimate (N × runs)` or `timings of FILE`. */
  costSource: string;
  /** This shard's expected cost and the whole plan's, in the costSource's unit (ms, or N × runs). */
  cost: number;
  totalCost: number;
  /** Host name of the machine that ran the shard: compare tells machines apart by it. */
  host?: string;
}

/** Where a merged report's cases came from. */
export interface MergedFrom {
  /** N, the number of shards of the plan. */
  count: number;
  planHash: string;
  /** The shard reports merged, by shard index. */
  shards: MergedShard[];
  /** Set when shards or cases were missing and `--allow-partial` merged anyway: the missing case keys. */
  partial?: { missing: string[] };
}

/** One shard report inside a merged report: each case names its shard (`CaseResult.shard`). */
export interface MergedShard {
  index: number;
  /** The shard report's path as given to merge. */
  source: string;
  host?: string;
  /** The machine that measured the shard's cases. */
  environment: Environment;
  startedAt: string;
  finishedAt: string | null;
  interrupted: boolean;
  interleaving?: Interleaving;
  timing?: RunBreakdown;
}

/**
 * 3: datasets (`config.datasets`, `datasets`, `dataset` on cases, data, sizes and throughput rows; case state `n/a`).
 * 2: memory figures compared as increments over the child's baseline (`peakExternalIncrementBytes`),
 * the live-heap peak (`peakHeapLiveBytes`), the raw heap peak renamed `peakHeapWithGarbage...`,
 * per-report provenance. Schema 1 reports are read and migrated (bench/results/migrate.ts).
 */
export const SCHEMA_VERSION = 3;

export interface Interleaving {
  /** One id shared by the reports of one interleaved schedule. */
  id: string;
  /** The variants in the order each round ran them (e.g. `['node v20.20.2', 'node v22.23.3']`); this report's is `label`. */
  order: string[];
  label: string;
  /**
   * Seed of the order within each round: the variants run in a shuffled order, drawn from
   * (seed, case, round), so nothing periodic lines up with one variant. Absent in reports written
   * before (they ran `order` every round).
   */
  seed?: number;
}

/** tinybench statistics of one direction, plus rates derived from the mean. */
export interface DirectionStats {
  /** Measured samples (one sample = one operation on the whole batch). */
  samples: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  /** Relative margin of error of the mean at 95% (Student's t), in percent. */
  rmePercent: number;
  /** 1000 / meanMs: operations per second implied by the mean latency. */
  opsPerSec: number;
  /** opsPerSec x batch. */
  tuplesPerSec: number;
  /** opsPerSec x encodedBytes: bytes of encoded form produced (encode) or consumed (decode) per second. */
  encodedBytesPerSec: number;
  /**
   * Each fresh process's mean latency, in process order, when the throughput was measured in several
   * (`ThroughputSection.processes`): the figures `compare` tests. The other fields are then the median
   * over the processes (samples: their sum). Absent in reports measured in one process.
   */
  processMeansMs?: number[];
}

/** 'n/a': the codec cannot carry the row's dataset (error says why); not timed. */
export type ThroughputState = 'ok' | 'lossy' | 'failed' | 'n/a';

export interface ThroughputRow {
  /** The dataset the batch was drawn from. */
  dataset: string;
  codec: string;
  kind: CodecKind;
  state: ThroughputState;
  /** Why the row is not 'ok'. */
  error?: string;
  /** Size of one encoded batch (the file dump wrote). */
  encodedBytes: number | null;
  /** The decoded batch checksum equalled the generator's, for a file written before timing and for the last timed dump's file. */
  verified: boolean;
  encode: DirectionStats | null;
  decode: DirectionStats | null;
}

export interface ThroughputSection {
  /** Always 'in-process-warmed-jit': one process, all codecs, after tinybench warm-up. */
  method: 'in-process-warmed-jit';
  /** Records per operation (the tuples' batch, or the only dataset's). */
  batch: number;
  /** Records per operation of each dataset, when the section times datasets other than the tuples alone. */
  batches?: Record<string, number>;
  seed: number;
  warmupTimeMs: number;
  warmupIterations: number;
  timeMs: number;
  iterations: number;
  /** Where dump/load wrote and read their files. */
  scratchDir: string;
  /** Filesystem of scratchDir ('tmpfs' = RAM; anything else means disk I/O is in the figures). */
  scratchFsType: string | null;
  /** tinybench's timestamp provider, e.g. 'hrtimeNow'. */
  timer: string;
  tinybenchVersion: string;
  /** Whether `gc()` was available to collect between codecs. */
  gcBetweenCodecs: boolean;
  rows: ThroughputRow[];
  /**
   * Fresh processes that each measured every codec (in its own shuffled order, `codecOrders`); the
   * rows hold the median over them and each process's mean (`processMeansMs`). Absent in reports
   * measured in one process.
   */
  processes?: number;
  /** The order each process measured the codecs in, drawn from `orderSeed` (drift within a sitting lands on every codec alike). */
  codecOrders?: string[][];
  orderSeed?: number;
  /**
   * Each process's time for a fixed native workload (SHA-256 of 16 MiB, best of 5): how fast the
   * machine was in that sitting, so that `compare` can say when two reports ran at different speeds.
   */
  calibrationMs?: number[];
}

// ---- Compressed sizes (bench/sizes/) ----

export interface CompressedSize {
  bytes: number;
  /** Wall time of the stream (read + compress). */
  ms: number;
  /**
   * CPU time of the compressing process over the stream (all its threads). The figure the table shows:
   * under --jobs the sizes child runs beside measured children, so its wall time says how busy the
   * machine was as much as what compressing costs. Absent in reports made before it existed.
   */
  cpuMs?: number;
  /** gzip/zstd level or brotli quality used. */
  level: number;
}

export interface CompressedSizes {
  rawBytes: number;
  gzip: CompressedSize;
  /** 'skipped': not measured in this run (`--no-brotli`, the `--datasets all` preset). */
  brotli: CompressedSize | 'skipped';
  /** 'n/a' where this Node version has no zstd in node:zlib (added in 22.15 / 23.8). */
  zstd: CompressedSize | 'n/a';
}

/** One row of the report's sizes table: a codec's file of one dataset at one N. */
export interface SizeRow extends CompressedSizes {
  dataset: string;
  codec: string;
  n: number;
  /** SHA-256 of the file measured. */
  sha256?: string;
  /** The file was byte-identical to this codec's (same N): its sizes were reused, not compressed again. */
  sameFileAs?: string;
}

// ---- footprint sizeof (bench/sizeof/): what values cost in V8's heap; a results report carries one as `sizeof` ----

export type SizeofKind =
  /** A heap object this value owns (it is dominated by the slot holding it). */
  | 'object'
  /** A heap object shared with something else (an interned string, a V8 root such as ''), not owned by the holder. */
  | 'shared'
  /** undefined, null, true, false: one shared V8 object each; the holder only pays the slot. */
  | 'oddball'
  /** A small integer (Smi): stored inside the slot itself, no heap object at all. */
  | 'smi';

export interface SizeofNode {
  /** The value's source text (top level) or how the parent reaches it (`[1]`, `.x`, `elements`, `table`). */
  label: string;
  kind: SizeofKind;
  /** What V8 calls it: 'heap number', 'string', 'Array', 'system / Oddball', '(object elements)', ... */
  what: string;
  /** V8's snapshot type of the heap object ('number', 'string', 'object', 'hidden', ...); null for a Smi. */
  v8Type: string | null;
  /** The object's own size; null for a Smi (no object). */
  shallowBytes: number | null;
  /** Shallow size plus everything only reachable through it (what GC would free without it); null for a Smi. */
  retainedBytes: number | null;
  /** Small-integer value, for kind 'smi'. */
  smiValue?: string;
  note?: string;
  children: SizeofNode[];
  /** Children left out (depth or count limit). */
  omittedChildren?: number;
}

export interface SizeofEntry extends SizeofNode {
  /** 'dataset': a dataset's first record (`footprint sizeof --dataset`). */
  source: 'default' | 'expr' | 'dataset';
  /** `typeof` the value in the child. */
  jsType: string;
}

/** Bytes one suite tuple costs, summed from the measured sizes of the default tuple. */
export interface TupleModel {
  parts: { name: string; bytes: number }[];
  modelBytesPerTuple: number;
  /** The in-heap bytes per tuple measured by generating N tuples in a child (absent if not measured). */
  measured?: TupleHeapMeasurement;
  /** (model - measured) / measured, when measured. */
  differenceRatio?: number;
}

export interface TupleHeapMeasurement {
  n: number;
  seed: number;
  /** Live heap (used_heap_size after full GCs) growth from generating the N tuples and holding them. */
  heapGrowthBytes: number;
  bytesPerTuple: number;
}

/** A dataset's records in V8's heap (bench/sizeof/record-heap.ts): growth over generating and holding N of them. */
export interface RecordHeapMeasurement {
  dataset: string;
  n: number;
  seed: number;
  /** Live heap (used_heap_size after full GCs) growth. */
  heapGrowthBytes: number;
  bytesPerRecord: number;
  /** Growth of the ArrayBuffers outside the heap (bytes payloads). */
  externalGrowthBytes: number;
  /** The records' intrinsic size (their content, no overhead: bench/data/size.ts), for the ratio. */
  intrinsicBytes?: number;
}

export interface SizeofReport {
  schemaVersion: 1;
  node: string;
  v8: string;
  arch: string;
  nodeBinary: string;
  /** From process.config of the measured Node; null when the build does not say. */
  pointerCompression: boolean | null;
  /** Size of one tagged slot (a pointer or a Smi) in an array or object, bytes. */
  slotBytes: number;
  /** How slotBytes was established: measured from two arrays' backing stores in the snapshot, cross-checked with process.config. */
  slotBytesSource: string;
  smiBits: number;
  /** The snapshot analysed; parseMs covers parsing and the dominator tree. */
  snapshot: { nodeCount: number; edgeCount: number; fileBytes: number; parseMs: number };
  values: SizeofEntry[];
  tupleModel?: TupleModel;
  /** Each `--dataset`'s records in V8's heap (`footprint sizeof --dataset NAME --records N`). */
  records?: RecordHeapMeasurement[];
}

// ---- footprint explain (bench/explain/) ----

/** The two views of `footprint explain` (docs/explain.md). */
export type ExplainView = 'held' | 'allocated';

/** One function of a sampling heap profile, aggregated over its call stacks. */
export interface ExplainFrame {
  functionName: string;
  /** `path:line` of the function's start (TypeScript source where a source map says so); '' for V8 frames. */
  location: string;
  /** npm package of the file, `node` for Node's own code, `(v8)` for V8's pseudo-frames, else `serialization-footprint`. */
  package: string;
  /** Estimated bytes allocated in the function itself. */
  selfBytes: number;
  /** Estimated bytes allocated in it and everything it called. */
  totalBytes: number;
  /** selfBytes / the view's total. */
  selfShare: number;
  /** totalBytes / the view's total. */
  totalShare: number;
}

/** A call-tree node for the flame graph; children below 0.5% of the view are pruned (their bytes stay in totalBytes). */
export interface FlameNode {
  functionName: string;
  location: string;
  package: string;
  selfBytes: number;
  totalBytes: number;
  children?: FlameNode[];
}

/** The extra child's own figures, next to the measured case's: what profiling cost. */
export interface ExplainChildFigures {
  peakRssIncrementBytes: number;
  peakHeapWithGarbageIncrementBytes: number;
  peakHeapLiveIncrementBytes?: number;
  peakExternalIncrementBytes: number;
  wallMs: number;
  /** Heap used at the phase's end (before any GC after it) over the baseline, in this child: live objects and garbage not yet collected. */
  endHeapIncrementBytes: number;
  /** Heap used after a full GC at the phase's end over the baseline, in this child: what the held view can see (V8 collects before it hands out the profile). */
  liveHeapIncrementBytes: number;
}

/** One view of one case: a sampling heap profile from its own extra child. */
export interface ExplainViewResult {
  /** The `.heapprofile` file written (`<codec>-<phase>-<n>-<view>.heapprofile`), relative to the results JSON's folder when inside it. */
  file: string;
  /** Estimated bytes the view holds (sum of the profile's self sizes). */
  totalBytes: number;
  /** Samples in the profile. */
  samples: number;
  /** held view: totalBytes / child.liveHeapIncrementBytes (same child, same moment). */
  coverage?: number;
  child: ExplainChildFigures;
  bySelf: ExplainFrame[];
  byTotal: ExplainFrame[];
  flame: FlameNode;
}

/** `footprint explain` / `run --explain`: what the heap held and allocated, by call stack. */
export interface CaseExplain {
  /** Mean bytes between samples (`HeapProfiler.startSampling`'s samplingInterval). */
  samplingIntervalBytes: number;
  /** Absent when its child failed (see `errors`). */
  held?: ExplainViewResult;
  allocated?: ExplainViewResult;
  /** held totalBytes / the measured case's median peak RSS increment: the share of the extra RSS the heap view accounts for. */
  heldShareOfPeakRss?: number;
  /** Why a view is missing. */
  errors?: string[];
}
