/**
 * What a report says about a dataset (`Report.datasets`), derived from its definition: never its
 * generator. Used by the run (for each dataset it plans) and by the migration of older reports
 * (which measured the tuples alone).
 */
import type { DatasetDefinition } from '../data/dataset.js';
import { describeSchema, schemaFingerprint } from '../data/schema.js';
import { intrinsicBytes } from '../data/size.js';
import type { DatasetInfo, Report } from '../types.js';
import { median } from './summary.js';

/** Records whose intrinsic size gives `intrinsicBytesPerRecord` (so parent and child derive the same figure). */
export const INFO_SAMPLE_RECORDS = 1000;

/** The report's description of a dataset: its schema in a few lines, fingerprint, and the intrinsic bytes of a record (mean over the first min(N, 1,000)). */
export function datasetInfo(def: DatasetDefinition, n: number, seed: number): DatasetInfo {
  const k = Math.max(1, Math.min(n, INFO_SAMPLE_RECORDS));
  let bytes = 0;
  let count = 0;
  for (const r of def.records ? def.records(k, seed) : def.generate(k, seed)) {
    bytes += intrinsicBytes(def.schema, r);
    count++;
  }
  return {
    name: def.name,
    description: def.description,
    schema: def.schema as unknown as Record<string, unknown>,
    fingerprint: schemaFingerprint(def.schema),
    lines: describeSchema(def.schema),
    defaultN: def.defaultN,
    intrinsicBytesPerRecord: count > 0 ? bytes / count : 0,
  };
}

/**
 * What the records of (dataset, N) hold outside V8's heap: the median of the dump runs' `dataExternalBytes`
 * (blobs' payloads, typed-array fields), or null when no dump run read it.
 */
export function dataExternalBytes(report: Pick<Report, 'cases'>, dataset: string, n: number): number | null {
  const values = report.cases
    .filter((c) => c.dataset === dataset && c.n === n && c.phase === 'dump')
    .flatMap((c) => c.runs.flatMap((r) => (r.dataExternalBytes === undefined ? [] : [r.dataExternalBytes])));
  return values.length === 0 ? null : median(values);
}
