/**
 * Inside a measured child: which JavaScript runtime this is, and the few
 * places where Bun and Deno differ from Node for the measurement. Each
 * difference was checked on the development machine (Node 20.20.2, Bun 1.4.5,
 * Deno 2.9.6); see docs/runtimes.md.
 */

export type ChildRuntime = 'node' | 'bun' | 'deno';

interface BunGlobal {
  gc(force: boolean): void;
  version: string;
}

export function currentRuntime(): ChildRuntime {
  const v = process.versions as Record<string, string | undefined>;
  if (v.bun !== undefined) return 'bun';
  if (v.deno !== undefined) return 'deno';
  return 'node';
}

/** `bun 1.4.5`, `deno 2.9.6`, `node v20.20.2`. */
export function runtimeVersion(): string {
  const v = process.versions as Record<string, string | undefined>;
  const rt = currentRuntime();
  return rt === 'node' ? `node ${process.version}` : `${rt} ${v[rt]}`;
}

/**
 * A synchronous full collection, or undefined to use `gc()` (Node, and Deno
 * with `--v8-flags=--expose-gc`). On Bun `Bun.gc(true)` is the synchronous
 * full collection; `Bun.gc(false)` only schedules one.
 */
export function runtimeGc(): (() => void) | undefined {
  const bun = (globalThis as { Bun?: BunGlobal }).Bun;
  return bun ? () => bun.gc(true) : undefined;
}

/**
 * Milliseconds per unit of `v8.GCProfiler`'s `cost`. Node and Bun report it
 * in microseconds, Deno in nanoseconds (measured here: a full GC of 3M objects
 * took 144 ms of wall time and cost 144,330 on Node, 131 ms / 131,329 on Bun,
 * 121 ms / 121,349,556 on Deno).
 */
export function gcCostUnitMs(rt: ChildRuntime = currentRuntime()): number {
  return rt === 'deno' ? 1e-6 : 1e-3;
}

/**
 * How the child's marker clock relates to the parent's. Node's
 * `process.hrtime` is CLOCK_MONOTONIC, the parent's clock ('monotonic'); Bun's
 * and Deno's count from their own process start ('process-start'), so the
 * parent places their markers from the spawn instead (a few ms late: the
 * runtime's start-up before its clock starts).
 */
export function markerClock(rt: ChildRuntime = currentRuntime()): 'monotonic' | 'process-start' {
  return rt === 'node' ? 'monotonic' : 'process-start';
}

/**
 * The binary and flags that start a helper process (a dump's verifier) the way
 * this child was started. Deno's `process.execArgv` is empty and its
 * `process.execPath` wants `run`: its node-style launcher (bench/matrix/
 * runtimes.ts) passes its own path and flags in the environment.
 */
export function launchOfThisProcess(): { binary: string; flags: string[] } {
  const launcher = process.env.FOOTPRINT_LAUNCHER;
  if (currentRuntime() === 'deno' && launcher) {
    const flags = (process.env.FOOTPRINT_LAUNCH_FLAGS ?? '').split(',').filter(Boolean);
    return { binary: launcher, flags };
  }
  return { binary: process.execPath, flags: [...process.execArgv] };
}
