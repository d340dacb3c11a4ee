/**
 * ndjson: newline-delimited JSON, one `[float,"string","uint64"]` document per
 * line, the uint64 as a decimal string exactly as in `json` (same replacer and
 * reviver). Written a line at a time with backpressure; read with readline
 * over a file stream, one JSON.parse per line. Blank lines are skipped.
 * Other datasets: one record object per line, through the JSON family's
 * mapping (mapping/json.ts), as `json` writes them.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Codec, LoadedData } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { bigintReplacer, bindJsonFamily, JSON_CARRIES, reviveRecord } from './json.js';
import type { Replacer } from './mapping/json.js';
import { writeChunks } from './stream-util.js';

const NAME = 'ndjson';
function* lines(data: readonly unknown[], replacer: Replacer): Generator<string> {
  for (const t of data) yield `${JSON.stringify(t, replacer)}\n`;
}

function writeLines(data: readonly unknown[], path: string, replacer: Replacer): Promise<void> {
  return withCodecContext(NAME, path, async () => {
    await writeChunks(path, lines(data, replacer));
  });
}

/** Every non-blank line parsed and passed through `revive` (record index), if any, in order. */
function readLines(path: string, revive: ((rec: unknown, i: number) => unknown) | null): Promise<LoadedData> {
  return withCodecContext(NAME, path, async () => {
    const out: unknown[] = [];
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
      out.push(revive ? revive(rec, out.length) : rec);
    }
    return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const ndjson: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'ndjson',
  description: `Newline-delimited JSON, one [float,"string","uint64"] array per line (uint64 as a decimal string), streamed with backpressure / readline. ${JSON_CARRIES}`,
  forDataset: (dataset) => tuplesOr(ndjson, dataset, (schema) => bindJsonFamily(schema, writeLines, readLines)),
  dump: (data, path) => writeLines(data, path, bigintReplacer),
  load: (path) => readLines(path, reviveRecord),
};
