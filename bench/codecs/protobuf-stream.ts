/**
 * protobuf-stream: size-delimited Protocol Buffers messages, one `Tuple` per
 * record (schema and uint64 mapping: protobuf.ts). Each record is a varint
 * byte length followed by the message, back to back, the framing other
 * implementations read too (Java's writeDelimitedTo, Go's protodelim). Written
 * with the library's sizeDelimitedEncode through a writer that waits for
 * 'drain', read with its sizeDelimitedDecodeStream, record by record.
 */
import { createReadStream } from 'node:fs';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { protobufLib, toTuple } from './protobuf.js';
import { writeChunks } from './stream-util.js';
import { tuplesOnly } from './bind.js';

const NAME = 'protobuf-stream';
/** A Tuple message is about 40 bytes; a size prefix above this means the file is corrupt (the library's default is 64 MiB). */
const MAX_MESSAGE_BYTES = 64 * 1024;

function* messages(data: readonly Tuple[], lib: Awaited<ReturnType<typeof protobufLib>>): Generator<Uint8Array> {
  const { wire, TupleSchema, toMessage } = lib;
  for (const t of data) yield wire.sizeDelimitedEncode(TupleSchema, toMessage(t));
}

export const protobufStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'pb-delimited',
  description:
    'Size-delimited Protocol Buffers `Tuple { double f; string s; uint64 u }` messages via @bufbuild/protobuf sizeDelimitedEncode / sizeDelimitedDecodeStream, record by record; uint64 as a protobuf uint64 varint, read as a native BigInt.',
  packages: ['@bufbuild/protobuf'],
  async init() {
    await protobufLib();
  },
  forDataset: (dataset) => tuplesOnly(protobufStream, dataset),
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
