/**
 * The measured child process: one (codec, phase, n) in a fresh Node process,
 * run as compiled JavaScript with no loader (a loader would change the
 * baseline). Usage, also printed as each case's `reproduce` line:
 *
 *   node --expose-gc dist/bench/measure/child.js --codec json --phase dump --n 1000000 --seed 42 --file /tmp/x.json
 *
 * `--dataset NAME` measures another dataset of bench/data (default: tuples, and then not written);
 * `--dataset-module PATH` or `--data FILE [--uint64 PATH]… [--data-schema FILE]` says where a reader's comes from.
 *
 * Phases:
 *   dump    generate the data, baseline, dump (measured); then a fresh verifier process reads the file back
 *   load    baseline, load a file this process never wrote (measured); then checksum against the generator
 *   clone   generate, baseline, deep-copy (measured: --codec structuredClone | v8-serialize-clone),
 *           then drop the original, full GC, and read what the copy retains and what the drop freed
 *   verify  load the file and compare its checksum (not measured)
 *   prepare generate and dump without measuring (writes a load phase's input)
 *
 * With an IPC channel (spawned by the orchestrator) the figures go to the
 * parent as messages; otherwise they are printed as JSON on stdout.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bindCodec, isUnsupported, unsupportedText } from '../codecs/bind.js';
import { resolveCodec } from '../codecs/resolve.js';
import { checkReturns } from '../codecs/returns.js';
import type { DataVerdict, Dataset, DatasetDefinition } from '../data/dataset.js';
import { NotRecordsError, RecordCountError, UINT64_REJECTED } from '../data/failures.js';
import { loadDatasetModule } from '../data/module.js';
import { DATASET_NAMES, DEFAULT_DATASET, datasetRef, deriveDataset, getDefinition } from '../data/registry.js';
import { deserialize, serialize } from 'node:v8';
import { CLONE_VARIANTS, type CloneFigures, type CloneVariant, type Codec, type DatasetCodec, type LoadedData, type Uint64Verdict } from '../types.js';
import { probeUint64Rejection } from './probe.js';
import { helperFlags } from './heap-limit.js';
import { launchOfThisProcess, markerClock } from './runtime-adapter.js';
import { closeWindow, externalBytes, fullGc, heapUsed, openWindow, settledRssAfterGc, type PhaseReadings } from './probes.js';
import {
  CHILD_PHASES,
  monotonicMs,
  specToArgs,
  type ChildFigures,
  type ChildMessage,
  type ChildPhase,
  type ChildSpec,
  type VerifierAnswer,
} from './protocol.js';
import { sha256File } from './file-hash.js';
import { errorMessage, errorText } from '../errors.js';

export function parseChildArgs(argv: string[]): ChildSpec {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      codec: { type: 'string' },
      phase: { type: 'string' },
      n: { type: 'string' },
      seed: { type: 'string' },
      file: { type: 'string' },
      expect: { type: 'string' },
      'codec-module': { type: 'string', multiple: true },
      dataset: { type: 'string' },
      'dataset-module': { type: 'string' },
      data: { type: 'string' },
      'data-sha256': { type: 'string' },
      uint64: { type: 'string', multiple: true },
      'data-schema': { type: 'string' },
    },
  });
  const need = (k: 'codec' | 'phase' | 'n' | 'seed' | 'file'): string => {
    const v = values[k];
    if (v === undefined) throw new Error(`child: missing --${k}`);
    return v;
  };
  const phase = need('phase') as ChildPhase;
  if (!CHILD_PHASES.includes(phase)) throw new Error(`child: unknown phase '${phase}' (${CHILD_PHASES.join(', ')})`);
  const n = Number(need('n'));
  const seed = Number(need('seed'));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`child: --n must be a non-negative integer`);
  if (!Number.isSafeInteger(seed)) throw new Error(`child: --seed must be an integer`);
  return {
    codec: need('codec'),
    phase,
    n,
    seed,
    file: need('file'),
    ...(values.expect ? { expect: values.expect } : {}),
    codecModules: values['codec-module'] ?? [],
    ...(values.dataset !== undefined ? { dataset: values.dataset } : {}),
    ...(values['dataset-module'] !== undefined ? { datasetModule: values['dataset-module'] } : {}),
    ...(values.data !== undefined ? { data: values.data } : {}),
    ...(values['data-sha256'] !== undefined ? { dataSha256: values['data-sha256'] } : {}),
    ...(values.uint64 !== undefined ? { uint64Paths: values.uint64 } : {}),
    ...(values['data-schema'] !== undefined ? { dataSchema: values['data-schema'] } : {}),
  };
}

function send(msg: ChildMessage): void {
  if (process.send) process.send(msg);
}

function marker(label: string): void {
  send({ type: 'marker', label, monoMs: monotonicMs(), ...(markerClock() === 'process-start' ? { clock: 'process-start' as const } : {}) });
}

/**
 * The dataset this child measures: before the baseline only its definition (schema and generator);
 * the checksum and verification derived from it load after the window (`derived`), because what a
 * child holds at its baseline moves figures (registry.ts).
 */
