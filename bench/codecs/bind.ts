/**
 * Binding a codec to a dataset (the codec contract's `forDataset`). Every built-in codec carries
 * the tuples with the functions it always had, so their files and figures do not move; any other
 * dataset goes through its format's mapping from the schema (issue 24: codecs/mapping/), or is
 * unsupported where the format has none yet.
 */
import { TUPLE_SCHEMA, tuplesDefinition } from '../data/datasets/tuples.js';
import { type RecordSchema, schemaFingerprint } from '../data/schema.js';
import type { Codec, DatasetCodec, DatasetRef, LoadedData, Tuple, Unsupported } from '../types.js';
import { CodecError } from './errors.js';

let tuplesFingerprint: string | undefined;

/** The tuples with the codec's own dump and load; any other dataset unsupported (no mapping yet). */
export function tuplesOnly(codec: Codec, dataset: DatasetRef): DatasetCodec | Unsupported {
  tuplesFingerprint ??= schemaFingerprint(TUPLE_SCHEMA);
  if (dataset.name !== tuplesDefinition.name || dataset.fingerprint !== tuplesFingerprint) {
    return { unsupported: `${codec.name} has no mapping for the dataset ${dataset.name} yet (it carries the tuples only)`, path: '' };
  }
  return { dump: (rows, path) => codec.dump(rows as readonly Tuple[], path), load: (path) => codec.load(path) };
}

/**
 * The tuples with the codec's own dump and load (same files as ever); any other dataset through
 * `mapped` (the format's mapping), whose rows loads are checked to be records of the schema.
 */
export function tuplesOr(codec: Codec, dataset: DatasetRef, mapped: (schema: RecordSchema) => DatasetCodec | Unsupported): DatasetCodec | Unsupported {
  const own = tuplesOnly(codec, dataset);
  if (!isUnsupported(own)) return own;
  const schema = dataset.schema as RecordSchema;
  const bound = mapped(schema);
  if (isUnsupported(bound)) return bound;
  return { ...bound, load: async (path) => checkRecords(codec.name, path, schema, await bound.load(path)) };
}

/**
 * A rows load's value is an array of records of the schema's kind (objects for a record, arrays of
 * its length for a tuple), or the load fails with a CodecError naming the codec and the file, as
 * the tuples' loads do (assertTuples): a damaged file that decodes to other values (a number, a
 * JSON document read as one NDJSON line) is the format's error, not a dataset that lost data.
 * Columns and lazy views (not arrays) are the dataset checksum's to judge. No allocation: one pass.
 */
export function checkRecords(codec: string, path: string, schema: RecordSchema, loaded: LoadedData): LoadedData {
  if (!Array.isArray(loaded)) return loaded;
  const tuple = schema.kind === 'tuple' ? schema.fields.length : -1;
  for (let i = 0; i < loaded.length; i++) {
    const r: unknown = loaded[i];
    const ok = tuple >= 0 ? Array.isArray(r) && r.length === tuple : typeof r === 'object' && r !== null && !Array.isArray(r) && !ArrayBuffer.isView(r);
    if (!ok) {
      const got = Array.isArray(r) ? `an array of ${r.length}` : r === null ? 'null' : typeof r;
      throw new CodecError(codec, path, `record ${i} is not a ${schema.name} ${schema.kind === 'tuple' ? `tuple of ${tuple}` : 'record'}: ${got}`);
    }
  }
  return loaded;
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
