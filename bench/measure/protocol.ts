/** Messages from a measured child to its parent, over the IPC channel. */
import type { RunResult } from '../types.js';

export type ChildPhase = 'dump' | 'load' | 'clone' | 'verify' | 'prepare';

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
}

/** The figures one child measured; `verified` for a dump comes from a fresh verifier process. */
export type ChildFigures = Omit<RunResult, 'series'> & {
  verifyError?: string;
  /** Verification could not judge the data (file unreadable, verifier died): the case failed, it is not lossy. */
  verifyFailed?: boolean;
};

export type ChildMessage =
  /** Phase boundary; `epochMs` = performance.timeOrigin + performance.now() in the child. */
  | { type: 'marker'; label: string; epochMs: number }
  | { type: 'result'; figures: ChildFigures }
  | { type: 'verify'; verified: boolean; error?: string }
  | { type: 'error'; error: string };

/** The command-line flags that make the child do `spec`. */
export function specToArgs(spec: ChildSpec): string[] {
  const args = ['--codec', spec.codec, '--phase', spec.phase, '--n', String(spec.n), '--seed', String(spec.seed), '--file', spec.file];
  if (spec.expect) args.push('--expect', spec.expect);
  for (const m of spec.codecModules) args.push('--codec-module', m);
  return args;
}
