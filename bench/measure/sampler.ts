/**
 * Parent-side RSS sampler: the memory-over-time series (the `mprof` picture).
 *
 * The parent reads `VmRSS` from `/proc/<pid>/status` of a running child every
 * `intervalMs` inside the measured window, less often outside it (OUTSIDE_WINDOW_FACTOR). In-process sampling cannot see inside a synchronous
 * `JSON.parse`, an outside observer can (docs/measurement.md). The series is for
 * pictures only: the headline peak stays the child's own VmHWM.
 *
 * Written by hand (no library does this): the loop is kept cheap so it
 * disturbs the child as little as possible: one fd opened once and re-read at
 * offset 0 (procfs regenerates the text on each read from 0), one reused
 * buffer, and VmRSS parsed from the bytes without building a string.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { monotonicMs } from './protocol.js';
import { DEFAULT_SAMPLE_MS, SERIES_MAX_POINTS } from '../constants.js';
import type { Marker, MemorySeries } from '../types.js';

// defaults live in bench/constants.ts (a moderate 2 ms: 1 ms polling cost the child 3-7% phase time)
export { DEFAULT_SAMPLE_MS, SERIES_MAX_POINTS };

export interface RawSeries {
  /** Milliseconds since the child was spawned (`monotonicMs()` minus `t0`). */
  tMs: number[];
  rssBytes: number[];
}

export interface SamplerResult extends RawSeries {
  /** Samples taken (equals the arrays' length: nothing is dropped before downsampling). */
  rawSamples: number;
}

export interface Sampler {
  /** Stops sampling (idempotent) and returns everything sampled so far. */
  stop(): SamplerResult;
  /** Sample every `intervalMs` (open: the measured window) or every `outsideIntervalMs` (closed). */
  window(open: boolean): void;
}

/**
 * Outside the measured window (before the child's baseline, after its phase) the parent samples this
 * many times less often: those samples only draw the picture's ramps and tails, and a default run
 * took some 360,000 samples at 2 ms, four in five of them thrown away again by downsampling, each a
 * wake-up of the parent (about 8% of a core beside the two measured children).
 */
export const OUTSIDE_WINDOW_FACTOR = 5;

const VMRSS = Buffer.from('VmRSS:');
const SPACE = 0x20;
const TAB = 0x09;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** VmRSS in bytes from the bytes of a `/proc/<pid>/status` file; null when absent (a zombie has none). */
export function parseVmRssBytes(buf: Buffer, length: number): number | null {
  const at = buf.indexOf(VMRSS);
  if (at < 0 || at >= length) return null;
  let i = at + VMRSS.length;
  while (i < length && (buf[i] === SPACE || buf[i] === TAB)) i++;
  let kib = 0;
  let digits = 0;
  for (; i < length; i++) {
    const c = buf[i]!;
    if (c < DIGIT_0 || c > DIGIT_9) break;
    kib = kib * 10 + (c - DIGIT_0);
    digits++;
  }
  // The kernel always writes "VmRSS:\t  1234 kB"; anything else is not a reading.
  return digits === 0 ? null : kib * 1024;
}

/**
 * Starts sampling the RSS of process `pid` now and every `intervalMs`.
 * `t0` is `monotonicMs()` taken right when the child was spawned, so `tMs`
 * shares the clock of the child's markers (ms since spawn).
 * Stops by itself when the process is gone; never keeps the event loop alive.
 * `intervalMs <= 0` samples nothing (sampling off).
 */
export function startSampler(pid: number, intervalMs: number = DEFAULT_SAMPLE_MS, t0: number = monotonicMs(), outsideIntervalMs: number = intervalMs): Sampler {
  const tMs: number[] = [];
  const rssBytes: number[] = [];
  const result = (): SamplerResult => ({ tMs, rssBytes, rawSamples: tMs.length });
  if (!(intervalMs > 0)) return { stop: result, window: () => {} };

  let fd: number | null;
  try {
    fd = openSync(`/proc/${pid}/status`, 'r');
  } catch {
    // Already exited (or no procfs): an empty series, not an error.
    return { stop: result, window: () => {} };
  }
  // /proc/<pid>/status is about 1.5 KiB; VmRSS sits in its first half.
  const buf = Buffer.allocUnsafe(4096);
  let timer: NodeJS.Timeout | null = null;
  let every = outsideIntervalMs;

  const close = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (fd !== null) closeSync(fd);
    fd = null;
  };

  const sample = (): void => {
    if (fd === null) return;
    const t = monotonicMs() - t0;
    let length: number;
    try {
      length = readSync(fd, buf, 0, buf.length, 0);
    } catch {
      close(); // ESRCH: the process has been reaped
      return;
    }
    const rss = parseVmRssBytes(buf, length);
    if (rss === null) {
      close(); // exited, not yet reaped: no VmRSS line any more
      return;
    }
    tMs.push(t);
    rssBytes.push(rss);
  };

  const schedule = (): void => {
    if (fd === null) return;
    timer = setTimeout(tick, every);
    timer.unref();
  };
  const tick = (): void => {
    sample();
    schedule();
  };

  sample();
  schedule();
  return {
    stop() {
      close();
      return result();
    },
    window(open) {
      const next = open ? intervalMs : outsideIntervalMs;
      if (next === every || fd === null) return;
      every = next;
      if (timer !== null) clearTimeout(timer);
      if (open) sample(); // the window opens now, not a slow interval later
      schedule();
    },
  };
}

