/** Messages from a measured child to its parent, over the IPC channel. */
import type { DatasetSource, RunResult, Uint64Verdict } from '../types.js';
import { PHASES } from '../types.js';

/** The measured phases, plus the child's two helper jobs: re-read a dump's file, write a load's input. */
export const CHILD_PHASES = [...PHASES, 'verify', 'prepare'] as const;
export type ChildPhase = (typeof CHILD_PHASES)[number];

/** What the child's command line says to do. Also the shape of a case's `reproduce` line. */
export interface ChildSpec {
  codec: string;
  phase: ChildPhase;
  n: number;
  seed: number;
  file: string;
  /** Expected checksum of the data (computed by the parent once per n); computed by streaming the generator if absent. */
  expect?: string;
  codecModules: string[];
  /** The dataset (bench/data/registry.ts); absent = the tuples, and the args say nothing (reproduce lines unchanged). */
  dataset?: string;
  /** The reader's dataset module that defines `dataset` (--dataset-module), imported by the child itself. */
  datasetModule?: string;
  /** The reader's sample that is `dataset` (--data), read and inferred again by the child itself, with the flags that shape its schema. */
  data?: string;
  /** The sample's SHA-256 when the parent read it: a child that reads other content stops, naming the file. */
  dataSha256?: string;
  uint64Paths?: string[];
  dataSchema?: string;
}

/** The spec fields that tell a child where a reader's dataset comes from (none for a built-in). */
export function readerSpec(source: DatasetSource | undefined): Pick<ChildSpec, 'datasetModule' | 'data' | 'dataSha256' | 'uint64Paths' | 'dataSchema'> {
  if (source?.kind === 'module') return { datasetModule: source.path };
  if (source?.kind === 'sample')
    return {
      data: source.path,
      dataSha256: source.sha256,
      ...(source.uint64Paths.length > 0 ? { uint64Paths: [...source.uint64Paths] } : {}),
      ...(source.schemaFile !== undefined ? { dataSchema: source.schemaFile } : {}),
    };
  return {};
}

/**
 * The figures one child measured. Verification has three words, each for one thing: `verified` (the
 * data came back exactly; for a dump, from a fresh verifier process), `verifyError` (why it did not),
 * `unjudged` (the data could not be judged at all: file unreadable, verifier died, so the case failed
 * rather than lost data).
 */
export type ChildFigures = Omit<RunResult, 'series'> & {
  verifyError?: string;
  unjudged?: boolean;
  /** A dump whose parent judges its file (see VerifierAnswer): `verified` is a placeholder until the parent's verdict. */
  verdictFromParent?: true;
};

/**
 * Milliseconds on CLOCK_MONOTONIC (`process.hrtime`), one clock for every process on the machine:
 * the child stamps its phase markers with it and the parent its RSS samples, so both line up
 * exactly. Not `performance.timeOrigin + performance.now()`: each process estimates its own
 * timeOrigin's epoch, and the child's was seen 60 ms off under load, which put post-phase samples
 * inside the phase. Not the parent's time of receipt either: IPC messages queue while the parent
 * is busy (two markers 2 ms apart in the child were seen arriving together), which put samples of
 * the post-phase GC before the phase-end marker.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export type ChildMessage =
  /**
   * Phase boundary; `monoMs` = monotonicMs() in the child when it was crossed. `clock: 'process-start'`
   * (Bun, Deno): their hrtime counts from their own start, not CLOCK_MONOTONIC (bench/measure/runtime-adapter.ts).
   */
  | { type: 'marker'; label: string; monoMs: number; clock?: 'process-start' }
  | { type: 'result'; figures: ChildFigures }
  /** A `verify` child's verdict on a file. */
  | { type: 'verify'; verified: boolean; error?: string; unjudged?: boolean; uint64?: Uint64Verdict }
  /** A `prepare` child wrote a load's input. */
  | { type: 'prepared' }
  | { type: 'error'; error: string }
  /** A dump's file hash, after the phase: the child waits for a VerifierAnswer before verifying. */
  | { type: 'file-hash'; sha256: string }
  /** The child's last message: it exits once this one is written (the parent has nothing to do with it). */
  | { type: 'done' };

/**
 * The parent's answer to 'file-hash'. `parent: true`: the parent judges the file itself (by
 * identity with a file already judged, by the load run that reads it, or by a verifier child;
 * bench/run/inputs.ts), so the child exits without starting a verifier. Otherwise, or with no
 * parent to ask (a `reproduce` line), the child's own fresh verifier process judges it.
 */
export type VerifierAnswer = { type: 'verifier'; parent?: true };

/** The command-line flags that make the child do `spec`. */
export function specToArgs(spec: ChildSpec): string[] {
  const args = ['--codec', spec.codec, '--phase', spec.phase, '--n', String(spec.n), '--seed', String(spec.seed), '--file', spec.file];
  if (spec.expect) args.push('--expect', spec.expect);
  for (const m of spec.codecModules) args.push('--codec-module', m);
  if (spec.dataset !== undefined && spec.dataset !== 'tuples') args.push('--dataset', spec.dataset);
  if (spec.datasetModule !== undefined) args.push('--dataset-module', spec.datasetModule);
  if (spec.data !== undefined) args.push('--data', spec.data);
  if (spec.dataSha256 !== undefined) args.push('--data-sha256', spec.dataSha256);
  for (const p of spec.uint64Paths ?? []) args.push('--uint64', p);
  if (spec.dataSchema !== undefined) args.push('--data-schema', spec.dataSchema);
  return args;
}
