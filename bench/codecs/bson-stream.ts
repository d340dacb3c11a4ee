/**
 * bson-stream: a plain sequence of BSON documents, one `{ f, s, u }` per
 * record, back to back: the layout mongodump writes to a .bson file. Each
 * document is written with `serialize` through a writer that waits for
 * 'drain', and read one by one with `deserialize` (useBigInt64), the same
 * mapping and the same signed-int64 loss as `bson` (bson.ts): values >= 2**63
 * come back negative and the case is reported lossy.
 *
 * The reading loop is written here because the bson package has no stream
 * reader: a document starts with its int32 little-endian total size, which
 * is all the framing there is, so the loop keeps the incomplete tail of one
 * chunk and slices complete documents out of the next.
 * Other datasets: one document per record, as `bson` maps them (bson.ts).
 */
import type { Codec, LoadedData, Tuple } from '../types.js';
import { tuplesOr } from './bind.js';
import { BSON_CARRIES, BSON_DESERIALIZE_OPTIONS, bindBson, bsonLib, fromDocument, toDocument } from './bson.js';
import { CodecError, withCodecContext } from './errors.js';
import { fileChunks, writeChunks } from './stream-util.js';
import { holdsBytes } from './mapping/plan.js';

const NAME = 'bson-stream';
/** Smallest BSON document: int32 size + terminating NUL. */
const MIN_DOC_BYTES = 5;
/** MongoDB's own document limit; a record is about 50 bytes, so a larger size means the file is corrupt. */
const MAX_DOC_BYTES = 16 * 1024 * 1024;

function* documents(data: readonly unknown[], toDoc: (r: unknown) => unknown, serialize: (doc: object) => Uint8Array): Generator<Uint8Array> {
  for (const t of data) yield serialize(toDoc(t) as object);
}

function writeDocuments(data: readonly unknown[], path: string, toDoc: (r: unknown) => unknown): Promise<void> {
  return withCodecContext(NAME, path, async () => {
    const { serialize } = await bsonLib();
    await writeChunks(
      path,
      documents(data, toDoc, (doc) => serialize(doc)),
    );
  });
}

/** Every document of the file, through `fromDoc` (record index), in order. */
/**
 * `ownBytes`: deserialize each document from a copy of its own. With promoteBuffers, bson returns a
 * Binary as a Buffer view into its input, and the file's chunks are one reused buffer (stream-util.ts
 * fileChunks): without the copy a later chunk overwrites a record's bytes. Only a schema with bytes
 * or vectors needs it; the tuples' loads copy nothing.
 */
function readDocuments(path: string, fromDoc: (d: unknown, i: number) => unknown, ownBytes = false): Promise<LoadedData> {
  return withCodecContext(NAME, path, async () => {
    const { deserialize } = await bsonLib();
    const out: unknown[] = [];
    let carry: Buffer | null = null; // an incomplete document from the previous chunk (copied: chunks are reused)
    let offset = 0; // file offset of `buf[0]`, for error messages
    for await (const chunk of fileChunks(path)) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let pos = 0;
      while (buf.length - pos >= 4) {
        const size = buf.readInt32LE(pos);
        if (size < MIN_DOC_BYTES || size > MAX_DOC_BYTES) {
          throw new CodecError(NAME, path, `record ${out.length} at byte ${offset + pos}: document size ${size} is not plausible (corrupt or not a BSON file)`);
        }
        if (buf.length - pos < size) break;
        const bytes = buf.subarray(pos, pos + size);
        const doc = deserialize(ownBytes ? Buffer.from(bytes) : bytes, BSON_DESERIALIZE_OPTIONS);
        out.push(fromDoc(doc, out.length));
        pos += size;
      }
      carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
      offset += pos;
    }
    if (carry) throw new CodecError(NAME, path, `truncated: file ends inside record ${out.length} (${carry.length} bytes at byte ${offset})`);
    return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const bsonStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'bson-seq',
  description: `A sequence of BSON documents { f, s, u }, one per record (the mongodump layout), via the bson package serialize / deserialize (useBigInt64), document by document; uint64 as BSON int64, which is signed: values >= 2**63 come back negative (lossy, reported). ${BSON_CARRIES}`,
  packages: ['bson'],
  async init() {
    await bsonLib();
  },
  forDataset: (dataset) =>
    tuplesOr(bsonStream, dataset, (schema) =>
      bindBson(
        schema,
        (rows, path, toDoc) => writeDocuments(rows, path, toDoc ?? ((r) => r)),
        (path, fromDoc) => readDocuments(path, fromDoc ?? ((d) => d), holdsBytes(schema)),
      ),
    ),
  dump: (data, path) => writeDocuments(data, path, (t) => toDocument(t as Tuple)),
  load: (path) => readDocuments(path, fromDocument),
};
