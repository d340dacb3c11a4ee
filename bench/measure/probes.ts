/**
 * Memory probes used inside a measured child. See docs/measurement.md
 * for why each is chosen:
 * - peak RSS: reset VmHWM with /proc/self/clear_refs, read VmHWM after the
 *   phase (catches transient spikes inside synchronous calls);
 * - peak heap / external: v8.GCProfiler reports heap statistics before every
 *   GC; combined with the end-of-phase reading (a phase with no GC shows only
 *   its end state).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GCProfiler, getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import type { PeakRssSource } from '../types.js';
import { gcCostUnitMs, runtimeGc } from './runtime-adapter.js';

/** Read a `VmXXX:  1234 kB` line of /proc/self/status, in bytes. */
export function readStatusBytes(field: 'VmRSS' | 'VmHWM', status = readFileSync('/proc/self/status', 'latin1')): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`/proc/self/status has no ${field} line`);
  return Number(m[1]) * 1024;
}

/** Reset VmHWM to the current RSS. Returns false where /proc/self/clear_refs is not writable. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** Heap used outside the young generation (new space and new large-object space hold garbage between scavenges). */
export function heapUsedOutsideYoung(): number {
  let young = 0;
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space' || s.space_name === 'new_large_object_space') young += s.space_used_size;
  }
  return heapUsed() - young;
}

export function externalBytes(): number {
  // same counter as GCProfiler's externalMemory, so baseline, GC and end readings compare
  return (getHeapStatistics() as { external_memory?: number }).external_memory ?? process.memoryUsage().external;
}

const RUNTIME_GC = runtimeGc();

export function fullGc(): void {
  const g = RUNTIME_GC ?? (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('gc() is not exposed: run the child with --expose-gc');
  // two passes: the first can leave weakly-held garbage for the second
  g();
  g();
}

export interface PhaseWindow {
  peakRssSource: PeakRssSource;
  baselineRssBytes: number;
  baselineHeapBytes: number;
  baselineExternalBytes: number;
  profiler: GCProfiler;
  wallStart: number;
  cpuStart: NodeJS.CpuUsage;
}

export interface PhaseReadings {
  peakRssSource: PeakRssSource;
  baselineRssBytes: number;
  peakRssBytes: number;
  endRssBytes: number;
  baselineHeapBytes: number;
  /** Raw: highest used heap before any GC or at the end, young-generation garbage included. */
  peakHeapWithGarbageBytes: number;
  /** Highest used heap right after a GC during the phase, or outside the young generation at its end. */
  peakHeapLiveBytes: number;
  baselineExternalBytes: number;
  peakExternalBytes: number;
  wallMs: number;
  cpuMs: number;
  gcCount: number;
  /** Time the GCs of the phase took, from GCProfiler's cost in the runtime's unit (Deno: ns; Node, Bun: µs). */
  gcMs: number;
}

/**
 * Wait until RSS stops moving (three equal readings 10 ms apart, at most
 * 1 s). After `gc()`, V8's concurrent sweeper threads go on releasing pages
 * for a few milliseconds; a baseline read before they finish is too high, and
 * a phase's increment comes out too low (seen here: a 64 MiB buffer reported
 * as +63.8 MiB without waiting, +64.0 MiB every time with it).
 */
export async function settleRss(): Promise<void> {
  let last = readStatusBytes('VmRSS');
  let stable = 0;
  for (let i = 0; i < 100 && stable < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    const now = readStatusBytes('VmRSS');
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}

/** RSS after a full GC, read once the sweeper has released its pages: the same settle step as the baseline's. */
export async function settledRssAfterGc(): Promise<number> {
  fullGc();
  await settleRss();
  return readStatusBytes('VmRSS');
}

/** RSS, V8 heap used and external memory after a full GC, once RSS has settled (the readings around a library's import). */
export async function settledReadings(): Promise<{ rssBytes: number; heapBytes: number; externalBytes: number }> {
  const rssBytes = await settledRssAfterGc();
  return { rssBytes, heapBytes: heapUsed(), externalBytes: externalBytes() };
}

/**
 * Observers of the measured window, for `footprint explain` only: its extra child preloads
 * bench/explain/hook.ts (`--import`), which sets them to start V8's sampling heap profiler at
 * the window's opening and read it at its close. Measured children never set them.
 */
export const windowHooks: {
  /** After the baseline readings, right before the phase starts. */
  opened?: () => void;
  /** After the end-of-phase readings, before anything else runs (no GC in between). */
  closed?: (end: { baselineHeapBytes: number; endHeapBytes: number; endExternalBytes: number }) => void;
} = {};

/** Full GC, let RSS settle, baseline readings, peak reset, profiler on: call right before the phase. */
export async function openWindow(): Promise<PhaseWindow> {
  fullGc();
  await settleRss();
  const reset = resetPeakRss();
  const status = readFileSync('/proc/self/status', 'latin1');
  const profiler = new GCProfiler();
  const w: PhaseWindow = {
    peakRssSource: reset ? 'vmhwm-reset' : 'maxrss-process',
    baselineRssBytes: readStatusBytes('VmRSS', status),
    baselineHeapBytes: heapUsed(),
    baselineExternalBytes: externalBytes(),
    profiler,
    wallStart: 0,
    cpuStart: process.cpuUsage(),
  };
  windowHooks.opened?.();
  profiler.start();
  w.cpuStart = process.cpuUsage();
  w.wallStart = performance.now();
  return w;
}

/** Read everything right after the phase, before anything else allocates. */
export function closeWindow(w: PhaseWindow): PhaseReadings {
  const wallMs = performance.now() - w.wallStart;
  const cpu = process.cpuUsage(w.cpuStart);
  const status = readFileSync('/proc/self/status', 'latin1');
  const endRssBytes = readStatusBytes('VmRSS', status);
  const peakRssBytes = w.peakRssSource === 'vmhwm-reset' ? readStatusBytes('VmHWM', status) : process.resourceUsage().maxRSS * 1024;
  const endHeap = heapUsed();
  const endHeapOutsideYoung = heapUsedOutsideYoung();
  const endExternal = externalBytes();
  const stats = w.profiler.stop()?.statistics ?? [];
  let peakHeap = endHeap;
  let peakLive = endHeapOutsideYoung;
  let peakExternal = endExternal;
  let gcCost = 0;
  for (const s of stats) {
    gcCost += s.cost;
    peakHeap = Math.max(peakHeap, s.beforeGC.heapStatistics.usedHeapSize);
    // right after a collection the heap holds what survived it: the young generation's garbage is gone
    peakLive = Math.max(peakLive, s.afterGC.heapStatistics.usedHeapSize);
    peakExternal = Math.max(peakExternal, s.beforeGC.heapStatistics.externalMemory);
  }
  windowHooks.closed?.({ baselineHeapBytes: w.baselineHeapBytes, endHeapBytes: endHeap, endExternalBytes: endExternal });
  return {
    peakRssSource: w.peakRssSource,
    baselineRssBytes: w.baselineRssBytes,
    peakRssBytes,
    endRssBytes,
    baselineHeapBytes: w.baselineHeapBytes,
    peakHeapWithGarbageBytes: peakHeap,
    peakHeapLiveBytes: peakLive,
    baselineExternalBytes: w.baselineExternalBytes,
    peakExternalBytes: peakExternal,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    gcCount: stats.length,
    gcMs: gcCost * gcCostUnitMs(),
  };
}
