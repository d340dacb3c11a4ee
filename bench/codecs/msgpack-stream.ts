/**
 * msgpack-stream: the file is a plain sequence of MessagePack values, one
 * `[float, string, uint64]` array per record, back to back with no framing
 * (MessagePack values are self-delimiting). Written by msgpackr's PackrStream
 * and read by its UnpackrStream, record by record, through stream.pipeline
 * (which applies backpressure). Same options as `msgpack`: every 64-bit
 * integer comes back as a BigInt, no msgpackr record extension.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PackrStream, UnpackrStream } from 'msgpackr';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { MSGPACK_OPTIONS } from './msgpack.js';
import { assertTuple } from './tuples.js';
import { tuplesOnly } from './bind.js';

const NAME = 'msgpack-stream';

export const msgpackStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'msgpack-seq',
  description:
    "A sequence of MessagePack values, one [float, string, uint64] array per record, via msgpackr PackrStream / UnpackrStream (int64AsType 'bigint'); uint64 as MessagePack uint64. Loaded strings are slices of the decoder's batch strings.",
  packages: ['msgpackr'],
  forDataset: (dataset) => tuplesOnly(msgpackStream, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, () =>
      // Readable.from pulls one record at a time from the array as the file stream drains
      pipeline(Readable.from(data), new PackrStream({ ...MSGPACK_OPTIONS }), createWriteStream(path)),
    );
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const out: Tuple[] = [];
      await pipeline(createReadStream(path), new UnpackrStream({ ...MSGPACK_OPTIONS }), async (records: AsyncIterable<unknown>) => {
        for await (const rec of records) {
          assertTuple(rec, out.length);
          out.push(rec);
        }
      });
      return out;
    });
  },
};
