/**
 * Binding a codec to a dataset (the codec contract's `forDataset`). Every built-in codec carries
 * the tuples with the functions it always had, so their files and figures do not move; any other
 * dataset goes through its format's mapping from the schema (issue 24: codecs/mapping/), or is
 * unsupported where the format has none yet.
 */
import { TUPLE_SCHEMA, tuplesDefinition } from '../data/datasets/tuples.js';
import { type RecordSchema, schemaFingerprint } from '../data/schema.js';
import type { Codec, DatasetCodec, DatasetRef, Tuple, Unsupported } from '../types.js';

let tuplesFingerprint: string | undefined;

/** The tuples with the codec's own dump and load; any other dataset unsupported (no mapping yet). */
export function tuplesOnly(codec: Codec, dataset: DatasetRef): DatasetCodec | Unsupported {
  tuplesFingerprint ??= schemaFingerprint(TUPLE_SCHEMA);
  if (dataset.name !== tuplesDefinition.name || dataset.fingerprint !== tuplesFingerprint) {
    return { unsupported: `${codec.name} has no mapping for the dataset ${dataset.name} yet (it carries the tuples only)`, path: '' };
  }
  return { dump: (rows, path) => codec.dump(rows as readonly Tuple[], path), load: (path) => codec.load(path) };
}

/** The tuples with the codec's own dump and load (same files as ever); any other dataset through `mapped` (the format's mapping). */
export function tuplesOr(codec: Codec, dataset: DatasetRef, mapped: (schema: RecordSchema) => DatasetCodec | Unsupported): DatasetCodec | Unsupported {
  const own = tuplesOnly(codec, dataset);
  return isUnsupported(own) ? mapped(dataset.schema as RecordSchema) : own;
}

/** The codec's own binding, or, for a codec without `forDataset` (a --codec-module written for the tuples), the tuples only. */
export function bindCodec(codec: Codec, dataset: DatasetRef): DatasetCodec | Unsupported {
  return codec.forDataset ? codec.forDataset(dataset) : tuplesOnly(codec, dataset);
}

export function isUnsupported(b: DatasetCodec | Unsupported): b is Unsupported {
  return 'unsupported' in b;
}

/** The one line a case that cannot run reports: `n/a: <reason> (<path>)`. */
export function unsupportedText(u: Unsupported): string {
  return `n/a: ${u.unsupported}${u.path ? ` (${u.path})` : ''}`;
}
