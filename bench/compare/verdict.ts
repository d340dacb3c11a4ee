/**
 * The vocabulary of a comparison that compare.ts and throughput.ts share (here, so that neither
 * imports the other back): the thresholds, a labelled report, a verdict.
 */
import type { Report } from '../types.js';

/**
 * The smallest change reported as a change, per kind of figure: a relative threshold (fraction of
 * the baseline) and, for memory and time, an absolute floor; a change must exceed both.
 */
export interface Thresholds {
  memory: number;
  time: number;
  /** Absolute floor of a memory change, bytes (inclusive: a change of exactly the floor is not one). */
  memoryFloorBytes: number;
  /** Absolute floor of a time change, milliseconds. */
  timeFloorMs: number;
  /** Relative threshold of a throughput change (mean latency of an operation, across fresh processes). */
  throughput: number;
}

/** A report and the name it is shown under (`node v22.1.0`, a file name...). */
export interface LabelledReport {
  label: string;
  report: Report;
  /** Where it was read from, for headers. */
  source?: string;
}

/**
 * `same`: identical (`=`); `noise`: not shown to exceed the threshold and floor (`~`);
 * `better`/`worse`: smaller/larger by more than both (every figure is smaller-is-better);
 * `unjudged`: measured, with its change and interval, but no verdict can rest on it (`n/j`: a time
 * or throughput figure of two reports measured in separate sittings);
 * `missing`: no runs to compare.
 */
export type Verdict = 'same' | 'noise' | 'better' | 'worse' | 'unjudged' | 'missing';
