/**
 * What the parent checks of a reader's dataset module before anything runs (module.ts loads it):
 * that `generate` returns n records that fit the schema, the same ones on every call, record i not
 * depending on n, and `records` (when given) the same as `generate`. A module that fails is refused
 * with one line; a value that does not fit here is the module's mistake, not a codec's finding.
 */
import type { DatasetDefinition } from './dataset.js';
import { diffRecords } from './diff.js';
import { RecordHasher } from './hash.js';
import { DatasetModuleError } from './module.js';

/** Records checked: enough to catch a non-deterministic or misfitting generator, quick for any shape. */
export const CHECKED_RECORDS = 1000;

function generated(def: DatasetDefinition, path: string, n: number, seed: number): unknown[] {
  let out: unknown;
  try {
    out = def.generate(n, seed);
  } catch (err) {
    throw new DatasetModuleError(path, `generate(${n}, ${seed}) threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(out) || out.length !== n)
    throw new DatasetModuleError(
      path,
      `generate(${n}, ${seed}) returned ${Array.isArray(out) ? `${out.length} records` : typeof out}, expected an array of ${n} records`,
    );
  return out;
}

/** The records' checksum, refusing the first value that does not fit the schema. */
function fittingChecksum(def: DatasetDefinition, path: string, records: Iterable<unknown>): string {
  const h = new RecordHasher(def.schema);
  for (const r of records) h.add(r);
  const m = h.misfit;
  if (m) {
    const where = m.path.slice(`[${m.record}]`.length) || '(the record)';
    const expected = m.kind === 'shape' ? `a ${def.schema.kind} ${def.schema.name}` : m.kind;
    throw new DatasetModuleError(path, `record ${m.record}: ${where} is ${m.got}, expected ${expected}`);
  }
  return h.digest();
}

/** Refuse a module whose generator is not a deterministic source of records that fit its schema. */
export function checkDatasetModule(def: DatasetDefinition, path: string, n: number, seed: number): void {
  const k = Math.min(n, CHECKED_RECORDS);
  const first = generated(def, path, k, seed);
  const sum = fittingChecksum(def, path, first);
  const again = generated(def, path, k, seed);
  if (fittingChecksum(def, path, again) !== sum) {
    const d = diffRecords(def.schema, again, first);
    throw new DatasetModuleError(
      path,
      `generate(${k}, ${seed}) gave different records on two calls (first difference ${d.at?.path ?? 'unknown'}): it must draw only from its seed`,
    );
  }
  const few = Math.min(k, 10);
  const prefix = generated(def, path, few, seed);
  if (fittingChecksum(def, path, prefix) !== fittingChecksum(def, path, first.slice(0, few))) {
    const d = diffRecords(def.schema, prefix, first.slice(0, few));
    throw new DatasetModuleError(
      path,
      `generate(${few}, ${seed}) is not the first ${few} records of generate(${k}, ${seed}) (first difference ${d.at?.path ?? 'unknown'}): record i must not depend on n`,
    );
  }
  if (def.records) {
    let streamed: Iterable<unknown>;
    try {
      streamed = def.records(k, seed);
    } catch (err) {
      throw new DatasetModuleError(path, `records(${k}, ${seed}) threw: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (fittingChecksum(def, path, streamed) !== sum)
      throw new DatasetModuleError(path, `records(${k}, ${seed}) does not yield the records generate(${k}, ${seed}) returns`);
  }
}
