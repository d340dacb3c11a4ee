/**
 * Reports written by an older schema, brought to the current shape on reading, so `compare` and
 * `report` keep working on them. What can be derived is derived; what was never measured stays
 * absent, and `migratedFrom` tells the reporters to say so once.
 *
 * Schema 1 -> 2: the raw heap peak (`peakHeapUsedBytes`, `peakHeapIncrementBytes`) is renamed
 * `peakHeapWithGarbage...` (it includes young-generation garbage); `peakExternalIncrementBytes` is
 * derived from the absolute peak and the baseline; the live-heap peak was not measured.
 */

import { spreadOf } from './summary.js';

type Json = Record<string, unknown>;

const RENAMED_V1: ReadonlyArray<[string, string]> = [
  ['peakHeapUsedBytes', 'peakHeapWithGarbageBytes'],
  ['peakHeapIncrementBytes', 'peakHeapWithGarbageIncrementBytes'],
];

function rename(obj: Json, pairs: ReadonlyArray<[string, string]>): void {
  for (const [from, to] of pairs) {
    if (from in obj) {
      obj[to] = obj[from];
      delete obj[from];
    }
  }
}

function migrateRunV1(run: Json): void {
  rename(run, RENAMED_V1);
  if (typeof run.peakExternalBytes === 'number' && typeof run.baselineExternalBytes === 'number') {
    run.peakExternalIncrementBytes = run.peakExternalBytes - run.baselineExternalBytes;
  }
}

function migrateSummaryV1(summary: Json, runs: Json[]): void {
  rename(summary, RENAMED_V1);
  const values = runs.map((r) => r.peakExternalIncrementBytes).filter((v): v is number => typeof v === 'number');
  if (values.length > 0) summary.peakExternalIncrementBytes = spreadOf(values);
}

/**
 * Bring a parsed report of an older schema to the current one, in place. Returns the value;
 * anything that is not a schema-1 object is returned untouched (the validator then names the problem).
 */
export function migrateReport(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const report = value as Json;
  if (report.schemaVersion !== 1 || !Array.isArray(report.cases)) return value;
  for (const c of report.cases as Json[]) {
    if (typeof c !== 'object' || c === null || !Array.isArray(c.runs)) continue;
    const runs = (c.runs as unknown[]).filter((r): r is Json => typeof r === 'object' && r !== null);
    for (const run of runs) migrateRunV1(run);
    if (typeof c.summary === 'object' && c.summary !== null) migrateSummaryV1(c.summary as Json, runs);
  }
  report.schemaVersion = 2;
  report.migratedFrom = 1;
  return report;
}

/** What a migrated report lacks, in one sentence for the reporters; null for a current report. */
export function migrationNote(report: { migratedFrom?: number }, label: string): string | null {
  if (report.migratedFrom === undefined) return null;
  return `${label} was written with results schema ${report.migratedFrom}: its peak external increment is derived from the absolute peak and the baseline; its live-heap peak was not measured, so that figure is not compared; it has no uint64 verdict (not recorded before schema 2)`;
}
