/**
 * text: the flat-file analog. One record a line, `float,string,uint64`, as
 * comma-separated text written by Papa.unparse and read by Papa.parse, whole
 * document at once. Floats are written by Number#toString (shortest form that
 * round-trips), the uint64 in decimal. The strings are letters, so no quoting.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { parseFloatField, parseUint64 } from './tuples.js';
import { tuplesOnly } from './bind.js';

export const TEXT_DELIMITER = ',';
export const TEXT_NEWLINE = '\n';

/** One parsed row (three string fields) to a tuple. */
export function rowToTuple(row: unknown, i: number): Tuple {
  if (!Array.isArray(row) || row.length !== 3) throw new TypeError(`line ${i + 1} does not have 3 fields`);
  const s: unknown = row[1];
  if (typeof s !== 'string') throw new TypeError(`line ${i + 1}: string field missing`);
  return [parseFloatField(row[0], i), s, parseUint64(row[2], i)];
}

export const PARSE_CONFIG = { delimiter: TEXT_DELIMITER, newline: TEXT_NEWLINE, skipEmptyLines: true, dynamicTyping: false } as const;

export const text: Codec = {
  name: 'text',
  kind: 'whole',
  returns: 'rows',
  extension: 'csv',
  description: 'Line-delimited text `float,string,uint64` via Papa.unparse / Papa.parse of the whole file; uint64 in decimal.',
  packages: ['papaparse'],
  forDataset: (dataset) => tuplesOnly(text, dataset),
  async dump(data, path) {
    const body = Papa.unparse(data as unknown as unknown[][], { delimiter: TEXT_DELIMITER, newline: TEXT_NEWLINE, quotes: false, header: false });
    await writeFile(path, data.length > 0 ? body + TEXT_NEWLINE : '');
  },
  load(path) {
    return withCodecContext('text', path, async () => {
      const result = Papa.parse<unknown[]>(await readFile(path, 'utf8'), PARSE_CONFIG);
      const first = result.errors[0];
      if (first) throw new SyntaxError(`papaparse: ${first.message} (row ${first.row ?? '?'})`);
      const rows = result.data;
      const out = new Array<Tuple>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = rowToTuple(rows[i], i);
      return out;
    });
  },
};