let definition: DatasetDefinition;
function derived(): Promise<Dataset> {
  return deriveDataset(definition);
}
/** The codec bound to it (the contract's forDataset): what the phase dumps and loads with. */
let bound: DatasetCodec;

function expectedChecksum(spec: ChildSpec, dataset: Dataset): string {
  return spec.expect ?? dataset.expectedChecksum(spec.n, spec.seed);
}

/**
 * Outcome of a verification. `verified: false` alone means the data came back
 * different (lossy); with `unjudged` the file could not be read back or the
 * verifier died, so the case failed rather than lost data.
 */
type VerifyResult = Verdict & { unjudged?: boolean };
type Verdict = DataVerdict;

/**
 * Load and compare. A load that throws, or returns another kind of data than its codec declares
 * (`returns`), or another number of records, is an error; one that returns other data is `verified: false`.
 */
async function verifyFile(codec: Codec, spec: ChildSpec): Promise<Verdict> {
  const data = await bound.load(spec.file);
  checkReturns(codec, data);
  return compare(data, spec);
}

/**
 * The record count first (RecordCountError), then checksums; only when they differ, a record-by-record
 * comparison names the first difference. Data that is not records at all throws NotRecordsError.
 */
async function compare(data: LoadedData | readonly unknown[], spec: ChildSpec): Promise<Verdict> {
  const dataset = await derived();
  return dataset.verify(data, spec.n, spec.seed, () => expectedChecksum(spec, dataset));
}

/** Re-read a dump's file in a fresh process (same flags), so nothing cached in this process can help. */
function verifyInFreshProcess(spec: ChildSpec): Promise<VerifyResult> {
  const self = launchOfThisProcess(); // Deno: through its node-style launcher
  const args = [...helperFlags(self.flags), fileURLToPath(import.meta.url), ...specToArgs({ ...spec, phase: 'verify' })];
  return new Promise((resolve) => {
    const p = spawn(self.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('close', (code, signal) => {
      // the verdict is the last stdout line (a codec may print its own lines before it)
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as VerifyResult);
      } catch {
        // no verdict: the file's content was never judged, so this is a failure, not a lossy codec
        resolve({ verified: false, unjudged: true, error: `verifier exited with ${signal ?? code} without a verdict: ${err.trim().slice(-500)}` });
      }
    });
  });
}

/** Ask the parent whether it judges this dump's file itself (VerifierAnswer). Without an IPC channel (a `reproduce` line): no. */
function parentJudges(sha256: string): Promise<boolean> {
  if (!process.send) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onMessage = (m: unknown): void => {
      if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'verifier') {
        process.off('message', onMessage);
        resolve((m as VerifierAnswer).parent === true);
      }
    };
    process.on('message', onMessage);
    send({ type: 'file-hash', sha256 });
  });
}

