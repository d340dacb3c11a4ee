/**
 * json-stream: the same file as `json` (one JSON array, uint64 as a decimal
 * string), byte for byte, but never held whole. Dump writes `[`, each record's
 * JSON.stringify, `,` separators and `]` as separate writes with backpressure;
 * JSON.stringify of the whole array produces exactly this text.
 *
 * Load uses stream-json's StreamArray (parser + assembler, one array element at
 * a time; `streamValues: false` so only packed value tokens are made). It is the streaming JSON parser the Node field uses (SAX-style
 * tokens, backpressure through Node streams, maintained, no native code);
 * alternatives such as JSONStream (unmaintained since 2018) or oboe (browser
 * first) are older, and clarinet-style tokenizers would need our own assembler.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { bigintReplacer, reviveRecord } from './json.js';
import { writeChunks } from './stream-util.js';
import { tuplesOnly } from './bind.js';

const NAME = 'json-stream';

function* pieces(data: readonly Tuple[]): Generator<string> {
  yield '[';
  for (let i = 0; i < data.length; i++) {
    yield (i === 0 ? '' : ',') + JSON.stringify(data[i], bigintReplacer);
  }
  yield ']';
}

export const jsonStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'json',
  description:
    "The `json` file (one array, uint64 as a decimal string) written record by record with backpressure and read with stream-json StreamArray; loaded strings are slices of the parser's input chunks.",
  packages: ['stream-json'],
  forDataset: (dataset) => tuplesOnly(jsonStream, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeChunks(path, pieces(data));
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const out: Tuple[] = [];
      await pipeline(
        createReadStream(path),
        streamArray.withParserAsStream({ streamValues: false }),
        async (items: AsyncIterable<{ key: number; value: unknown }>) => {
          for await (const { key, value } of items) out.push(reviveRecord(value, key));
        },
      );
      return out;
    });
  },
};
