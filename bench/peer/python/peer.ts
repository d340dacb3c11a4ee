/**
 * The Python peer group: the original experiment's pickle and flat-file
 * dump/load (plus json for reference) in CPython, measured by the same method
 * as the JavaScript suite (bench/peer/python/footprint_peer.py does the
 * measuring; this file decides what runs and writes the report).
 *
 * One fresh `python3` per (format, phase, repeat). The expected checksum of
 * each N comes from the JavaScript generator (bench/data: the `tuples` dataset
 * and its checksum), so every verified Python run also proves that the
 * Python port generated the very same data.
 */
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { DatasetDefinition } from '../../data/dataset.js';
import { INTRINSIC_BYTES_PER_TUPLE, tuplesDefinition } from '../../data/datasets/tuples.js';
import type { ChildFigures, ChildSpec } from '../../measure/protocol.js';
import { datasetInfo } from '../../results/datasets.js';
import { type ChildSettings, Interrupted, prepareInput, runRepeat } from '../../run/case.js';
import { expectedChecksum, ReportOutput, runSitting } from '../../run/core.js';
import { gitCommit } from '../../run/environment.js';
import { PROJECT_ROOT } from '../../run/paths.js';
import { CaseRecorder, DataHeaps, dumpFileReady } from '../../run/recorder.js';
import { type ChildRunner, superviseChild } from '../../run/spawn.js';
import type { CaseResult, PeerGroup, Phase, Report, ReportSink, RuntimeCapabilities } from '../../types.js';
import { SCHEMA_VERSION } from '../../types.js';

const exec = promisify(execFile);

/** The peer's script, run from the sources (Python needs no build step). */
export const PEER_SCRIPT = join(PROJECT_ROOT, 'bench', 'peer', 'python', 'footprint_peer.py');

export const PYTHON_FORMATS = ['pickle', 'flat', 'json'] as const;
export type PythonFormat = (typeof PYTHON_FORMATS)[number];

/** Oldest Python the peer supports (its script uses nothing newer). */
export const MIN_PYTHON: readonly [number, number] = [3, 9];

export const FORMAT_INFO: Record<PythonFormat, { kind: 'whole' | 'stream'; extension: string; description: string; uint64: string }> = {
  pickle: {
    kind: 'whole',
    extension: 'pickle',
    description:
      "the seed experiment's `pickle.dump(x, f)` / `pickle.load(f)` of the whole list (pickle.DEFAULT_PROTOCOL: 4 on Python 3.8 to 3.13, 5 from 3.14)",
    uint64: "exact: pickle stores every int as LONG1, its two's-complement bytes at any size, and each float as its 8 IEEE-754 bytes",
  },
  flat: {
    kind: 'stream',
    extension: 'txt',
    description:
      "the seed experiment's flat text file: `print(xx, file=f)` per tuple, read back line by line (`ast.literal_eval` per line in place of the original's `eval`), appending",
    uint64:
      'exact: repr(int) writes every decimal digit and Python ints are arbitrary precision; repr(float) is the shortest text that reads back to the same double',
  },
  json: {
    kind: 'whole',
    extension: 'json',
    description:
      'for reference: `json.dump(x, f)` / `json.load(f)` of the whole list (json.dump writes chunk by chunk through iterencode; tuples load back as lists)',
    uint64: "exact with no string encoding: Python's json writes an int as its decimal digits and parses it back as an int (JavaScript's JSON.parse cannot)",
  },
};

/** Run figures the Python peer does not have; a run's required fields carry 0 for them. */
export const PYTHON_NOT_MEASURED: PeerGroup['notMeasured'] = [
  {
    metric: 'peakHeapWithGarbageIncrementBytes',
    reason: 'no V8 heap: CPython allocates through pymalloc and malloc; tracemalloc would slow the phase and change what it measures',
  },
  { metric: 'peakHeapWithGarbageBytes', reason: 'no V8 heap' },
  { metric: 'peakHeapLiveIncrementBytes', reason: 'no V8 heap (the field is absent)' },
  { metric: 'retainedHeapBytes', reason: 'no V8 heap (RSS after a full collection is recorded instead)' },
  { metric: 'peakExternalIncrementBytes', reason: 'no external (off-heap Buffer) memory in CPython' },
  { metric: 'peakExternalBytes', reason: 'no external memory in CPython' },
  { metric: 'baselineExternalBytes', reason: 'no external memory in CPython' },
];

