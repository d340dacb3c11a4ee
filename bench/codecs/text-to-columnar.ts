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
 */
import { STRING_WIDTH } from '../data/datasets/tuples.js';
import type { Codec, ColumnarData } from '../types.js';
import { withCodecContext } from './errors.js';
import { countLines, scanLines } from './stream-util.js';
import { writeTextLines } from './text-stream.js';
import { LITTLE_ENDIAN } from './columnar.js';
import { parseFloatField } from './tuples.js';
import { tuplesOnly } from './bind.js';

const NAME = 'text-to-columnar';
const COMMA = 0x2c;
const QUOTE = 0x22;
const DIGIT_0 = 0x30;
const TWO_32 = 4294967296;

/**
 * Parse bytes [a, b) as a decimal uint64 (digits only, no sign, no leading zero,
 * below 2**64, the same rule as tuples.parseUint64) into two 32-bit words of
 * `words` at record `i`. Exact in doubles: lo * 10 + 9 < 2**36. Written by hand
 * so a row costs no string, regex match or BigInt: only the float field
 * becomes a (short-lived) string.
 */
function parseUint64Bytes(buf: Buffer, a: number, b: number, words: Uint32Array, i: number, lineNo: number): void {
  const len = b - a;
  if (len < 1 || len > 20 || (len > 1 && buf[a] === DIGIT_0)) {
    throw new TypeError(`line ${lineNo}: integer field is not a decimal uint64: ${JSON.stringify(buf.toString('latin1', a, Math.min(b, a + 40)))}`);
  }
  let lo = 0;
  let hi = 0;
  for (let p = a; p < b; p++) {
    const d = buf[p]! - DIGIT_0;
    if (d < 0 || d > 9) throw new TypeError(`line ${lineNo}: integer field is not a decimal uint64: ${JSON.stringify(buf.toString('latin1', a, b))}`);
    const l = lo * 10 + d;
    const carry = Math.floor(l / TWO_32);
    lo = l - carry * TWO_32;
    hi = hi * 10 + carry;
    if (hi >= TWO_32) throw new RangeError(`line ${lineNo}: integer ${buf.toString('latin1', a, b)} does not fit in 64 bits`);
  }
  words[2 * i] = lo;
  words[2 * i + 1] = hi;
}

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
  description:
    'The `text` file (written as by text-stream), loaded line by line by a byte-level scanner into preallocated Float64Array / BigUint64Array / 20-byte string columns (lines counted in a first streaming pass).',
  forDataset: (dataset) => tuplesOnly(textToColumnar, dataset),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeTextLines(data, path);
    });
  },
  load(path) {
    return withCodecContext(NAME, path, () => loadTextColumnar(path));
  },
};
