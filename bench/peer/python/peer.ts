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
import { SERIES_MAX_POINTS } from '../../constants.js';
import type { DatasetDefinition } from '../../data/dataset.js';
import { INTRINSIC_BYTES_PER_TUPLE, tuplesDefinition } from '../../data/datasets/tuples.js';
import { datasetInfo } from '../../results/datasets.js';
import { type SamplingControl, samplerHook, toMemorySeries } from '../../measure/sampler.js';
import { summarize } from '../../results/summary.js';
import { gitCommit } from '../../run/environment.js';
import { PROJECT_ROOT } from '../../run/paths.js';
import { superviseChild } from '../../run/spawn.js';
import { Interrupted } from '../../run/case.js';
import { expectedChecksum, ReportOutput, runSitting } from '../../run/core.js';
import type { CaseResult, CaseState, Marker, PeerGroup, Report, ReportSink, RunResult, RuntimeCapabilities } from '../../types.js';
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
    return { ok: false, reason: e.code === 'ENOENT' ? `${binary} is not on the PATH` : `${binary} does not run: ${(e.message ?? String(err)).split('\n')[0]}` };
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

type PeerSpec = { format: PythonFormat; phase: 'dump' | 'load' | 'prepare'; n: number; seed: number; file: string; expect?: string };

function specArgs(s: PeerSpec): string[] {
  return [
    '--format',
    s.format,
    '--phase',
    s.phase,
    '--n',
    String(s.n),
    '--seed',
    String(s.seed),
    '--file',
    s.file,
    ...(s.expect ? ['--expect', s.expect] : []),
  ];
}

type PeerOutcome =
  | { kind: 'result'; figures: RunResult & { verifyError?: string; unjudged?: boolean }; markers: Marker[] }
  | { kind: 'verify' }
  | { kind: 'failed' | 'oom' | 'timeout' | 'interrupted'; error: string; exitCode: number | null; exitSignal: string | null };

