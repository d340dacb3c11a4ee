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
 */
import type { Codec, Tuple } from '../types.js';
import { BSON_DESERIALIZE_OPTIONS, bsonLib, fromDocument, toDocument } from './bson.js';
import { CodecError, withCodecContext } from './errors.js';
import { fileChunks, writeChunks } from './stream-util.js';
import { tuplesOnly } from './bind.js';

const NAME = 'bson-stream';
/** Smallest BSON document: int32 size + terminating NUL. */
const MIN_DOC_BYTES = 5;
/** MongoDB's own document limit; a record is about 50 bytes, so a larger size means the file is corrupt. */
const MAX_DOC_BYTES = 16 * 1024 * 1024;

function* documents(data: readonly Tuple[], serialize: (doc: object) => Uint8Array): Generator<Uint8Array> {
  for (const t of data) yield serialize(toDocument(t));
}

export const bsonStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'bson-seq',
  description:
    'A sequence of BSON documents { f, s, u }, one per record (the mongodump layout), via the bson package serialize / deserialize (useBigInt64), document by document; uint64 as BSON int64, which is signed: values >= 2**63 come back negative (lossy, reported).',
  packages: ['bson'],
  async init() {
    await bsonLib();
  },
  forDataset: (dataset) => tuplesOnly(bsonStream, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      const { serialize } = await bsonLib();
      await writeChunks(
        path,
        documents(data, (doc) => serialize(doc)),
      );
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const { deserialize } = await bsonLib();
      const out: Tuple[] = [];
      let carry: Buffer | null = null; // an incomplete document from the previous chunk (copied: chunks are reused)
      let offset = 0; // file offset of `buf[0]`, for error messages
      for await (const chunk of fileChunks(path)) {
        const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
        let pos = 0;
        while (buf.length - pos >= 4) {
          const size = buf.readInt32LE(pos);
          if (size < MIN_DOC_BYTES || size > MAX_DOC_BYTES) {
            throw new CodecError(
              NAME,
              path,
              `record ${out.length} at byte ${offset + pos}: document size ${size} is not plausible (corrupt or not a BSON file)`,
            );
          }
          if (buf.length - pos < size) break;
          const doc = deserialize(buf.subarray(pos, pos + size), BSON_DESERIALIZE_OPTIONS);
          out.push(fromDocument(doc, out.length));
          pos += size;
        }
        carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
        offset += pos;
      }
      if (carry) throw new CodecError(NAME, path, `truncated: file ends inside record ${out.length} (${carry.length} bytes at byte ${offset})`);
      return out;
    });
  },
};
