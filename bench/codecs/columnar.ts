/**
 * columnar: the floor. The data as three columns with no per-record overhead,
 * loaded straight into typed arrays (the "preallocated NumPy array" of the
 * original experiment).
 *
 * File layout (all integers little-endian), 64-byte header then the columns:
 *   0  8 bytes  magic "SFPCOLS\n"
 *   8  uint32   format version (1)
 *  12  uint32   header bytes (64)
 *  16  uint64   N, the number of records
 *  24  uint32   string width W (20): bytes per string, latin1, NUL-padded
 *  28  uint32   column count (3), in this order: float64, uint64, string
 *  32  uint64   offset of the float64 column  (64)
 *  40  uint64   offset of the uint64 column   (64 + 8N)
 *  48  uint64   offset of the string column   (64 + 16N)
 *  56  uint64   total file bytes              (64 + (16 + W)N)
 * Every column starts 8-byte aligned. A file whose magic, version, layout or
 * size disagree with this is refused with a CodecError.
 *
 * Every other dataset but one with a union: format version 2, a typed array per
 * node of the schema with the schema's fingerprint in the header
 * (bench/codecs/mapping/columnar.ts, imported on the binding's init only).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { STRING_WIDTH } from '../data/datasets/tuples.js';
import type { Codec, ColumnarData, Tuple } from '../types.js';
import { CodecError, withCodecContext } from './errors.js';
import { CHUNK_BYTES, readFully, writeFully } from './stream-util.js';
import { tuplesOr } from './bind.js';
import { bindMapped, firstUnion } from './mapping/plan.js';

const NAME = 'columnar';
export const COLUMNAR_MAGIC = Buffer.from('SFPCOLS\n', 'latin1');
export const COLUMNAR_VERSION = 1;
export const COLUMNAR_HEADER_BYTES = 64;
const COLUMN_COUNT = 3;

/** Typed arrays use the host's byte order; the file is little-endian. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface ColumnarLayout {
  n: number;
  stringWidth: number;
  floatsOffset: number;
  intsOffset: number;
  stringsOffset: number;
  totalBytes: number;
}

export function columnarLayout(n: number, stringWidth = STRING_WIDTH): ColumnarLayout {
  const floatsOffset = COLUMNAR_HEADER_BYTES;
  const intsOffset = floatsOffset + 8 * n;
  const stringsOffset = intsOffset + 8 * n;
  return { n, stringWidth, floatsOffset, intsOffset, stringsOffset, totalBytes: stringsOffset + stringWidth * n };
}

export function encodeHeader(l: ColumnarLayout): Buffer {
  const h = Buffer.alloc(COLUMNAR_HEADER_BYTES);
  COLUMNAR_MAGIC.copy(h, 0);
  h.writeUInt32LE(COLUMNAR_VERSION, 8);
  h.writeUInt32LE(COLUMNAR_HEADER_BYTES, 12);
  h.writeBigUInt64LE(BigInt(l.n), 16);
  h.writeUInt32LE(l.stringWidth, 24);
  h.writeUInt32LE(COLUMN_COUNT, 28);
  h.writeBigUInt64LE(BigInt(l.floatsOffset), 32);
  h.writeBigUInt64LE(BigInt(l.intsOffset), 40);
  h.writeBigUInt64LE(BigInt(l.stringsOffset), 48);
  h.writeBigUInt64LE(BigInt(l.totalBytes), 56);
  return h;
}

/** Check a header against the one layout version 1 allows; `fileBytes` is the actual size. */
export function decodeHeader(h: Buffer, fileBytes: number, path: string): ColumnarLayout {
  const fail = (msg: string): never => {
    throw new CodecError(NAME, path, msg);
  };
  if (h.length < COLUMNAR_HEADER_BYTES) fail(`truncated: ${fileBytes} bytes, shorter than the ${COLUMNAR_HEADER_BYTES}-byte header`);
  if (!h.subarray(0, 8).equals(COLUMNAR_MAGIC)) fail(`not a columnar file: bad magic bytes ${JSON.stringify(h.subarray(0, 8).toString('latin1'))}`);
  const version = h.readUInt32LE(8);
  if (version !== COLUMNAR_VERSION)
    fail(
      `unsupported format version ${version} (the tuples are read as version ${COLUMNAR_VERSION}${version === 2 ? '; version 2 holds other datasets' : ''})`,
    );
  const n64 = h.readBigUInt64LE(16);
  if (n64 > BigInt(Number.MAX_SAFE_INTEGER)) fail(`record count ${n64} is not plausible`);
  const expected = columnarLayout(Number(n64), h.readUInt32LE(24));
  if (expected.stringWidth !== STRING_WIDTH) fail(`unsupported string width ${expected.stringWidth} (expected ${STRING_WIDTH})`);
  const got = [h.readUInt32LE(12), h.readUInt32LE(28), ...[32, 40, 48, 56].map((o) => Number(h.readBigUInt64LE(o)))];
  const want = [COLUMNAR_HEADER_BYTES, COLUMN_COUNT, expected.floatsOffset, expected.intsOffset, expected.stringsOffset, expected.totalBytes];
  if (got.some((v, i) => v !== want[i])) fail(`unsupported layout: header fields ${got.join(',')}, expected ${want.join(',')} for N=${expected.n}`);
  if (fileBytes !== expected.totalBytes) {
    fail(
      `${fileBytes < expected.totalBytes ? 'truncated' : 'size mismatch'}: file is ${fileBytes} bytes, header says ${expected.totalBytes} (N=${expected.n})`,
    );
  }
  return expected;
}