/**
 * A child's RSS sampled from its spawn to its exit, for a spawner's `onSpawn` hook (none when
 * `intervalMs` is 0: sampling off). `result()` is the series once the child has exited.
 */
export function samplerHook(intervalMs: number): { onSpawn?: (pid: number, spawnedAt: number) => SamplingControl; result: () => SamplerResult | undefined } {
  let sampled: SamplerResult | undefined;
  if (!(intervalMs > 0)) return { result: () => undefined };
  return {
    onSpawn: (pid, spawnedAt) => {
      const s = startSampler(pid, intervalMs, spawnedAt, intervalMs * OUTSIDE_WINDOW_FACTOR);
      return {
        stop: () => {
          sampled = s.stop();
        },
        // every `intervalMs` from the child's baseline to two intervals after its phase's end (seriesPhaseMaxBytes's slack)
        marker: (label) => {
          if (label === 'baseline') s.window(true);
          else if (label === 'phase-end') setTimeout(() => s.window(false), 2 * intervalMs).unref();
        },
      };
    },
    result: () => sampled,
  };
}

/** What a spawner does with the sampler of the child it started: stop it at the exit, tell it the child's markers. */
export interface SamplingControl {
  stop(): void;
  marker(label: string): void;
}

/**
 * At most `maxPoints` samples, keeping the highest sample of each bucket of
 * consecutive samples (with its own timestamp), so the series' maximum is
 * never lost, only the dips between spikes. Series already short enough come
 * back as they are (as copies).
 */
export function downsampleMax<T extends RawSeries>(series: T, maxPoints: number): T {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  const n = series.tMs.length;
  if (series.rssBytes.length !== n) throw new RangeError(`series has ${n} timestamps but ${series.rssBytes.length} values`);
  if (n <= maxPoints) return { ...series, tMs: series.tMs.slice(), rssBytes: series.rssBytes.slice() };
  const bucket = Math.ceil(n / maxPoints);
  const tMs: number[] = [];
  const rssBytes: number[] = [];
  for (let start = 0; start < n; start += bucket) {
    const end = Math.min(start + bucket, n);
    let best = start;
    for (let i = start + 1; i < end; i++) if (series.rssBytes[i]! > series.rssBytes[best]!) best = i;
    tMs.push(series.tMs[best]!);
    rssBytes.push(series.rssBytes[best]!);
  }
  return { ...series, tMs, rssBytes };
}

/** What a RunResult stores: the sampled series downsampled to `maxPoints`, with the child's markers. */
export function toMemorySeries(sampled: SamplerResult, intervalMs: number, markers: readonly Marker[], maxPoints: number = SERIES_MAX_POINTS): MemorySeries {
  const { tMs, rssBytes } = downsampleMax({ tMs: sampled.tMs, rssBytes: sampled.rssBytes }, maxPoints);
  return { intervalMs, outsideIntervalMs: intervalMs * OUTSIDE_WINDOW_FACTOR, rawSamples: sampled.rawSamples, tMs, rssBytes, markers: [...markers] };
}

/**
 * Highest sampled RSS inside the phase window of a series: from the child's
 * `phase-start` marker to its `phase-end` marker plus `slackMs` (default two
 * intervals: marker and sample clocks differ by the spawn latency, and a peak
 * reached at the very end of the phase is sampled just after it). Null when
 * the markers or samples in the window are missing. Comparable to the child's
 * own VmHWM, which was reset at phase start.
 */
export function seriesPhaseMaxBytes(series: MemorySeries, slackMs: number = 2 * series.intervalMs): number | null {
  const start = series.markers.find((m) => m.label === 'phase-start')?.tMs;
  const end = series.markers.find((m) => m.label === 'phase-end')?.tMs;
  if (start === undefined || end === undefined) return null;
  let max: number | null = null;
  for (let i = 0; i < series.tMs.length; i++) {
    const t = series.tMs[i]!;
    if (t >= start && t <= end + slackMs && (max === null || series.rssBytes[i]! > max)) max = series.rssBytes[i]!;
  }
  return max;
}