function figures(
  r: PhaseReadings,
  extra: {
    retainedHeapBytes: number;
    fileBytes: number;
    verified: boolean;
    verifyError?: string;
    dataHeapBytes?: number;
    dataExternalBytes?: number;
    uint64?: Uint64Verdict | undefined;
  },
): ChildFigures {
  return {
    peakRssBytes: r.peakRssBytes,
    baselineRssBytes: r.baselineRssBytes,
    peakRssIncrementBytes: r.peakRssBytes - r.baselineRssBytes,
    endRssBytes: r.endRssBytes,
    peakHeapWithGarbageBytes: r.peakHeapWithGarbageBytes,
    peakHeapWithGarbageIncrementBytes: r.peakHeapWithGarbageBytes - r.baselineHeapBytes,
    peakHeapLiveBytes: r.peakHeapLiveBytes,
    peakHeapLiveIncrementBytes: r.peakHeapLiveBytes - r.baselineHeapBytes,
    peakExternalBytes: r.peakExternalBytes,
    baselineExternalBytes: r.baselineExternalBytes,
    peakExternalIncrementBytes: r.peakExternalBytes - r.baselineExternalBytes,
    retainedHeapBytes: extra.retainedHeapBytes,
    wallMs: r.wallMs,
    cpuMs: r.cpuMs,
    fileBytes: extra.fileBytes,
    verified: extra.verified,
    ...(extra.uint64 ? { uint64: extra.uint64 } : {}),
    ...(extra.verifyError ? { verifyError: extra.verifyError } : {}),
    ...(extra.dataHeapBytes !== undefined ? { dataHeapBytes: extra.dataHeapBytes } : {}),
    ...(extra.dataExternalBytes !== undefined ? { dataExternalBytes: extra.dataExternalBytes } : {}),
    peakRssSource: r.peakRssSource,
    gcCount: r.gcCount,
    gcMs: r.gcMs,
  };
}

async function runDump(codec: Codec, spec: ChildSpec): Promise<ChildFigures> {
  fullGc();
  const before = heapUsed();
  const externalBefore = externalBytes();
  let data: readonly unknown[] | null = definition.generate(spec.n, spec.seed) as unknown[];
  // what the records hold outside the heap (bytes, typed arrays: blobs' payloads), read before the window's settling,
  // whose /proc reads leave a few hundred KiB of garbage buffers behind (they are live records' buffers: no GC needed)
  const dataExternalBytes = externalBytes() - externalBefore;
  marker('generated');
  marker('baseline');
  // the window's own full GC is the one after generating: the data's heap is read at the baseline
  // (two more full GCs of a million tuples here took about 0.5 s of every dump child and changed no figure)
  const w = await openWindow();
  const dataHeapBytes = w.baselineHeapBytes - before;
  marker('phase-start');
  try {
    await bound.dump(data, spec.file);
  } catch (err) {
    data = null;
    // a dump that throws only because of values >= 2**63 is the uint64 verdict 'rejected'
    const refused = await probeUint64Rejection(codec, bound, await derived());
    if (refused === null) throw err;
    const message = errorMessage(err);
    throw new Error(
      `${UINT64_REJECTED} ${codec.name} refuses a uint64 >= 2**63 (one record with 2**64 - 1: ${refused}), while it takes a small one; the dump failed with: ${message}`,
      { cause: err },
    );
  }
  const r = closeWindow(w);
  marker('phase-end');
  const rssAfterGcBytes = await settledRssAfterGc();
  const retainedHeapBytes = heapUsed() - r.baselineHeapBytes; // data is still held: this is what the dump left behind
  data = null;

  const fileBytes = statSync(spec.file).size;
  marker('verify-start');
  const fileSha256 = await sha256File(spec.file);
  if (await parentJudges(fileSha256)) {
    marker('verify-end');
    // the parent's verdict replaces this placeholder before the run is recorded
    return {
      ...figures(r, { retainedHeapBytes, fileBytes, verified: false, dataHeapBytes, dataExternalBytes }),
      rssAfterGcBytes,
      fileSha256,
      verdictFromParent: true,
    };
  }
  const v = await verifyInFreshProcess(spec);
  marker('verify-end');
  return {
    ...figures(r, {
      retainedHeapBytes,
      fileBytes,
      verified: v.verified,
      ...(v.error ? { verifyError: v.error } : {}),
      dataHeapBytes,
      dataExternalBytes,
      uint64: v.uint64,
    }),
    rssAfterGcBytes,
    fileSha256,
    verification: { method: 'fresh-process' },
    ...(v.unjudged ? { unjudged: true } : {}),
  };
}

