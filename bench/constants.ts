/** Defaults of the suite, in one place. Every CLI flag's default comes from here. */
import type { Phase } from './types.js';

/** @default 1_000_000 tuples, as in the original experiment */
export const DEFAULT_N = 1_000_000;
/** @default 42 */
export const DEFAULT_SEED = 42;
/** @default 3 fresh processes per (codec, phase, n) */
export const DEFAULT_REPEATS = 3;
/** @default dump, load and clone */
export const DEFAULT_PHASES: readonly Phase[] = ['dump', 'load', 'clone'];
/**
 * Heap limit of each child in MiB. Generous (the machine has 24 GiB) so that
 * only truly runaway cases hit it; Node's own default (~4 GiB) is too small
 * for whole-document loads at 10 million tuples.
 * @default 16384
 */
export const DEFAULT_MAX_OLD_SPACE_MB = 16384;
/** @default 10 minutes of wall time per child */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
/** @default 2 ms between parent-side RSS samples (0 turns sampling off) */
export const DEFAULT_SAMPLE_MS = 2;
/** Points kept per memory series after downsampling (bucket maxima). */
export const SERIES_MAX_POINTS = 600;
/** Characters of a failed child's stderr kept in the report. */
export const STDERR_TAIL_CHARS = 2000;
/** Flags every measured child runs with (the heap limit is added per run). */
export const CHILD_NODE_FLAGS: readonly string[] = ['--expose-gc'];