export interface PythonInfo {
  /** The command run (`python3`, or a path). */
  binary: string;
  /** `3.11.7`. */
  version: string;
}

/** Find a usable python3: its version, or why the peer cannot run (then it is reported as skipped). */
export async function findPython(binary = 'python3'): Promise<{ ok: true; python: PythonInfo } | { ok: false; reason: string }> {
  let out: string;
  try {
    ({ stdout: out } = await exec(binary, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { timeout: 30_000 }));
  } catch (err) {
    const e = err as { code?: string; message?: string };
    // ENOENT: no such command (or path); anything else ran but did not answer as Python 3 does (`--python node`)
    const missing = binary.includes('/') ? `${binary}: no such file` : `${binary} is not on the PATH`;
    return { ok: false, reason: e.code === 'ENOENT' ? missing : `${binary} is not a working Python 3: ${(e.message ?? String(err)).split('\n')[0]}` };
  }
  const version = out.trim();
  const [maj, min] = version.split('.').map(Number);
  if (!(maj! > MIN_PYTHON[0] || (maj === MIN_PYTHON[0] && min! >= MIN_PYTHON[1]))) {
    return { ok: false, reason: `${binary} is Python ${version}; the peer needs Python >= ${MIN_PYTHON.join('.')}` };
  }
  return { ok: true, python: { binary, version } };
}

