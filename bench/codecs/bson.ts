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
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Document } from 'bson';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { once } from './lazy.js';
import { tuplesOnly } from './bind.js';

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

export const bson: Codec = {
  name: 'bson',
  kind: 'whole',
  returns: 'rows',
  extension: 'bson',
  description:
    'BSON via the bson package, one document { rows: [{ f, s, u }, ...] } (serialize, its internal buffer grown to fit the document, / deserialize, useBigInt64); uint64 as BSON int64, which is signed: values >= 2**63 come back negative (lossy, reported).',
  packages: ['bson'],
  async init() {
    await bsonLib();
  },
  forDataset: (dataset) => tuplesOnly(bson, dataset),
  async dump(data, path) {
    const { calculateObjectSize, serialize, setInternalBufferSize } = await bsonLib();
    const doc = { rows: data.map(toDocument) };
    const size = calculateObjectSize(doc);
    if (size > BSON_DEFAULT_BUFFER_BYTES) setInternalBufferSize(size);
    await writeFile(path, serialize(doc));
  },
  load(path) {
    return withCodecContext('bson', path, async () => {
      const { deserialize } = await bsonLib();
      const doc = deserialize(await readFile(path), BSON_DESERIALIZE_OPTIONS);
      const rows: unknown = doc.rows;
      if (!Array.isArray(rows)) throw new TypeError('the document has no rows array');
      for (let i = 0; i < rows.length; i++) rows[i] = fromDocument(rows[i], i);
      return rows as Tuple[];
    });
  },
};
