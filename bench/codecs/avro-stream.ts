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
 *
 * Other datasets: the same container file of their schema's record (mapping/avro.ts), record by
 * record both ways; a file whose header's schema is not the dataset's is refused.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as Avro from 'avsc';
import type { Codec, LoadedData, Tuple } from '../types.js';
import { AVRO_CARRIES, avroLib, bindAvro, fromRecord, toRecord } from './avro.js';
import { tuplesOr } from './bind.js';
import { CodecError, withCodecContext } from './errors.js';
import type { AvroMapping } from './mapping/avro.js';

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

/** The container file writer: avsc's default 64 KiB blocks, no compression, the fixed sync marker. */
function blockEncoder(avro: typeof import('avsc'), type: Avro.Type): NodeJS.ReadWriteStream {
  return new avro.streams.BlockEncoder(type, { blockSize: AVRO_BLOCK_BYTES, codec: 'null', writeHeader: 'always', syncMarker: avroSyncMarker() });
}

/** Another dataset's records, converted one at a time as the encoder pulls them. */
function* mappedRecords(rows: readonly unknown[], m: AvroMapping): Generator<unknown> {
  const to = m.toRecord;
  for (const r of rows) yield to ? to(r) : r;
}

/** Read record by record; the header's schema must be the dataset's (the converters follow its avsc type). */
async function readMapped(path: string, m: AvroMapping, lib: Awaited<ReturnType<typeof avroLib>>): Promise<LoadedData> {
  const out: unknown[] = [];
  const decoder = new lib.avro.streams.BlockDecoder({
    parseHook: (schema) => {
      const type = lib.avro.Type.forSchema(schema, lib.typeOptions());
      if (!type.equals(m.type)) throw new CodecError(NAME, path, "the file's schema is not the dataset's");
      return m.type;
    },
  });
  await pipeline(createReadStream(path), decoder, async (recs: AsyncIterable<unknown>) => {
    for await (const r of recs) out.push(m.fromRecord(r));
  });
  return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
}

export const avroStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'avro',
  description: `Avro object container file via avsc BlockEncoder / BlockDecoder, 64 KiB blocks (a fixed sync marker), record by record; uint64 as fixed(8) big-endian with logicalType uint64, read as a BigInt. ${AVRO_CARRIES}`,
  packages: ['avsc'],
  async init() {
    await avroLib();
  },
  forDataset: (dataset) =>
    tuplesOr(avroStream, dataset, (schema) =>
      bindAvro(
        schema,
        (rows, path, m, { avro }) =>
          withCodecContext(NAME, path, () => pipeline(Readable.from(mappedRecords(rows, m)), blockEncoder(avro, m.type), createWriteStream(path))),
        (path, m, lib) => withCodecContext(NAME, path, () => readMapped(path, m, lib)),
      ),
    ),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      const { avro, tupleType } = await avroLib();
      await pipeline(Readable.from(records(data)), blockEncoder(avro, tupleType()), createWriteStream(path));
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