/** One fresh python3 running one spec, supervised as the JavaScript children are (run/spawn.ts); whatever happens to it becomes data. */
async function runPeerChild(spec: PeerSpec, opts: PeerOptions, onSpawn?: (pid: number, spawnedAt: number) => SamplingControl): Promise<PeerOutcome> {
  let figures: (RunResult & { verifyError?: string; unjudged?: boolean }) | undefined;
  let verified = false;
  // python's time.monotonic() is the same CLOCK_MONOTONIC as the markers' clock; own process group, as
  // the JavaScript children: killing it also ends a dump's verifier
  const end = await superviseChild(
    () => spawn(opts.python.binary, [PEER_SCRIPT, ...specArgs(spec)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
    {
      timeoutMs: opts.timeoutMs,
      binary: opts.python.binary,
      transport: 'stdout-lines',
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(onSpawn ? { onSpawn } : {}),
    },
    (m) => {
      if (m.type === 'result') figures = m.figures as RunResult;
      else if (m.type === 'verify') verified = m.verified;
    },
  );
  const { code, signal } = end;
  const base = { exitCode: code, exitSignal: signal };
  if (end.interrupted) return { kind: 'interrupted', error: 'run interrupted', ...base };
  if (end.timedOut) return { kind: 'timeout', error: `timed out after ${opts.timeoutMs} ms (child killed)`, ...base };
  if (figures && code === 0) return { kind: 'result', figures, markers: end.markers };
  if (spec.phase === 'prepare' && verified && code === 0) return { kind: 'verify' };
  const why = end.childError ?? (end.stderrTail.split('\n').filter(Boolean).pop() || 'no error message');
  if (/MemoryError/.test(why) || /MemoryError/.test(end.stderrTail)) return { kind: 'oom', error: `out of memory: ${why}`, ...base };
  return { kind: 'failed', error: `python child ${signal ? `killed by ${signal}` : `exited with code ${code}`}: ${why}`, ...base };
}

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

function caseState(runs: RunResult[], failure?: PeerOutcome): CaseState {
  if (failure && failure.kind !== 'result' && failure.kind !== 'verify' && failure.kind !== 'interrupted') return failure.kind;
  return runs.some((r) => !r.verified) ? 'lossy' : 'ok';
}

/** The shell line that re-runs one measurement from the project root. */
export function peerReproduceLine(spec: PeerSpec, python: string): string {
  const file = `/tmp/footprint-py-${spec.format}-${spec.n}.${FORMAT_INFO[spec.format].extension}`;
  const line = (s: PeerSpec): string => [python, relative(PROJECT_ROOT, PEER_SCRIPT), ...specArgs({ ...s, file })].join(' ');
  const measured = { format: spec.format, phase: spec.phase, n: spec.n, seed: spec.seed, file };
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

/** Run the peer group and write its report (JSON and markdown, after every case). */
export async function runPythonPeer(opts: PeerOptions): Promise<{ report: Report; allOk: boolean }> {
  const progress = opts.onProgress ?? (() => {});
  const workDir = join(dirname(opts.outFile), `.work-${basename(opts.outFile).replace(/\.json$/i, '')}-${process.pid}`);
  const peakResetAvailable = await probePeakReset(opts.python.binary);
  const cpu = cpus()[0];
  const report: Report = {
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
  const output = new ReportOutput(report, opts.outFile, opts.sinks);
  const save = (): void => output.save();
  const phases = (['dump', 'load'] as const).filter((p) => opts.phases.includes(p));
  const total = opts.n.length * opts.formats.length * phases.length;
  let done = 0;

  const runCase = async (spec: PeerSpec, prepare: boolean): Promise<CaseResult> => {
    const result: CaseResult = {
      dataset: tuplesDefinition.name,
      codec: spec.format,
      phase: spec.phase as 'dump' | 'load',
      n: spec.n,
      state: 'ok',
      runs: [],
      summary: {},
      reproduce: peerReproduceLine(spec, opts.python.binary),
    };
    let failure: PeerOutcome | undefined;
    if (prepare) {
      const prep = await runPeerChild({ ...spec, phase: 'prepare' }, opts);
      if (prep.kind === 'interrupted') throw new Interrupted();
      if (prep.kind !== 'verify')
        failure = { ...(prep as Extract<PeerOutcome, { error: string }>), error: `could not write the input file: ${'error' in prep ? prep.error : ''}` };
    }
    for (let r = 0; r < opts.repeats && !failure; r++) {
      const sampler = samplerHook(opts.sampleMs);
      const outcome = await runPeerChild(spec, opts, sampler.onSpawn);
      const sampled = sampler.result();
      if (outcome.kind === 'interrupted') throw new Interrupted();
      if (outcome.kind !== 'result') {
        failure = outcome;
        break;
      }
      const { verifyError, unjudged, ...figures } = outcome.figures;
      if (unjudged) {
        failure = { kind: 'failed', error: `run ${r + 1}: ${verifyError ?? 'verification failed'}`, exitCode: null, exitSignal: null };
        break;
      }
      const run: RunResult = figures;
      if (sampled) run.series = toMemorySeries(sampled, opts.sampleMs, outcome.markers, SERIES_MAX_POINTS);
      result.runs.push(run);
      if (verifyError && !result.error) result.error = `run ${r + 1}: ${verifyError}`;
    }
    result.state = caseState(result.runs, failure);
    if (failure && failure.kind !== 'result' && failure.kind !== 'verify')
      Object.assign(result, { error: failure.error, exitCode: failure.exitCode, exitSignal: failure.exitSignal });
    result.summary = summarize(result.runs);
    report.cases.push(result);
    save();
    done++;
    const s = result.summary.peakRssIncrementBytes;
    progress(
      `[${done}/${total}] python ${spec.format} ${spec.phase} n=${spec.n.toLocaleString('en-US')}: ${s ? `peak RSS +${(s.median / 1048576).toFixed(1)} MiB ` : ''}${result.state}${result.state !== 'ok' && result.error ? ` (${result.error.split('\n')[0]})` : ''}`,
    );
    return result;
  };

  await runSitting([output], workDir, async () => {
    for (const n of opts.n) {
      // the JavaScript generator's checksum: a verified Python run proves the port generated the same data
      const expect = expectedChecksum(n, opts.seed);
      for (const format of opts.formats) {
        const file = join(workDir, `${format}-${n}.${FORMAT_INFO[format].extension}`);
        let fileReady = false;
        for (const phase of phases) {
          if (opts.signal?.aborted) throw new Interrupted();
          const res = await runCase({ format, phase, n, seed: opts.seed, file, expect }, phase === 'load' && !fileReady);
          if (phase === 'dump' && res.runs.length > 0 && res.runs.every((x) => x.verified)) fileReady = true;
        }
        rmSync(file, { force: true });
      }
    }
  });
  return { report, allOk: !report.interrupted && report.cases.every((c) => c.state === 'ok') };
}
