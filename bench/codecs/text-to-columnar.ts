/**
 * text-to-columnar: the NumPy analog. Dump writes the `text` file (the same
 * bytes as `text-stream`); load scans it line by line straight into
 * preallocated typed arrays and returns the columnar view.
 *
 * - Byte-level scanner (stream-util `scanLines`), not papaparse: papaparse hands
 *   out a string per field and an array per row; here the 20 string bytes are
 *   copied from the file chunk into the string column without ever becoming a
 *   JS string, the uint64 is accumulated from its digits, and only the float
 *   field becomes a (short-lived) string for Number().
 *   The format is the one we write (no quoting); a quote is refused.
 * - Preallocation: N is not in the file, so a first streaming pass counts the
 *   lines (one chunk in memory, the file is in the page cache afterwards).
 *   Growing arrays geometrically instead would peak at old + new capacity
 *   (up to 3x the final columns during a copy); counting keeps the peak at
 *   exactly the columns' size, which is what this codec is here to show.
 * - Other flat datasets (mapping/flat.ts): the file as text-stream writes it, RFC 4180
 *   quoting included; loaded by a quote-aware scanner (a quoted field may hold commas, quotes and
 *   LFs, so the first pass counts records, not LFs) into one column per field in the schema's
 *   shape: typed arrays of numbers, bools as bytes, enums as symbol indices, strings as UTF-8 bytes
 *   and offsets, nulls in a bitmap, a fixed vector's elements in one typed array (mapping/csv.ts).
 */
import { STRING_WIDTH } from '../data/datasets/tuples.js';
import type { Codec, ColumnarData } from '../types.js';
import { withCodecContext } from './errors.js';
import { countLines, scanLines } from './stream-util.js';
import { writeRecordLines, writeTextLines } from './text-stream.js';
import { LITTLE_ENDIAN } from './columnar.js';
import { parseFloatField } from './tuples.js';
import { parseUint64Bytes } from './mapping/flat.js';
import { tuplesOr } from './bind.js';
import { bindText, TEXT_CARRIES } from './text.js';

const NAME = 'text-to-columnar';
const COMMA = 0x2c;
const QUOTE = 0x22;

export async function loadTextColumnar(path: string): Promise<ColumnarData> {
  const capacity = await countLines(path);
  const w = STRING_WIDTH;
  const floats = new Float64Array(capacity);
  const ints = new BigUint64Array(capacity);
  if (!LITTLE_ENDIAN) throw new Error('big-endian hosts are not supported');
  const intWords = new Uint32Array(ints.buffer, ints.byteOffset, 2 * capacity); // [lo, hi] per record
  const strings = new Uint8Array(capacity * w);
  let n = 0;
  await scanLines(path, (buf, start, end, lineNo) => {
    if (start === end) return; // blank line, skipped as the text codecs do
    const c1 = buf.indexOf(COMMA, start);
    const c2 = c1 < 0 ? -1 : buf.indexOf(COMMA, c1 + 1);
    const c3 = c2 < 0 ? -1 : buf.indexOf(COMMA, c2 + 1);
    if (c1 < 0 || c2 < 0 || c2 >= end || (c3 >= 0 && c3 < end)) {
      throw new TypeError(`line ${lineNo} does not have 3 fields`);
    }
    if (c2 - c1 - 1 > w) throw new RangeError(`line ${lineNo}: string field is longer than ${w} bytes`);
    if (n >= capacity) throw new Error(`line ${lineNo}: file grew while being read`);
    const base = n * w;
    for (let p = c1 + 1; p < c2; p++) {
      const b = buf[p]!;
      if (b === 0 || b === QUOTE || b >= 0x80)
        throw new TypeError(`line ${lineNo}: string field has byte 0x${b.toString(16)} (only unquoted ASCII is supported)`);
      strings[base + p - c1 - 1] = b;
    }
    floats[n] = parseFloatField(buf.toString('latin1', start, c1), lineNo - 1);
    parseUint64Bytes(buf, c2 + 1, end, intWords, n, lineNo);
    n++;
  });
  // blank lines leave spare capacity: expose only the filled part
  return n === capacity
    ? { kind: 'columnar', n, floats, ints, strings, stringWidth: w }
    : { kind: 'columnar', n, floats: floats.subarray(0, n), ints: ints.subarray(0, n), strings: strings.subarray(0, n * w), stringWidth: w };
}

export const textToColumnar: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'columns',
  extension: 'csv',
  description: `The \`text\` file (written as by text-stream), loaded line by line by a byte-level scanner into preallocated Float64Array / BigUint64Array / 20-byte string columns (lines counted in a first streaming pass). ${TEXT_CARRIES} Loaded by a quote-aware scanner into typed-array columns (strings as UTF-8 bytes and offsets, enums as indices), records and string bytes counted in a first pass.`,
  forDataset: (dataset) =>
    tuplesOr(textToColumnar, dataset, (schema) =>
      bindText(schema, writeRecordLines(NAME), (path, csv) => withCodecContext(NAME, path, () => csv.loadColumns(path))),
    ),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeTextLines(data, path);
    });
  },
  load(path) {
    return withCodecContext(NAME, path, () => loadTextColumnar(path));
  },
};
