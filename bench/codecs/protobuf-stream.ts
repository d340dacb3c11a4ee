/**
 * protobuf-stream: size-delimited Protocol Buffers messages, one `Tuple` per
 * record (schema and uint64 mapping: protobuf.ts). Each record is a varint
 * byte length followed by the message, back to back, the framing other
 * implementations read too (Java's writeDelimitedTo, Go's protodelim). Written
 * with the library's sizeDelimitedEncode through a writer that waits for
 * 'drain', read with its sizeDelimitedDecodeStream, record by record.
 * Other datasets: one message of their schema's record per record
 * (mapping/protobuf.ts), also record by record both ways.
 */
import { createReadStream } from 'node:fs';
import type { Message } from '@bufbuild/protobuf';
import type { Codec, LoadedData, Tuple } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import type { ProtobufMapping } from './mapping/protobuf.js';
import { bindProtobuf, PROTOBUF_CARRIES, protobufLib, toTuple } from './protobuf.js';
import { writeChunks } from './stream-util.js';

const NAME = 'protobuf-stream';
/** A Tuple message is about 40 bytes; a size prefix above this means the file is corrupt (the library's default is 64 MiB; other datasets: mapping/protobuf.ts readMaxBytes). */
const MAX_MESSAGE_BYTES = 64 * 1024;

function* messages(data: readonly Tuple[], lib: Awaited<ReturnType<typeof protobufLib>>): Generator<Uint8Array> {
  const { wire, TupleSchema, toMessage } = lib;
  for (const t of data) yield wire.sizeDelimitedEncode(TupleSchema, toMessage(t));
}

/** Another dataset's records, one size-delimited message each, pulled one at a time as the file drains. */
function* mappedMessages(rows: readonly unknown[], m: ProtobufMapping, lib: Awaited<ReturnType<typeof protobufLib>>): Generator<Uint8Array> {
  for (const r of rows) yield lib.wire.sizeDelimitedEncode(m.row, m.toMessage(r));
}

/** Read message by message, each converted to its record as it arrives; the size limit is the schema's (mapping/protobuf.ts). */
async function readMapped(path: string, m: ProtobufMapping, lib: Awaited<ReturnType<typeof protobufLib>>): Promise<LoadedData> {
  const out: unknown[] = [];
  for await (const msg of lib.wire.sizeDelimitedDecodeStream(m.row, createReadStream(path), { readMaxBytes: m.readMaxBytes })) {
    out.push(m.fromMessage(msg as Message));
  }
  return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
}

export const protobufStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'pb-delimited',
  description: `Size-delimited Protocol Buffers \`Tuple { double f; string s; uint64 u }\` messages via @bufbuild/protobuf sizeDelimitedEncode / sizeDelimitedDecodeStream, record by record; uint64 as a protobuf uint64 varint, read as a native BigInt. ${PROTOBUF_CARRIES} A message's size limit is the schema's largest record where it has one, else the library's 64 MiB.`,
  packages: ['@bufbuild/protobuf'],
  async init() {
    await protobufLib();
  },
  forDataset: (dataset) =>
    tuplesOr(protobufStream, dataset, (schema) =>
      bindProtobuf(
        schema,
        (rows, path, m, lib) => withCodecContext(NAME, path, async () => void (await writeChunks(path, mappedMessages(rows, m, lib)))),
        (path, m, lib) => withCodecContext(NAME, path, () => readMapped(path, m, lib)),
      ),
    ),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeChunks(path, messages(data, await protobufLib()));
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const { wire, TupleSchema } = await protobufLib();
      const out: Tuple[] = [];
      for await (const m of wire.sizeDelimitedDecodeStream(TupleSchema, createReadStream(path), { readMaxBytes: MAX_MESSAGE_BYTES })) {
        out.push(toTuple(m));
      }
      return out;
    });
  },
};
