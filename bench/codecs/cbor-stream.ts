/**
 * cbor-stream: a CBOR sequence (RFC 8742), one `[float, string, uint64]`
 * array per record, back to back (CBOR items are self-delimiting). Written
 * by cbor-x's EncoderStream and read by its DecoderStream, record by record,
 * through stream.pipeline (which applies backpressure). Options and uint64
 * mapping as `cbor` (cbor.ts).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Codec, Tuple } from '../types.js';
import { CBOR_OPTIONS, cborLib, cborTuple } from './cbor.js';
import { withCodecContext } from './errors.js';
import { tuplesOnly } from './bind.js';

const NAME = 'cbor-stream';

export const cborStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'cbor-seq',
  description:
    'A CBOR sequence, one [float, string, uint64] array per record, via cbor-x EncoderStream / DecoderStream (int64AsNumber false); uint64 as CBOR major type 0, 8 bytes.',
  packages: ['cbor-x'],
  async init() {
    await cborLib();
  },
  forDataset: (dataset) => tuplesOnly(cborStream, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      const { EncoderStream } = (await cborLib()).lib;
      await pipeline(Readable.from(data), new EncoderStream({ ...CBOR_OPTIONS }), createWriteStream(path));
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const { DecoderStream } = (await cborLib()).lib;
      const out: Tuple[] = [];
      await pipeline(createReadStream(path), new DecoderStream({ ...CBOR_OPTIONS }), async (records: AsyncIterable<unknown>) => {
        for await (const rec of records) out.push(cborTuple(rec, out.length));
      });
      return out;
    });
  },
};
