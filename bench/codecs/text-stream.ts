/**
 * text-stream: the same file as `text` (`float,string,uint64\n` per record,
 * byte for byte), written one line at a time with backpressure and parsed
 * with papaparse's streaming parser fed by a file stream, one row per step.
 *
 * Papa.parse(readable, { step }) is used rather than the Papa.NODE_STREAM_INPUT
 * duplex because the duplex drops each row's parse errors (it pushes only
 * `results.data`); the step callback converts each row synchronously, so
 * nothing queues up between the file stream and the parser.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import type { Codec, LoadedData, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import type { CsvMapping } from './mapping/csv.js';
import { floatText, PLAIN } from './mapping/flat.js';
import { writeChunks, type WriteStats } from './stream-util.js';
import { bindText, PARSE_CONFIG, rowToTuple, TEXT_CARRIES, TEXT_NEWLINE, UNPARSE_CONFIG } from './text.js';
import { tuplesOr } from './bind.js';

export { floatText };

const NAME = 'text-stream';

/** One record as Papa.unparse writes it, newline included. Our letters take the fast path. */
export function formatLine(t: Tuple): string {
  return PLAIN.test(t[1]) ? `${floatText(t[0])},${t[1]},${t[2]}\n` : Papa.unparse([t as unknown as unknown[]], UNPARSE_CONFIG) + TEXT_NEWLINE;
}

function* lines(data: readonly Tuple[]): Generator<string> {
  for (const t of data) yield formatLine(t);
}

/** Write the `text` file one line per write(), waiting on 'drain' (backpressure). */
export function writeTextLines(data: readonly Tuple[], path: string): Promise<WriteStats> {
  return writeChunks(path, lines(data));
}

/** A flat dataset's dump for `codec`: its `text` file written the same way, one record's line per write(). */
export function writeRecordLines(codec: string): (rows: readonly unknown[], path: string, csv: CsvMapping) => Promise<void> {
  return (rows, path, csv) =>
    withCodecContext(codec, path, async () => {
      await writeChunks(
        path,
        (function* () {
          for (const r of rows) yield csv.line(r);
        })(),
      );
    });
}

/** Parse a `text` file with papaparse's streaming parser; `onRow` gets every row, in order. */
export function streamRows(path: string, onRow: (row: unknown[], i: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let i = 0;
    let failed = false;
    const input = createReadStream(path, { encoding: 'utf8' });
    Papa.parse<unknown[]>(input, {
      ...PARSE_CONFIG,
      step(results, parser) {
        if (failed) return;
        try {
          const err = results.errors[0];
          if (err) throw new SyntaxError(`papaparse: ${err.message} (row ${i + 1})`);
          onRow(results.data, i++);
        } catch (e) {
          failed = true;
          parser.abort();
          input.destroy();
          reject(e);
        }
      },
      complete() {
        if (!failed) resolve(i);
      },
      error(err: Error) {
        failed = true;
        reject(err);
      },
    });
  });
}

export const textStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'csv',
  description: `The \`text\` file (\`float,string,uint64\` lines, uint64 in decimal) written a line at a time with backpressure and read with papaparse streaming; loaded strings are slices that keep 64 KiB chunk strings alive. ${TEXT_CARRIES}`,
  packages: ['papaparse'],
  forDataset: (dataset) =>
    tuplesOr(textStream, dataset, (schema) =>
      bindText(schema, writeRecordLines(NAME), (path, csv) =>
        withCodecContext(NAME, path, async () => {
          const out: unknown[] = [];
          await streamRows(path, (row, i) => out.push(csv.build(row, i)));
          return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
        }),
      ),
    ),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeTextLines(data, path);
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const out: Tuple[] = [];
      await streamRows(path, (row, i) => out.push(rowToTuple(row, i)));
      return out;
    });
  },
};
