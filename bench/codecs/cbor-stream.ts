/**
 * cbor-stream: a CBOR sequence (RFC 8742), one `[float, string, uint64]`
 * array per record, back to back (CBOR items are self-delimiting). Written
 * by cbor-x's EncoderStream and read by its DecoderStream, record by record,
 * through stream.pipeline (which applies backpressure). Options and uint64
 * mapping as `cbor` (cbor.ts). Other datasets: one record per item, as `cbor`
 * carries them.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Codec, LoadedData } from '../types.js';
import { tuplesOr } from './bind.js';
import { CBOR_CARRIES, CBOR_OPTIONS, cborLib, cborTuple } from './cbor.js';
import { withCodecContext } from './errors.js';
import { bindMapped, cannotCarry } from './mapping/plan.js';

const NAME = 'cbor-stream';

function writeItems(data: readonly unknown[], path: string): Promise<void> {
  return withCodecContext(NAME, path, async () => {
    const { EncoderStream } = (await cborLib()).lib;
    await pipeline(Readable.from(data), new EncoderStream({ ...CBOR_OPTIONS }), createWriteStream(path));
  });
}

/** Every item of the sequence, through `onRecord` (record index) if any, in order. */
function readItems(path: string, onRecord: ((rec: unknown, i: number) => unknown) | null): Promise<LoadedData> {
  return withCodecContext(NAME, path, async () => {
    const { DecoderStream } = (await cborLib()).lib;
    const out: unknown[] = [];
    await pipeline(createReadStream(path), new DecoderStream({ ...CBOR_OPTIONS }), async (records: AsyncIterable<unknown>) => {
      for await (const rec of records) out.push(onRecord ? onRecord(rec, out.length) : rec);
    });
    return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const cborStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'cbor-seq',
  description: `A CBOR sequence, one [float, string, uint64] array per record, via cbor-x EncoderStream / DecoderStream (int64AsNumber false); uint64 as CBOR major type 0, 8 bytes. ${CBOR_CARRIES}`,
  packages: ['cbor-x'],
  async init() {
    await cborLib();
  },
  forDataset: (dataset) =>
    tuplesOr(cborStream, dataset, (schema) =>
      bindMapped(
        cannotCarry('cbor-x', schema),
        () => null,
        (rows, path) => writeItems(rows, path),
        (path) => readItems(path, null),
      ),
    ),
  dump: (data, path) => writeItems(data, path),
  load: (path) => readItems(path, cborTuple),
};
