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
 * Other datasets: the `json` file of their records (mapping/json.ts).
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { Codec, LoadedData } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { bigintReplacer, bindJsonFamily, JSON_CARRIES, reviveRecord } from './json.js';
import type { Replacer } from './mapping/json.js';
import { writeChunks } from './stream-util.js';

const NAME = 'json-stream';

function* pieces(data: readonly unknown[], replacer: Replacer): Generator<string> {
  yield '[';
  for (let i = 0; i < data.length; i++) {
    yield (i === 0 ? '' : ',') + JSON.stringify(data[i], replacer);
  }
  yield ']';
}

function writeArray(data: readonly unknown[], path: string, replacer: Replacer): Promise<void> {
  return withCodecContext(NAME, path, async () => {
    await writeChunks(path, pieces(data, replacer));
  });
}

/** The array's elements, one at a time from stream-json, each through `revive` (element index), if any, in order. */
function readArray(path: string, revive: ((rec: unknown, i: number) => unknown) | null): Promise<LoadedData> {
  return withCodecContext(NAME, path, async () => {
    const out: unknown[] = [];
    await pipeline(
      createReadStream(path),
      streamArray.withParserAsStream({ streamValues: false }),
      async (items: AsyncIterable<{ key: number; value: unknown }>) => {
        for await (const { key, value } of items) out.push(revive ? revive(value, key) : value);
      },
    );
    return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const jsonStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'json',
  description: `The \`json\` file (one array, uint64 as a decimal string) written record by record with backpressure and read with stream-json StreamArray; loaded strings are slices of the parser's input chunks. ${JSON_CARRIES}`,
  packages: ['stream-json'],
  forDataset: (dataset) => tuplesOr(jsonStream, dataset, (schema) => bindJsonFamily(schema, writeArray, readArray)),
  dump: (data, path) => writeArray(data, path, bigintReplacer),
  load: (path) => readArray(path, reviveRecord),
};
