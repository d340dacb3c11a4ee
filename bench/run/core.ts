/**
 * The one path every runner goes through (the suite, the interleaved matrix, the Python peer): its
 * reports, each saved after every change to its JSON file and handed to its sinks; a work folder
 * for the sitting's data files, removed at the end whatever happens; the run's body (the runner's
 * plan: the scheduler, the interleaved rounds, the peer's cases) with its side measurements; an
 * interruption (`Interrupted`) ends it with every measured run kept and the reports marked so; and
 * at the end the sinks' `finish` (the HTML). The runners differ only in the plan they hand in.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { tuples } from '../data/builtin.js';
import { writeJsonAtomic } from '../results/io.js';
import { mkdirp } from '../results/mkdirp.js';
import type { Report, ReportSink } from '../types.js';
import { Interrupted } from './case.js';

/** One report being written: its JSON file and its sinks. */
export class ReportOutput {
  constructor(
    readonly report: Report,
    readonly outFile: string,
    private readonly sinks: readonly ReportSink[] = [],
    /** Brings the report up to date before each save (the suite assembles its cases from the plan). */
    private readonly beforeSave?: (report: Report) => void,
  ) {
    mkdirp(dirname(outFile));
  }

  /** Write the JSON file (atomically) and hand the report to every sink's `save` (the markdown). */
  save(): void {
    this.beforeSave?.(this.report);
    writeJsonAtomic(this.outFile, this.report);
    for (const sink of this.sinks) sink.save?.(this.report, this.outFile);
  }

  /** Once, when the sitting ended: every sink's `finish` (the HTML with its charts). */
  async finish(): Promise<void> {
    for (const sink of this.sinks) await sink.finish?.(this.report, this.outFile);
  }
}

/**
 * Run `body` with its reports and work folder: save every report first, run the body, mark the
 * reports finished, or interrupted when the body threw `Interrupted` (any other error is rethrown
 * after the reports are saved); `beforeFinalSave` (the suite's time breakdown) runs either way.
 * Then the work folder is removed and the sinks finish.
 */
export async function runSitting(outputs: readonly ReportOutput[], workDir: string, body: () => Promise<void>, beforeFinalSave?: () => void): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  try {
    for (const o of outputs) o.save();
    await body();
    const finishedAt = new Date().toISOString();
    for (const o of outputs) o.report.finishedAt = finishedAt;
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
    for (const o of outputs) o.report.interrupted = true;
  } finally {
    beforeFinalSave?.();
    for (const o of outputs) o.save();
    rmSync(workDir, { recursive: true, force: true });
  }
  for (const o of outputs) await o.finish();
}

/** The expected checksum of N tuples: the generator streamed once in the parent, handed to every child that verifies. */
export function expectedChecksum(n: number, seed: number): string {
  return tuples.expectedChecksum(n, seed);
}

/**
 * A JavaScript run is ok when it was not interrupted, no side measurement failed, every throughput
 * row is ok or lossy (lossy: a finding, not timed) and every case is ok, lossy or n/a (a format that
 * cannot carry a dataset: a finding too) and complete.
 */
export function suiteOk(report: Report, sideFailures: number): boolean {
  const throughputOk = (report.throughput?.rows ?? []).every((r) => r.state === 'ok' || r.state === 'lossy' || r.state === 'n/a');
  return (
    !report.interrupted &&
    sideFailures === 0 &&
    throughputOk &&
    report.cases.every((c) => (c.state === 'ok' || c.state === 'lossy' || c.state === 'n/a') && !c.incomplete)
  );
}
