/**
 * avro-stream: an Avro object container file (the `.avro` files Hadoop, Spark
 * and Kafka Connect write), written and read block by block with avsc's
 * BlockEncoder / BlockDecoder. Records and the uint64 mapping are those of
 * `avro` (avro.ts): `Tuple { double f; string s; fixed(8) u, logicalType
 * uint64 }`. The file's header carries that schema; the decoder builds the
 * record type from it through `parseHook`, which is where the uint64 logical
 * type is attached. Blocks are avsc's default size, 64 KiB before the null
 * (no) compression codec, so at most about one block of encoded records is
 * held at a time each way, plus what the streams buffer.
 *
 * Sync marker: fixed (avroSyncMarker), not avsc's default of 16 random bytes
 * per file. The marker only has to be the same in a file's header and after
 * each of its blocks, and a well-mixed one is as unlikely to occur in the data
 * as a random one; fixed, the same data gives the same file, so a repeat's file
 * is recognised by its SHA-256 instead of being read back by one more process
 * (docs/speed.md), and a run's files compare with another's.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Codec, Tuple } from '../types.js';
import { avroLib, fromRecord, toRecord } from './avro.js';
import { withCodecContext } from './errors.js';
import { tuplesOnly } from './bind.js';

const NAME = 'avro-stream';
/** Bytes of encoded records per container block (avsc's default, said explicitly). */
export const AVRO_BLOCK_BYTES = 64 * 1024;

/** The container file's sync marker: 16 well-mixed bytes, the same for every file (see above). Made when a dump starts, not at import. */
export function avroSyncMarker(): Buffer {
  return createHash('sha256').update('serialization-footprint avro-stream sync marker').digest().subarray(0, 16);
}

function* records(data: readonly Tuple[]): Generator<ReturnType<typeof toRecord>> {
  for (const t of data) yield toRecord(t);
}

export const avroStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'avro',
  description:
    'Avro object container file via avsc BlockEncoder / BlockDecoder, 64 KiB blocks (a fixed sync marker), record by record; uint64 as fixed(8) big-endian with logicalType uint64, read as a BigInt.',
  packages: ['avsc'],
  async init() {
    await avroLib();
  },
  forDataset: (dataset) => tuplesOnly(avroStream, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      const { avro, tupleType } = await avroLib();
      await pipeline(
        Readable.from(records(data)),
        new avro.streams.BlockEncoder(tupleType(), { blockSize: AVRO_BLOCK_BYTES, codec: 'null', writeHeader: 'always', syncMarker: avroSyncMarker() }),
        createWriteStream(path),
      );
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const { avro, tupleType } = await avroLib();
      const out: Tuple[] = [];
      const decoder = new avro.streams.BlockDecoder({ parseHook: (schema) => tupleType(schema) });
      await pipeline(createReadStream(path), decoder, async (recs: AsyncIterable<unknown>) => {
        for await (const r of recs) out.push(fromRecord(r, out.length));
      });
      return out;
    });
  },
};