async function runLoad(codec: Codec, spec: ChildSpec): Promise<ChildFigures> {
  const fileBytes = statSync(spec.file).size;
  marker('baseline');
  const w = await openWindow();
  marker('phase-start');
  const loaded = await bound.load(spec.file);
  const r = closeWindow(w);
  marker('phase-end');
  const rssAfterGcBytes = await settledRssAfterGc();
  const retainedHeapBytes = heapUsed() - r.baselineHeapBytes; // the loaded data plus anything the codec kept
  marker('verify-start');
  checkReturns(codec, loaded);
  const v = await compare(loaded, spec);
  marker('verify-end');
  return {
    ...figures(r, { retainedHeapBytes, fileBytes, verified: v.verified, ...(v.error ? { verifyError: v.error } : {}), uint64: v.uint64 }),
    rssAfterGcBytes,
    verification: { method: 'in-process' },
  };
}

const COPY: Record<CloneVariant, (x: unknown[]) => unknown[]> = {
  structuredClone: (x) => structuredClone(x),
  'v8-serialize-clone': (x) => deserialize(serialize(x)) as unknown[],
};

/** The original experiment's `y = deepcopy(x); del x`, measured. */
async function runClone(variant: CloneVariant, spec: ChildSpec): Promise<ChildFigures> {
  const rss0 = await settledRssAfterGc();
  const heap0 = heapUsed();
  let data: unknown[] | null = definition.generate(spec.n, spec.seed) as unknown[];
  marker('generated');
  fullGc();
  const dataHeapBytes = heapUsed() - heap0;

  marker('baseline');
  const w = await openWindow();
  marker('phase-start');
  const copy = COPY[variant](data);
  const r = closeWindow(w);
  marker('phase-end');
  const rssAfterGcBytes = await settledRssAfterGc();
  const bothHeapBytes = heapUsed() - heap0;
  data = null; // `del x`
  const rssAfterDrop = await settledRssAfterGc();
  const liveHeapAfterDropBytes = heapUsed() - heap0;
  const clone: CloneFigures = {
    dataHeapBytes,
    bothHeapBytes,
    liveHeapAfterDropBytes,
    rssAfterDropBytes: rssAfterDrop - rss0,
    freedByDropBytes: bothHeapBytes - liveHeapAfterDropBytes,
  };
  marker('verify-start');
  const v = await compare(copy, spec);
  marker('verify-end');
  return {
    ...figures(r, {
      retainedHeapBytes: liveHeapAfterDropBytes,
      fileBytes: 0,
      verified: v.verified,
      ...(v.error ? { verifyError: v.error } : {}),
      dataHeapBytes,
    }),
    rssAfterGcBytes,
    clone,
    verification: { method: 'in-process' },
  };
}

/**
 * A reader's sample (`--data`), read and inferred here again: the same file and flags give the same
 * schema, and a file changed since the parent read it (another SHA-256) is refused. Imported only for
 * `--data`, so no other child loads the sample reader or its JSON parser (lossless-json) before its baseline.
 */
async function sampleDefinition(file: string, spec: ChildSpec): Promise<DatasetDefinition> {
  const { sampleDataset } = await import('../data/sample.js');
  const sample = await sampleDataset(file, {
    ...(spec.uint64Paths ? { uint64Paths: spec.uint64Paths } : {}),
    ...(spec.dataSchema !== undefined ? { schemaFile: spec.dataSchema } : {}),
  });
  if (spec.dataSha256 !== undefined && sample.source.sha256 !== spec.dataSha256)
    throw new Error(`child: ${file} changed since the run read it (SHA-256 ${sample.source.sha256.slice(0, 12)}…, was ${spec.dataSha256.slice(0, 12)}…)`);
  return sample.definition;
}

