/**
 * Reports written by an older schema, brought to the current shape on reading, so `compare` and
 * `report` keep working on them. What can be derived is derived; what was never measured stays
 * absent, and `migratedFrom` tells the reporters to say so once.
 *
 * Schema 1 -> 2: the raw heap peak (`peakHeapUsedBytes`, `peakHeapIncrementBytes`) is renamed
 * `peakHeapWithGarbage...` (it includes young-generation garbage); `peakExternalIncrementBytes` is
 * derived from the absolute peak and the baseline; the live-heap peak was not measured.
 *
 * Schema 2 -> 3: written before datasets, every report measured the tuples: every case, data row,
 * sizes row and throughput row gets `dataset: 'tuples'`, the configuration `datasets: [{ name:
 * 'tuples', n }]`, and the report the tuples' description (`datasets.tuples`).
 */

import { tuplesDefinition } from '../data/datasets/tuples.js';
import type { DatasetDefinition } from '../data/dataset.js';
import { datasetInfo } from './datasets.js';
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

function migrateV1(report: Json): void {
  for (const c of report.cases as Json[]) {
    if (typeof c !== 'object' || c === null || !Array.isArray(c.runs)) continue;
    const runs = (c.runs as unknown[]).filter((r): r is Json => typeof r === 'object' && r !== null);
    for (const run of runs) migrateRunV1(run);
    if (typeof c.summary === 'object' && c.summary !== null) migrateSummaryV1(c.summary as Json, runs);
  }
}

const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)) : []);

/** Every row the tuples alone filled gets its dataset (a row that already names one keeps it). */
function migrateV2(report: Json): void {
  const name = tuplesDefinition.name;
  const stamp = (rows: Json[]): void => {
    for (const r of rows) r.dataset ??= name;
  };
  stamp(objects(report.cases));
  stamp(objects(report.data));
  stamp(objects(report.sizes));
  if (typeof report.throughput === 'object' && report.throughput !== null) stamp(objects((report.throughput as Json).rows));
  const config = report.config as Json | undefined;
  if (typeof config === 'object' && config !== null && Array.isArray(config.n)) config.datasets ??= [{ name, n: config.n }];
  report.datasets ??= { [name]: datasetInfo(tuplesDefinition as unknown as DatasetDefinition, 1000, 42) };
}

/**
 * Bring a parsed report of an older schema to the current one, in place, one version after the
 * other. Returns the value; anything that is not an older report object is returned untouched (the
 * validator then names the problem).
 */
export function migrateReport(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const report = value as Json;
  const from = report.schemaVersion;
  if ((from !== 1 && from !== 2) || !Array.isArray(report.cases)) return value;
  if (from === 1) migrateV1(report);
  migrateV2(report);
  report.schemaVersion = 3;
  report.migratedFrom = from;
  return report;
}

/**
 * What a migrated report lacks, in one sentence for the reporters; null for a current report and
 * for a schema-2 one (it measured the tuples with every figure schema 3 has: nothing to say).
 */
export function migrationNote(report: { migratedFrom?: number }, label: string): string | null {
  if (report.migratedFrom === undefined || report.migratedFrom >= 2) return null;
  return `${label} was written with results schema ${report.migratedFrom}: its peak external increment is derived from the absolute peak and the baseline; its live-heap peak was not measured, so that figure is not compared; it has no uint64 verdict (not recorded before schema 2)`;
}

/** Whether a report's runs have every figure this version measures (schema 2 and later): such a report can be resumed. */
export function measuresAsToday(report: { migratedFrom?: number }): boolean {
  return report.migratedFrom === undefined || report.migratedFrom >= 2;
}