export interface PeerOptions {
  python: PythonInfo;
  n: number[];
  seed: number;
  repeats: number;
  formats: PythonFormat[];
  phases: ('dump' | 'load')[];
  timeoutMs: number;
  /** Parent-side RSS sampling for the memory-over-time series; 0 = off. */
  sampleMs: number;
  outFile: string;
  /** Where the report goes besides its JSON, after every save (the CLI hands in the peer's markdown writer): the peer knows no reporter. */
  sinks?: readonly ReportSink[];
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/** The peer script's flags for one spec: the suite's ChildSpec, its codec being the Python format. */
function specArgs(s: ChildSpec): string[] {
  return ['--format', s.codec, '--phase', s.phase, '--n', String(s.n), '--seed', String(s.seed), '--file', s.file, ...(s.expect ? ['--expect', s.expect] : [])];
}

/**
 * One fresh python3 (`opts.nodeBinary`: the binary that runs the child) running one spec, supervised
 * as the JavaScript children are (run/spawn.ts superviseChild); whatever happens to it becomes the
 * suite's ChildOutcome, so the peer's cases go through the suite's per-run code (run/case.ts). The
 * node flags are ignored: a CPython child has no heap limit to pass.
 */
export const runPythonChild: ChildRunner = async (spec, opts) => {
  let figures: ChildFigures | undefined;
  let verified = false;
  // python's time.monotonic() is the same CLOCK_MONOTONIC as the markers' clock; own process group, as
  // the JavaScript children: killing it also ends a dump's verifier
  const end = await superviseChild(
    () => spawn(opts.nodeBinary, [PEER_SCRIPT, ...specArgs(spec)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
    {
      timeoutMs: opts.timeoutMs,
      binary: opts.nodeBinary,
      transport: 'stdout-lines',
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
    },
    (m) => {
      if (m.type === 'result') figures = m.figures;
      else if (m.type === 'verify') verified = m.verified;
    },
  );
  const { code, signal, stderrTail } = end;
  // No spawnedMs/closedMs, so runRepeat makes no `run.timing`: the script marks only the phase and its
  // verification, not its start and its data generation, and the breakdown would count CPython's
  // start-up and the generation as settling before the baseline.
  const base = { exitCode: code, exitSignal: signal, stderrTail };
  if (end.interrupted) return { kind: 'interrupted', error: 'run interrupted', ...base };
  if (end.timedOut) return { kind: 'timeout', error: `timed out after ${opts.timeoutMs} ms (child killed)`, ...base };
  if (figures && code === 0) return { kind: 'result', figures, markers: end.markers };
  // the script confirms a written input with a `verify` message (verified: true), not the Node child's `prepared`
  if (spec.phase === 'prepare' && verified && code === 0) return { kind: 'prepared' };
  const why = end.childError ?? (stderrTail.split('\n').filter(Boolean).pop() || 'no error message');
  if (/MemoryError/.test(why) || /MemoryError/.test(stderrTail)) return { kind: 'oom', error: `out of memory: ${why}`, ...base };
  return { kind: 'failed', error: `python child ${signal ? `killed by ${signal}` : `exited with code ${code}`}: ${why}`, ...base };
};

/** The peer's capability table: what it measures like the JavaScript children, and what it has not. */
export function pythonCapabilities(version: string, peakResetAvailable: boolean): RuntimeCapabilities {
  return {
    name: 'python',
    version,
    engine: 'CPython',
    rows: [
      {
        what: 'peak RSS (clear_refs + VmHWM)',
        status: peakResetAvailable ? 'yes' : 'differs',
        detail: peakResetAvailable
          ? 'the child writes 5 to /proc/self/clear_refs before the phase and reads VmHWM after it'
          : 'clear_refs not writable: whole-process ru_maxrss',
      },
      { what: 'full collection before the baseline', status: 'yes', detail: 'gc.collect() twice' },
      { what: 'wall and CPU time, file size', status: 'yes', detail: 'time.perf_counter, time.process_time, os.stat' },
      { what: 'heap and external figures', status: 'no', detail: 'no V8 heap; RSS after a full collection is recorded instead' },
      { what: 'verification', status: 'yes', detail: "checksum of the data read back against the JavaScript generator's, by a fresh process for a dump" },
    ],
  };
}

/** The shell line that re-runs one measurement from the project root. */
export function peerReproduceLine(spec: ChildSpec, python: string): string {
  const file = `/tmp/footprint-py-${spec.codec}-${spec.n}.${FORMAT_INFO[spec.codec as PythonFormat].extension}`;
  const line = (s: ChildSpec): string => [python, relative(PROJECT_ROOT, PEER_SCRIPT), ...specArgs({ ...s, file })].join(' ');
  const measured: ChildSpec = { codec: spec.codec, phase: spec.phase, n: spec.n, seed: spec.seed, file, codecModules: [] };
  return spec.phase === 'load' ? `${line({ ...measured, phase: 'prepare' })} && ${line(measured)}` : line(measured);
}

async function probePeakReset(python: string): Promise<boolean> {
  try {
    const { stdout } = await exec(python, ['-c', "open('/proc/self/clear_refs','w').write('5'); print('ok')"], { timeout: 30_000 });
    return stdout.trim() === 'ok';
  } catch {
    return false;
  }
}

/** The peer's report before its first case: CPython's environment, the run's config, the formats, the tuples' data rows. */
function newPeerReport(opts: PeerOptions, peakResetAvailable: boolean): Report {
  const cpu = cpus()[0];
  return {
    schemaVersion: SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    environment: {
      node: `python ${opts.python.version}`,
      v8: 'n/a (CPython)',
      platform: process.platform,
      arch: process.arch,
      cpuModel: cpu?.model ?? 'unknown',
      cores: cpus().length,
      totalMemoryBytes: totalmem(),
      packages: { python: opts.python.version },
      nodeFlags: [],
      gitCommit: gitCommit(),
      command: process.argv.slice(1).join(' '),
      nodeBinary: opts.python.binary,
      peakResetAvailable,
      msgpackrNative: false,
      runtime: pythonCapabilities(opts.python.version, peakResetAvailable),
    },
    config: {
      n: opts.n,
      datasets: [{ name: tuplesDefinition.name, n: opts.n }], // the peer runs the original experiment
      seed: opts.seed,
      repeats: opts.repeats,
      codecs: opts.formats,
      phases: opts.phases,
      maxOldSpaceSizeMb: 0,
      timeoutMs: opts.timeoutMs,
      sampleMs: opts.sampleMs,
    },
    // every Python format loads into a list of tuples: rows
    codecs: Object.fromEntries(opts.formats.map((f) => [f, { kind: FORMAT_INFO[f].kind, description: FORMAT_INFO[f].description, returns: 'rows' as const }])),
    datasets: { [tuplesDefinition.name]: datasetInfo(tuplesDefinition as unknown as DatasetDefinition, Math.min(...opts.n), opts.seed) },
    data: opts.n.map((n) => ({ dataset: tuplesDefinition.name, n, intrinsicBytes: n * INTRINSIC_BYTES_PER_TUPLE, heapBytes: null })),
    cases: [],
    peer: {
      language: 'python',
      version: opts.python.version,
      notMeasured: PYTHON_NOT_MEASURED,
      uint64: Object.fromEntries(opts.formats.map((f) => [f, FORMAT_INFO[f].uint64])),
    },
  };
}

/** The peer's sitting: its report, the settings every child runs with, and the cases done so far. */
interface PeerSitting {
  opts: PeerOptions;
  output: ReportOutput;
  heaps: DataHeaps;
  /** The python3 binary in the suite's `nodeBinary` (the binary that runs the children); no node flags. */
  settings: ChildSettings;
  total: number;
  done: number;
}

/**
 * One case: the load's input written by an unmeasured python3 first (`prepare`), then its repeats,
 * each a fresh python3 through the suite's per-run code (runRepeat) until one fails; recorded,
 * finished and saved by the suite's recorder. Throws Interrupted.
 */
async function measurePeerCase(s: PeerSitting, spec: ChildSpec, prepare: boolean): Promise<CaseResult> {
  const { opts, settings } = s;
  const start = {
    dataset: tuplesDefinition.name,
    codec: spec.codec,
    phase: spec.phase as Phase,
    n: spec.n,
    reproduce: peerReproduceLine(spec, opts.python.binary),
  };
  const recorder = new CaseRecorder(start, s.output, s.heaps);
  if (prepare) recorder.failBefore(await prepareInput(spec, settings, [], runPythonChild));
  for (let r = 0; r < opts.repeats && !recorder.ended; r++) recorder.record(await runRepeat(spec, settings, [], r + 1, {}, runPythonChild), r + 1);
  const result = recorder.finish();
  s.done++;
  const m = result.summary.peakRssIncrementBytes;
  opts.onProgress?.(
    `[${s.done}/${s.total}] python ${spec.codec} ${spec.phase} n=${spec.n.toLocaleString('en-US')}: ${m ? `peak RSS +${(m.median / 1048576).toFixed(1)} MiB ` : ''}${result.state}${result.state !== 'ok' && result.error ? ` (${result.error.split('\n')[0]})` : ''}`,
  );
  return result;
}

/** Every case, N by N and format by format: a format's dump, then its load, which reads the dump's file when every dump run verified it. */
async function runPeerCases(s: PeerSitting, workDir: string, phases: readonly ('dump' | 'load')[]): Promise<void> {
  const { opts } = s;
  for (const n of opts.n) {
    // the JavaScript generator's checksum: a verified Python run proves the port generated the same data
    const expect = expectedChecksum(n, opts.seed);
    for (const format of opts.formats) {
      const file = join(workDir, `${format}-${n}.${FORMAT_INFO[format].extension}`);
      let fileReady = false;
      for (const phase of phases) {
        if (opts.signal?.aborted) throw new Interrupted();
        const res = await measurePeerCase(s, { codec: format, phase, n, seed: opts.seed, file, expect, codecModules: [] }, phase === 'load' && !fileReady);
        if (dumpFileReady(res)) fileReady = true;
      }
      rmSync(file, { force: true });
    }
  }
}

/** Run the peer group and write its report (JSON and markdown, after every case). */
export async function runPythonPeer(opts: PeerOptions): Promise<{ report: Report; allOk: boolean }> {
  const workDir = join(dirname(opts.outFile), `.work-${basename(opts.outFile).replace(/\.json$/i, '')}-${process.pid}`);
  const report = newPeerReport(opts, await probePeakReset(opts.python.binary));
  const output = new ReportOutput(report, opts.outFile, opts.sinks);
  const phases = (['dump', 'load'] as const).filter((p) => opts.phases.includes(p));
  const settings: ChildSettings = {
    nodeBinary: opts.python.binary,
    timeoutMs: opts.timeoutMs,
    sampleMs: opts.sampleMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const sitting: PeerSitting = { opts, output, heaps: new DataHeaps(), settings, total: opts.n.length * opts.formats.length * phases.length, done: 0 };
  await runSitting([output], workDir, () => runPeerCases(sitting, workDir, phases));
  // the peer's own rule: a lossy case is not ok (every Python format is exact), and there is no n/a
  return { report, allOk: !report.interrupted && report.cases.every((c) => c.state === 'ok') };
}
