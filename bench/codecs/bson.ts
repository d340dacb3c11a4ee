/**
 * bson: BSON (MongoDB's format) with the `bson` package, as applications use
 * it: every record a document `{ f: double, s: string, u: int64 }`, here all
 * in one document `{ rows: [ ... ] }`, read with `useBigInt64: true` so int64
 * fields come back as BigInt.
 *
 * uint64: BSON has no unsigned 64-bit integer; its int64 is signed. The
 * library writes a BigInt as int64 without complaint, silently wrapping values
 * >= 2**63 to negative ones (2**63 reads back as -2**63, 2**64 - 1 as -1).
 * Nothing here works around that: the loaded data carries the negative values,
 * and the suite's verification reports the case `lossy`, with the first record
 * that differs. That is the answer to "can we keep this in MongoDB as is?".
 *
 * Whole document: the library serializes into one internal buffer (17 MiB by
 * default, too small at 1M records: the 1M dump failed with "offset out of
 * range") and returns a copy; serializeWithBufferAndIndex goes through the same
 * internal buffer. So the dump measures the document with calculateObjectSize
 * and grows the internal buffer to fit (setInternalBufferSize), as
 * applications with large documents must, then serializes. (MongoDB itself
 * refuses documents over 16 MiB; the file format does not.)
 *
 * Other datasets: each record is its own document (mapping/values.ts): bytes as Binary, read back
 * as Uint8Array; a Float32Array as a BSON vector (Binary subtype 9, `Binary.fromFloat32Array` /
 * `toFloat32Array`); other vectors as arrays of numbers; uint64 as int64, lossy from 2**63 as above.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Document } from 'bson';
import type { RecordSchema } from '../data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Tuple, Unsupported } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { once } from './lazy.js';
import { bindMapped, cannotCarry, type Fix } from './mapping/plan.js';

/** The library, imported on first use (it allocates a 17 MiB buffer at import: lazy.ts). */
export const bsonLib = once(() => import('bson'));

/** The bson package's internal serialization buffer at import (17 MiB). */
const BSON_DEFAULT_BUFFER_BYTES = 17 * 1024 * 1024;

export const BSON_DESERIALIZE_OPTIONS = { useBigInt64: true } as const;

export function toDocument(t: Tuple): Document {
  return { f: t[0], s: t[1], u: t[2] };
}

/** A record document as a tuple, its int64 as the library returned it (negative for a value that wrapped). */
export function fromDocument(d: unknown, i: number): Tuple {
  const doc = d as { f?: unknown; s?: unknown; u?: unknown } | null;
  if (!doc || typeof doc !== 'object' || typeof doc.f !== 'number' || typeof doc.s !== 'string' || typeof doc.u !== 'bigint') {
    throw new TypeError(`record ${i} is not a document { f: double, s: string, u: int64 }`);
  }
  return [doc.f, doc.s, doc.u];
}

/** How bson carries a dataset's types (bson and bson-stream). */
export const BSON_CARRIES =
  'Other datasets: records as documents; bytes as Binary; float32 vectors as BSON vectors (Binary subtype 9), other vectors as arrays.';

/** bson and bson-stream bound to a dataset: the records' documents, mapped with the library's Binary (on init). */
export function bindBson(
  schema: RecordSchema,
  write: (rows: readonly unknown[], path: string, toDocument: Fix | null) => Promise<void>,
  read: (path: string, fromDocument: Fix | null) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  return bindMapped(
    cannotCarry('bson', schema),
    async () => (await import('./mapping/values.js')).bsonDocuments(schema, (await bsonLib()).Binary),
    (rows, path, m) => write(rows, path, m.toDocument),
    (path, m) => read(path, m.fromDocument),
  );
}

/** The whole-file dump: one document `{ rows }`, the library's buffer grown to fit it. */
async function writeRowsDocument(rows: readonly unknown[], path: string): Promise<void> {
  const { calculateObjectSize, serialize, setInternalBufferSize } = await bsonLib();
  const doc = { rows };
  const size = calculateObjectSize(doc);
  if (size > BSON_DEFAULT_BUFFER_BYTES) setInternalBufferSize(size);
  await writeFile(path, serialize(doc));
}

/** The whole-file load: the `rows` array of the document, each through `fromDocument` in place. */
function readRowsDocument(path: string, fromDocument: (d: unknown, i: number) => unknown): Promise<LoadedData> {
  return withCodecContext('bson', path, async () => {
    const { deserialize } = await bsonLib();
    const doc = deserialize(await readFile(path), BSON_DESERIALIZE_OPTIONS);
    const rows: unknown = doc.rows;
    if (!Array.isArray(rows)) throw new TypeError('the document has no rows array');
    for (let i = 0; i < rows.length; i++) rows[i] = fromDocument(rows[i], i);
    return rows as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const bson: Codec = {
  name: 'bson',
  kind: 'whole',
  returns: 'rows',
  extension: 'bson',
  description: `BSON via the bson package, one document { rows: [{ f, s, u }, ...] } (serialize, its internal buffer grown to fit the document, / deserialize, useBigInt64); uint64 as BSON int64, which is signed: values >= 2**63 come back negative (lossy, reported). ${BSON_CARRIES}`,
  packages: ['bson'],
  async init() {
    await bsonLib();
  },
  forDataset: (dataset) =>
    tuplesOr(bson, dataset, (schema) =>
      bindBson(
        schema,
        (rows, path, toDoc) => writeRowsDocument(toDoc ? rows.map((r) => toDoc(r)) : rows, path),
        (path, fromDoc) => readRowsDocument(path, fromDoc ?? ((d) => d)),
      ),
    ),
  dump: (data, path) => writeRowsDocument(data.map(toDocument), path),
  load: (path) => readRowsDocument(path, fromDocument),
};
