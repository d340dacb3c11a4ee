/** Defaults of the suite, in one place. Every CLI flag's default comes from here. */
import { availableParallelism, totalmem } from 'node:os';
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
/**
 * Added to the measured children unless `--concurrent-jit` is given. V8
 * compiles hot functions with TurboFan on a background thread and installs the
 * code whenever that thread finishes; until then the function runs unoptimized
 * and allocates differently (boxed numbers, no escape analysis), so where the
 * GCs fall, and what each one sees, depends on how fast that thread got a core.
 * Measured here (1M arrow dump, --single-threaded-gc, 6 runs each): peak
 * external +95.7 or +97.7 MiB and live heap +243.8..250.6 MiB from run to run,
 * the upper external value in 1 of 10 runs on a quiet machine and in 8 of 10
 * with a busy loop on the other core; with this flag +97.7 MiB and
 * +243.6..244.0 MiB in all 12 runs, quiet or busy. Same compilers, same code;
 * only when it is installed (as soon as it is asked for). Throughput children
 * keep V8's default: they measure speed, not where a GC falls.
 */
export const REPRODUCIBLE_JIT_FLAGS: readonly string[] = ['--no-concurrent-recompilation'];
/**
 * Measured children run at once (`--jobs`). Each measured child is one
 * thread of JavaScript with --single-threaded-gc --no-concurrent-recompilation, so on this project's 2-core
 * machine two at once halved the memory cases' wall time while a
 * `--jobs 1` comparison showed no memory figure changed (docs/speed.md).
 * More jobs than cores would make children wait for a core inside their phase.
 * @default min(2, available cores)
 */
export const DEFAULT_JOBS = Math.max(1, Math.min(2, availableParallelism()));
