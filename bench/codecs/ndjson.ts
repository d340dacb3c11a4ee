/**
 * ndjson: newline-delimited JSON, one `[float,"string","uint64"]` document per
 * line, the uint64 as a decimal string exactly as in `json` (same replacer and
 * reviver). Written a line at a time with backpressure; read with readline
 * over a file stream, one JSON.parse per line. Blank lines are skipped.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { bigintReplacer, reviveRecord } from './json.js';
import { writeChunks } from './stream-util.js';
import { tuplesOnly } from './bind.js';

const NAME = 'ndjson';

function* lines(data: readonly Tuple[]): Generator<string> {
  for (const t of data) yield `${JSON.stringify(t, bigintReplacer)}\n`;
}

export const ndjson: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'ndjson',
  description: 'Newline-delimited JSON, one [float,"string","uint64"] array per line (uint64 as a decimal string), streamed with backpressure / readline.',
  forDataset: (dataset) => tuplesOnly(ndjson, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeChunks(path, lines(data));
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const out: Tuple[] = [];
      const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
      let lineNo = 0;
      for await (const line of rl) {
        lineNo++;
        if (line.length === 0) continue;
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch (err) {
          throw new SyntaxError(`line ${lineNo}: ${(err as Error).message}`);
        }
        out.push(reviveRecord(rec, out.length));
      }
      return out;
    });
  },
};