/** Write one column in CHUNK_BYTES pieces through a reused buffer: `fill(buf, from, count)` encodes records [from, from+count). */
async function writeColumn(
  fh: FileHandle,
  n: number,
  bytesPerRecord: number,
  scratch: Buffer,
  fill: (buf: Buffer, from: number, count: number) => void,
): Promise<void> {
  const perChunk = Math.floor(scratch.length / bytesPerRecord);
  for (let from = 0; from < n; from += perChunk) {
    const count = Math.min(perChunk, n - from);
    fill(scratch, from, count);
    await writeFully(fh, scratch.subarray(0, count * bytesPerRecord));
  }
}

/** Write tuples in the columnar layout, column by column, never holding more than one chunk. */
export async function dumpColumnar(data: readonly Tuple[], path: string): Promise<void> {
  const layout = columnarLayout(data.length);
  const w = layout.stringWidth;
  const scratch = Buffer.alloc(CHUNK_BYTES);
  const fh = await open(path, 'w');
  try {
    await writeFully(fh, encodeHeader(layout));
    await writeColumn(fh, data.length, 8, scratch, (buf, from, count) => {
      for (let i = 0; i < count; i++) buf.writeDoubleLE(data[from + i]![0], 8 * i);
    });
    await writeColumn(fh, data.length, 8, scratch, (buf, from, count) => {
      for (let i = 0; i < count; i++) buf.writeBigUInt64LE(data[from + i]![2], 8 * i);
    });
    await writeColumn(fh, data.length, w, scratch, (buf, from, count) => {
      buf.fill(0, 0, count * w);
      for (let i = 0; i < count; i++) {
        const s = data[from + i]![1];
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is latin1 without NUL, control characters included on purpose
        if (s.length > w || !/^[\x01-\xff]*$/.test(s)) {
          throw new RangeError(`record ${from + i}: string ${JSON.stringify(s)} is not at most ${w} latin1 characters (NUL excluded)`);
        }
        buf.write(s, i * w, 'latin1');
      }
    });
  } finally {
    await fh.close();
  }
}

/** Read a columnar file into three typed arrays, each read straight from the file into its own allocation. */
export async function loadColumnar(path: string): Promise<ColumnarData> {
  if (!LITTLE_ENDIAN) throw new CodecError(NAME, path, 'big-endian hosts are not supported');
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(COLUMNAR_HEADER_BYTES, size));
    await readFully(fh, head, 0);
    const l = decodeHeader(head, size, path);
    const floats = new Float64Array(l.n);
    const ints = new BigUint64Array(l.n);
    const strings = new Uint8Array(l.n * l.stringWidth);
    for (const [col, offset] of [
      [floats, l.floatsOffset],
      [ints, l.intsOffset],
      [strings, l.stringsOffset],
    ] as const) {
      const bytes = new Uint8Array(col.buffer, col.byteOffset, col.byteLength);
      const got = await readFully(fh, bytes, offset);
      if (got !== bytes.byteLength) throw new CodecError(NAME, path, `truncated while reading: got ${got} of ${bytes.byteLength} bytes at ${offset}`);
    }
    return { kind: 'columnar', n: l.n, floats, ints, strings, stringWidth: l.stringWidth };
  } finally {
    await fh.close();
  }
}

/** How version 2 carries each type (the codec's description ends with it). */
export const COLUMNAR_CARRIES =
  'Other datasets (version 2, the schema fingerprint in the header): one typed array per node of the schema, depth-first: f64, f32, int32, uint64 as Float64Array, Float32Array, Int32Array, BigUint64Array; bool as bytes 0/1; enum as its symbol index (Uint8Array, or Uint16Array above 256 symbols); string as UTF-8 (a lone surrogate becomes U+FFFD) and bytes, each with Int32 offsets; optional as a validity bitmap over a child with every slot; list, map (key and value columns) and variable vector as Int32 offsets into their elements, a fixed-length vector as one flat typed array; a union has no layout (n/a).';

export const columnar: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'columns',
  extension: 'cols',
  description: `Typed-array columns: 64-byte header (magic, version, N, layout), then float64[N], uint64[N] (little-endian), N fixed 20-byte latin1 strings; loads into Float64Array / BigUint64Array / Uint8Array. ${COLUMNAR_CARRIES}`,
  forDataset: (dataset) =>
    tuplesOr(columnar, dataset, (schema) => {
      const union = firstUnion(schema);
      return bindMapped(
        union === null ? null : { unsupported: 'the columnar format has no layout for a union', path: union },
        async () => (await import('./mapping/columnar.js')).columnarMapping(schema, NAME),
        (rows, path, m) => withCodecContext(NAME, path, () => m.dump(rows, path)),
        (path, m) => withCodecContext(NAME, path, () => m.load(path)),
      );
    }),
  dump(data, path) {
    return withCodecContext(NAME, path, () => dumpColumnar(data, path));
  },
  load(path) {
    return withCodecContext(NAME, path, () => loadColumnar(path));
  },
};