async function main(): Promise<void> {
  marker('start'); // the end of Node's start-up and module loading, for the run's time breakdown
  const spec = parseChildArgs(process.argv.slice(2));
  const datasetName = spec.dataset ?? DEFAULT_DATASET;
  definition = spec.datasetModule
    ? await loadDatasetModule(spec.datasetModule, DATASET_NAMES)
    : spec.data !== undefined
      ? await sampleDefinition(spec.data, spec)
      : await getDefinition(datasetName);
  if (definition.name !== datasetName)
    throw new Error(`child: ${spec.datasetModule ?? spec.data} defines the dataset '${definition.name}', not '${datasetName}'`);
  if (spec.phase === 'clone') {
    if (!(CLONE_VARIANTS as readonly string[]).includes(spec.codec)) throw new Error(`child: clone variant must be one of ${CLONE_VARIANTS.join(', ')}`);
    emit({ type: 'result', figures: await runClone(spec.codec as CloneVariant, spec) });
    return;
  }
  const codec = await resolveCodec(spec.codec, spec.codecModules);
  await codec.init?.(); // its libraries load before the baseline, never inside the measured window
  const binding = bindCodec(codec, datasetRef(definition));
  if (isUnsupported(binding)) throw new Error(unsupportedText(binding));
  bound = binding;
  await bound.init?.(); // dataset-dependent set-up, before the baseline too
  if (spec.phase === 'prepare') {
    await bound.dump(definition.generate(spec.n, spec.seed), spec.file);
    send({ type: 'prepared' });
    return;
  }
  if (spec.phase === 'verify') {
    let result: VerifyResult;
    try {
      result = await verifyFile(codec, spec);
    } catch (err) {
      // a wrong record count, or data that is not records, is judged, not unreadable: the case fails naming what it found
      const why =
        err instanceof RecordCountError || err instanceof NotRecordsError ? err.message : `the written file cannot be read back: ${errorMessage(err)}`;
      result = { verified: false, unjudged: true, error: why } as VerifyResult;
    }
    emit({ type: 'verify', ...result });
    return;
  }
  emit({ type: 'result', figures: spec.phase === 'dump' ? await runDump(codec, spec) : await runLoad(codec, spec) });
}

/**
 * A result or verdict to the parent over IPC; run by hand (the `reproduce` line, or the verifier
 * started by a dump child), printed as JSON on stdout instead, its last line.
 */
function emit(msg: Extract<ChildMessage, { type: 'result' } | { type: 'verify' }>): void {
  if (process.send) send(msg);
  else if (msg.type === 'result') process.stdout.write(`${JSON.stringify(msg.figures, null, 2)}\n`);
  else {
    const { type: _type, ...verdict } = msg;
    process.stdout.write(`${JSON.stringify(verdict)}\n`);
  }
}

// an orchestrator that dies without killing us closes the IPC channel: stop, don't run on unattended
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});
let finished = false;

main().then(
  () => {
    finished = true;
    if (!process.send) return;
    // Exit as soon as the parent has every message: a natural exit first tears down the whole V8 heap
    // (300-400 ms for a child holding a million tuples, against 50 ms), and nothing is left to do. A last
    // message's callback says when: messages are written in order. (The messages before it are sent as
    // they always were: a callback on each, the phase-start marker inside the measured window included,
    // moved protobuf load's peak from one of its values to another, 322 to 310 MiB.)
    process.send({ type: 'done' }, () => process.exit(0));
  },
  (err: unknown) => {
    const message = errorText(err);
    if (process.send) send({ type: 'error', error: message });
    process.stderr.write(`${err instanceof Error ? (err.stack ?? message) : message}\n`);
    process.exitCode = 1;
    finished = true;
    if (process.send) process.disconnect();
  },
);
