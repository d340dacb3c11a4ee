/** Defaults of the suite, in one place. Every CLI flag's default comes from here. */
import { totalmem } from 'node:os';
import type { Phase } from './types.js';
import { PHASES } from './types.js';

/** @default 1_000_000 tuples, as in the original experiment */
export const DEFAULT_N = 1_000_000;
/** @default 42 */
export const DEFAULT_SEED = 42;
/** @default 3 fresh processes per (codec, phase, n) */
export const DEFAULT_REPEATS = 3;
/** @default dump, load and clone */
export const DEFAULT_PHASES: readonly Phase[] = PHASES;
/**
 * Heap limit of each child in MiB: generous, so that only runaway cases hit
 * it (Node's own ~4 GiB default is too small for whole-document loads at 10
 * million tuples), but below the machine's memory, so V8 reports `oom`
 * before the kernel's OOM killer sends an anonymous SIGKILL.
 * @default min(16384, 3/4 of total memory)
 */
export const DEFAULT_MAX_OLD_SPACE_MB = Math.min(16384, Math.floor((totalmem() * 0.75) / 1048576));
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
/**
 * Added to the measured children unless `--concurrent-gc` is given. V8's
 * concurrent marking and sweeping threads make a phase's peak depend on how
 * the OS schedules them: here the 1M `text` load peaked at +461 or +518 MiB
 * from one run to the next (bimodal, 12% spread over 5 runs), and at
 * +454.6..455.5 MiB (0.2%) with GC on the main thread. Same collector, same
 * heap limits; only where it runs. Recorded in every report's nodeFlags.
 */
export const REPRODUCIBLE_GC_FLAGS: readonly string[] = ['--single-threaded-gc'];
