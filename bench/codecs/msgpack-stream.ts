/**
 * msgpack-stream: the file is a plain sequence of MessagePack values, one
 * `[float, string, uint64]` array per record, back to back with no framing
 * (MessagePack values are self-delimiting). Written by msgpackr's PackrStream
 * and read by its UnpackrStream, record by record, through stream.pipeline
 * (which applies backpressure). Same options as `msgpack`: every 64-bit
 * integer comes back as a BigInt, no msgpackr record extension. Other
 * datasets: one record per value, with `msgpack`'s options for their schema.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Options, PackrStream, UnpackrStream } from 'msgpackr';
import type { Codec, LoadedData } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { bindMapped, cannotCarry } from './mapping/plan.js';
import { MSGPACK_CARRIES, MSGPACK_OPTIONS, msgpackOptions } from './msgpack.js';
import { checkedTuple } from './tuples.js';

const NAME = 'msgpack-stream';

function writeValues(data: readonly unknown[], path: string, options: Options): Promise<void> {
  return withCodecContext(NAME, path, () =>
    // Readable.from pulls one record at a time from the array as the file stream drains
    pipeline(Readable.from(data), new PackrStream({ ...options }), createWriteStream(path)),
  );
}

/** Every value of the file, through `onRecord` (record index) if any, in order. */
function readValues(path: string, options: Options, onRecord: ((rec: unknown, i: number) => unknown) | null): Promise<LoadedData> {
  return withCodecContext(NAME, path, async () => {
    const out: unknown[] = [];
    await pipeline(createReadStream(path), new UnpackrStream({ ...options }), async (records: AsyncIterable<unknown>) => {
      for await (const rec of records) out.push(onRecord ? onRecord(rec, out.length) : rec);
    });
    return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const msgpackStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'msgpack-seq',
  description: `A sequence of MessagePack values, one [float, string, uint64] array per record, via msgpackr PackrStream / UnpackrStream (int64AsType 'bigint'); uint64 as MessagePack uint64. Loaded strings are slices of the decoder's batch strings. ${MSGPACK_CARRIES}`,
  packages: ['msgpackr'],
  forDataset: (dataset) =>
    tuplesOr(msgpackStream, dataset, (schema) =>
      bindMapped(
        cannotCarry('msgpackr', schema),
        () => msgpackOptions(schema),
        (rows, path, options) => writeValues(rows, path, options),
        (path, options) => readValues(path, options, null),
      ),
    ),
  dump: (data, path) => writeValues(data, path, MSGPACK_OPTIONS),
  load: (path) => readValues(path, MSGPACK_OPTIONS, checkedTuple),
};
