/**
 * text: the flat-file analog. One record a line, `float,string,uint64`, as
 * comma-separated text written by Papa.unparse and read by Papa.parse, whole
 * document at once. Floats are written by Number#toString (shortest form that
 * round-trips), the uint64 in decimal. The strings are letters, so no quoting.
 * Other flat datasets (mapping/flat.ts): one column per scalar leaf, no header,
 * each scalar in its CSV form (mapping/csv.ts); the others are n/a.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { RecordSchema } from '../data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Tuple, Unsupported } from '../types.js';
import { withCodecContext } from './errors.js';
import { parseFloatField, parseUint64 } from './tuples.js';
import { tuplesOr } from './bind.js';
import type { CsvMapping } from './mapping/csv.js';
import { flatColumns } from './mapping/flat.js';
import { bindMapped } from './mapping/plan.js';

/** How the text family carries other datasets (each codec's description ends with it). */
export const TEXT_CARRIES =
  'Other datasets: flat ones only, one column per scalar (nested records and tuples as `a.b`, fixed-length vectors as `v[0]`…), no header; numbers by Number#toString (−0 as 0), uint64 in decimal, bools as true/false, enums as their symbols, strings quoted by RFC 4180 when needed (UTF-8: a lone surrogate becomes U+FFFD), an empty field for a null optional number, bool or enum; bytes, lists, maps, unions, optional strings and records and variable-length vectors have no CSV form (n/a).';

/**
 * A text-family codec bound to a flat dataset: its own writer and reader, given the schema's CSV
 * mapping (mapping/csv.ts, loaded on init); n/a naming the first field that has no CSV form.
 */
export function bindText(
  schema: RecordSchema,
  write: (rows: readonly unknown[], path: string, csv: CsvMapping) => Promise<void>,
  read: (path: string, csv: CsvMapping) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  const columns = flatColumns(schema);
  if (!Array.isArray(columns)) return columns;
  return bindMapped(null, async () => (await import('./mapping/csv.js')).csvMapping(schema, columns), write, read);
}

/** Records per Papa.unparse call: the dump holds the whole text, but field arrays of only this many records at once. */
const UNPARSE_ROWS = 4096;

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
export const UNPARSE_CONFIG = { delimiter: TEXT_DELIMITER, newline: TEXT_NEWLINE, quotes: false, header: false } as const;

/** Papa.parse of a whole file's text: its rows of field strings; the first parse error throws. */
function parseWhole(body: string): unknown[][] {
  const result = Papa.parse<unknown[]>(body, PARSE_CONFIG);
  const first = result.errors[0];
  if (first) throw new SyntaxError(`papaparse: ${first.message} (row ${first.row ?? '?'})`);
  return result.data;
}

export const text: Codec = {
  name: 'text',
  kind: 'whole',
  returns: 'rows',
  extension: 'csv',
  description: `Line-delimited text \`float,string,uint64\` via Papa.unparse / Papa.parse of the whole file; uint64 in decimal. ${TEXT_CARRIES}`,
  packages: ['papaparse'],
  forDataset: (dataset) =>
    tuplesOr(text, dataset, (schema) =>
      bindText(
        schema,
        async (rows, path, csv) => {
          let body = '';
          for (let i = 0; i < rows.length; i += UNPARSE_ROWS) {
            const part = rows.slice(i, i + UNPARSE_ROWS).map(csv.cells);
            body += Papa.unparse(part, UNPARSE_CONFIG) + TEXT_NEWLINE;
          }
          await writeFile(path, body);
        },
        (path, csv) =>
          withCodecContext('text', path, async () => {
            const rows = parseWhole(await readFile(path, 'utf8'));
            const out = new Array<unknown>(rows.length);
            for (let i = 0; i < rows.length; i++) out[i] = csv.build(rows[i], i);
            return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
          }),
      ),
    ),
  async dump(data, path) {
    const body = Papa.unparse(data as unknown as unknown[][], UNPARSE_CONFIG);
    await writeFile(path, data.length > 0 ? body + TEXT_NEWLINE : '');
  },
  load(path) {
    return withCodecContext('text', path, async () => {
      const rows = parseWhole(await readFile(path, 'utf8'));
      const out = new Array<Tuple>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = rowToTuple(rows[i], i);
      return out;
    });
  },
};
