/**
 * columnar v2 (design docs/design/datasets.md §5.4): any dataset but a union as typed arrays, one
 * buffer per node of the schema in depth-first order, read back straight into typed arrays and
 * returned as the ColumnData that bench/data/columns.ts hashes without building rows.
 *
 * Buffers per node (slots: N at the top, the offsets' total below a list, map or variable vector):
 *   optional            validity bitmap, bit i (LSB first) set = present, then its value's buffers with
 *                       a slot for every parent slot (absent slots hold zeros / empty: a sparse child)
 *   f64 f32 int32 uint64  Float64Array, Float32Array, Int32Array, BigUint64Array
 *   bool                Uint8Array of 0/1
 *   enum                the symbol's index in the schema: Uint8Array (≤ 256 symbols) or Uint16Array
 *   string, bytes       Int32Array offsets (slots + 1), then the UTF-8 / raw bytes
 *   list                Int32Array offsets, then its element's buffers
 *   map                 Int32Array offsets, then the keys' (a string) and the values' buffers
 *   vector              fixed length k: the elements (slots × k); variable: Int32Array offsets, then the elements
 *   record, tuple       each field's buffers in declaration order
 * The validity is a bitmap, not one byte per slot as §5.4 first wrote: ColumnData's `nullBitmap` is
 * bits for every source (columns.ts), so the bitmap is read straight into it.
 *
 * File (integers little-endian): a 64-byte header, then the directory, then the buffers, each
 * 8-byte aligned:
 *   0  8 bytes  magic "SFPCOLS\n"          24  16 bytes  the schema fingerprint's first 16 bytes
 *   8  uint32   format version (2)         40  uint32    buffer count B
 *  12  uint32   header bytes (64 + 16B)    44  uint32    0
 *  16  uint64   N, the number of records   48  uint64    total file bytes
 *                                          56  uint64    0
 *  64  B × (uint64 offset, uint64 length)
 * The header is written last (it needs the buffers' lengths): a dump that stopped half-way leaves a
 * file whose magic is zeros. A file whose header, fingerprint, directory or offsets disagree with
 * the dataset's schema is refused with a CodecError naming what and where, before anything is
 * hashed (a bad offset would otherwise read outside its buffer).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ColumnData } from '../../data/columns.js';
import { showValue } from '../../data/hash.js';
import { type RecordSchema, schemaFingerprint, type Type } from '../../data/schema.js';
import type { LoadedData } from '../../types.js';
import { CodecError } from '../errors.js';
import { CHUNK_BYTES, readFully } from '../stream-util.js';

/** Version 1's magic (../columnar.ts: not imported, the codec imports this module): the version field tells them apart. */
const COLUMNAR_MAGIC = Buffer.from('SFPCOLS\n', 'latin1');
const COLUMNAR_V2 = 2;
/** Typed arrays use the host's byte order; the file is little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const FIXED_HEADER_BYTES = 64;
const FINGERPRINT_BYTES = 16;
const MAX_OFFSET = 2 ** 31 - 1;

/** Element types of the buffers, and the typed arrays a load reads them into. */
const ARRAYS = {
  f64: Float64Array,
  f32: Float32Array,
  int32: Int32Array,
  uint64: BigUint64Array,
  u8: Uint8Array,
  u16: Uint16Array,
} as const;
type Element = keyof typeof ARRAYS;
type Typed = InstanceType<(typeof ARRAYS)[Element]>;

/** A slot below an absent optional: written as zeros or empty, unlike a null in the data, which is refused. */
const ABSENT: unique symbol = Symbol('absent');
type Emit = (v: unknown) => void;
/** Calls `emit` with the value of every slot of one node, in order, over all records. */
type Walk = (rows: readonly unknown[], emit: Emit) => void;

/**
 * Bytes out through one reused 64 KiB scratch, flushed with a positioned synchronous write when full:
 * the dump never holds more than this chunk beyond the records. Synchronous because the values come
 * from nested callbacks (a walk over the records per buffer) that cannot await a write; a measured
 * dump child does nothing else meanwhile, and its memory is the same as an awaited write's.
 */
class ChunkWriter {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private pos = 0;
  private bits = 0;
  private bitCount = 0;

  constructor(
    private readonly fd: number,
    /** File position of the next byte. */
    public filePos: number,
    size = CHUNK_BYTES,
  ) {
    this.buf = Buffer.alloc(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, size);
  }

  private room(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.flush();
  }

  private out(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.filePos + off);
    this.filePos += bytes.length;
  }

  flush(): void {
    if (this.pos === 0) return;
    this.out(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Bytes written or buffered so far, as a file position. */
  get position(): number {
    return this.filePos + this.pos;
  }

  put(e: Element, v: number | bigint): void {
    switch (e) {
      case 'f64':
        this.room(8);
        this.view.setFloat64(this.pos, v as number, true);
        this.pos += 8;
        return;
      case 'f32':
        this.room(4);
        this.view.setFloat32(this.pos, v as number, true);
        this.pos += 4;
        return;
      case 'int32':
        this.room(4);
        this.view.setInt32(this.pos, v as number, true);
        this.pos += 4;
        return;
      case 'uint64':
        this.room(8);
        this.view.setBigUint64(this.pos, v as bigint, true);
        this.pos += 8;
        return;
      case 'u16':
        this.room(2);
        this.view.setUint16(this.pos, v as number, true);
        this.pos += 2;
        return;
      case 'u8':
        this.room(1);
        this.buf[this.pos++] = v as number;
    }
  }

  /** Raw bytes; a value longer than the scratch goes to the file straight from its own memory. */
  bytes(b: Uint8Array): void {
    if (this.pos + b.length <= this.buf.length) {
      this.buf.set(b, this.pos);
      this.pos += b.length;
      return;
    }
    this.flush();
    if (b.length > this.buf.length) this.out(b);
    else {
      this.buf.set(b, 0);
      this.pos = b.length;
    }
  }

  /** A string as UTF-8 (lone surrogates become U+FFFD), `byteLength` bytes; a long one in pieces that never split a surrogate pair. */
  utf8(s: string, byteLength: number): void {
    if (this.pos + byteLength > this.buf.length) this.flush();
    if (byteLength <= this.buf.length) {
      this.pos += this.buf.write(s, this.pos, 'utf8');
      return;
    }
    const piece = Math.floor(this.buf.length / 3); // UTF-16 units per piece: at most 3 UTF-8 bytes each
    for (let i = 0; i < s.length; ) {
      let end = Math.min(s.length, i + piece);
      const last = s.charCodeAt(end - 1);
      if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--; // keep a pair together
      this.flush();
      this.pos = this.buf.write(s.slice(i, end), 0, 'utf8');
      i = end;
    }
  }

  /** One validity bit (LSB first); `endBits` writes the last partial byte. */
  bit(on: boolean): void {
    if (on) this.bits |= 1 << this.bitCount;
    if (++this.bitCount === 8) this.endBits();
  }

  endBits(): void {
    if (this.bitCount === 0) return;
    this.put('u8', this.bits);
    this.bits = 0;
    this.bitCount = 0;
  }

  /** Zeros up to the next multiple of 8 of the file position. */
  align(): void {
    while (this.position % 8 !== 0) this.put('u8', 0);
  }
}

/** A buffer of the layout: its name in messages, and how the dump streams it. */
interface BufferPlan {
  readonly name: string;
  write(rows: readonly unknown[], out: ChunkWriter): void;
}

/** Reads the next buffer of the file as `count` elements, checked against the directory. */
type Take = (name: string, e: Element, count: number) => Promise<Typed>;

/** A node of the schema: its buffers (its descendants' included, depth-first), and how a load builds its column. */
interface Part {
  readonly buffers: readonly BufferPlan[];
  build(slots: number, take: Take): Promise<ColumnData>;
}

/** A value that does not fit the schema: refused by the dump, naming the field. */
function misfit(path: string, kind: string, v: unknown): never {
  throw new TypeError(`${path}: ${showValue(v)} is not a ${kind}${v === null || v === undefined ? ' (the field is not optional)' : ''}`);
}

function offsetsPlan(path: string, walk: Walk, size: (v: unknown) => number): BufferPlan {
  return {
    name: `${path}: offsets`,
    write(rows, out) {
      let total = 0;
      out.put('int32', 0);
      walk(rows, (v) => {
        total += v === ABSENT ? 0 : size(v);
        if (total > MAX_OFFSET) throw new RangeError(`${path}: more than ${MAX_OFFSET} bytes or elements in one column (Int32 offsets)`);
        out.put('int32', total);
      });
    },
  };
}

/** Reads an offsets buffer and checks it starts at 0 and never decreases: its last value is the child's slots. */
async function takeOffsets(take: Take, path: string, slots: number): Promise<Int32Array> {
  const name = `${path}: offsets`;
  const off = (await take(name, 'int32', slots + 1)) as Int32Array;
  if (off[0] !== 0) throw new LayoutError(`${name}: the first offset is ${off[0]}, not 0`);
  for (let i = 1; i <= slots; i++)
    if (off[i]! < off[i - 1]!) throw new LayoutError(`${name}: offset ${i} (${off[i]}) is below offset ${i - 1} (${off[i - 1]})`);
  return off;
}

/** The file disagrees with the schema (the load wraps it into a CodecError naming the file). */
class LayoutError extends Error {}

function scalar(
  path: string,
  walk: Walk,
  e: Element,
  kind: string,
  fits: (v: unknown) => boolean,
  encode: (v: unknown) => number | bigint = (v) => v as number,
): Part {
  const zero = e === 'uint64' ? 0n : 0;
  const name = `${path}: ${ARRAYS[e].name}`;
  return {
    buffers: [
      {
        name,
        write: (rows, out) =>
          walk(rows, (v) => {
            if (v === ABSENT) out.put(e, zero);
            else if (fits(v)) out.put(e, encode(v));
            else misfit(path, kind, v);
          }),
      },
    ],
    build: async (slots, take) => ({ length: slots, offset: 0, values: await take(name, e, slots) }),
  };
}

const isNumber = (v: unknown): boolean => typeof v === 'number';
const VECTOR_ELEMENT = { f32: 'f32', f64: 'f64', int32: 'int32', uint8: 'u8' } as const;

/** A child node's walk: the values `each` finds in every slot of the parent walk (nothing in an absent one but `absent`). */
function below(walk: Walk, each: (v: unknown, emit: Emit) => void, absent?: (emit: Emit) => void): Walk {
  return (rows, emit) =>
    walk(rows, (v) => {
      if (v !== ABSENT) each(v, emit);
      else absent?.(emit);
    });
}

function compile(type: Type, path: string, walk: Walk): Part {
  switch (type.kind) {
    case 'f64':
    case 'f32':
    case 'int32':
      return scalar(path, walk, type.kind, type.kind, isNumber);
    case 'uint64':
      return scalar(path, walk, 'uint64', 'uint64', (v) => typeof v === 'bigint');
    case 'bool':
      return scalar(
        path,
        walk,
        'u8',
        'bool',
        (v) => typeof v === 'boolean',
        (v) => (v ? 1 : 0),
      );
    case 'enum': {
      const index = new Map<unknown, number>(type.symbols.map((s, i) => [s, i]));
      return scalar(
        path,
        walk,
        type.symbols.length <= 256 ? 'u8' : 'u16',
        `symbol of ${type.name}`,
        (v) => index.has(v),
        (v) => index.get(v)!,
      );
    }
    case 'string':
    case 'bytes': {
      const isString = type.kind === 'string';
      const check = (v: unknown): string | Uint8Array =>
        (isString ? typeof v === 'string' : v instanceof Uint8Array) ? (v as string | Uint8Array) : misfit(path, type.kind, v);
      const size = (v: unknown): number => {
        const x = check(v);
        return typeof x === 'string' ? Buffer.byteLength(x, 'utf8') : x.length;
      };
      const name = `${path}: ${isString ? 'UTF-8' : 'bytes'}`;
      return {
        buffers: [
          offsetsPlan(path, walk, size),
          {
            name,
            write: (rows, out) =>
              walk(rows, (v) => {
                if (v === ABSENT) return;
                const x = check(v);
                if (typeof x === 'string') out.utf8(x, Buffer.byteLength(x, 'utf8'));
                else out.bytes(x);
              }),
          },
        ],
        build: async (slots, take) => {
          const valueOffsets = await takeOffsets(take, path, slots);
          return { length: slots, offset: 0, valueOffsets, values: await take(name, 'u8', valueOffsets[slots]!) };
        },
      };
    }
    case 'optional': {
      const name = `${path}: validity`;
      const inner = compile(
        type.of,
        `${path}?`,
        below(
          walk,
          (v, emit) => emit(v === null || v === undefined ? ABSENT : v),
          (emit) => emit(ABSENT),
        ),
      );
      return {
        buffers: [
          {
            name,
            write(rows, out) {
              walk(rows, (v) => out.bit(v !== ABSENT && v !== null && v !== undefined));
              out.endBits();
            },
          },
          ...inner.buffers,
        ],
        build: async (slots, take) => {
          const nullBitmap = (await take(name, 'u8', Math.ceil(slots / 8))) as Uint8Array;
          return { ...(await inner.build(slots, take)), nullBitmap };
        },
      };
    }
    case 'list': {
      const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : misfit(path, 'list', v));
      const child = compile(
        type.of,
        `${path}[]`,
        below(walk, (v, emit) => {
          for (const e of list(v)) emit(e);
        }),
      );
      return {
        buffers: [offsetsPlan(path, walk, (v) => list(v).length), ...child.buffers],
        build: async (slots, take) => {
          const valueOffsets = await takeOffsets(take, path, slots);
          return { length: slots, offset: 0, valueOffsets, children: [await child.build(valueOffsets[slots]!, take)] };
        },
      };
    }
    case 'map': {
      const map = (v: unknown): Record<string, unknown> =>
        typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) ? (v as Record<string, unknown>) : misfit(path, 'map', v);
      const keys = compile(
        { kind: 'string' },
        `${path}{key}`,
        below(walk, (v, emit) => {
          for (const k of Object.keys(map(v))) emit(k);
        }),
      );
      const values = compile(
        type.values,
        `${path}{}`,
        below(walk, (v, emit) => {
          const m = map(v);
          for (const k of Object.keys(m)) emit(m[k]);
        }),
      );
      return {
        buffers: [offsetsPlan(path, walk, (v) => Object.keys(map(v)).length), ...keys.buffers, ...values.buffers],
        build: async (slots, take) => {
          const valueOffsets = await takeOffsets(take, path, slots);
          const entries = valueOffsets[slots]!;
          const k = await keys.build(entries, take);
          const entry: ColumnData = { length: entries, offset: 0, children: [k, await values.build(entries, take)] };
          return { length: slots, offset: 0, valueOffsets, children: [entry] };
        },
      };
    }
    case 'vector': {
      const e = VECTOR_ELEMENT[type.element];
      const Typed = ARRAYS[e];
      const fixed = type.length;
      const vector = (v: unknown): ArrayLike<number> => {
        const ok = v instanceof Typed || (Array.isArray(v) && v.every(isNumber));
        if (!ok || (fixed !== undefined && (v as ArrayLike<number>).length !== fixed))
          misfit(path, `vector<${type.element}${fixed === undefined ? '' : `, ${fixed}`}>`, v);
        return v as ArrayLike<number>;
      };
      const name = `${path}: ${Typed.name}`;
      const elements: BufferPlan = {
        name,
        write: (rows, out) =>
          walk(rows, (v) => {
            if (v === ABSENT) {
              for (let i = 0; i < (fixed ?? 0); i++) out.put(e, 0);
              return;
            }
            // element by element: reading a small typed array's `.buffer` would move its elements off the V8 heap
            // into a backing store of their own (mesh: +77 MiB for 90,000 records), changing the records themselves
            const a = vector(v);
            for (let i = 0; i < a.length; i++) out.put(e, a[i]!);
          }),
      };
      if (fixed !== undefined) {
        return {
          buffers: [elements],
          build: async (slots, take) => ({
            length: slots,
            offset: 0,
            stride: fixed,
            children: [{ length: slots * fixed, offset: 0, values: await take(name, e, slots * fixed) }],
          }),
        };
      }
      return {
        buffers: [offsetsPlan(path, walk, (v) => vector(v).length), elements],
        build: async (slots, take) => {
          const valueOffsets = await takeOffsets(take, path, slots);
          const count = valueOffsets[slots]!;
          return { length: slots, offset: 0, valueOffsets, children: [{ length: count, offset: 0, values: await take(name, e, count) }] };
        },
      };
    }
    case 'record':
    case 'tuple': {
      const positional = type.kind === 'tuple';
      const fields = type.fields.map((f, i) => {
        const key = positional ? i : f.name;
        const at = path === '' ? f.name : positional ? `${path}[${i}]` : `${path}.${f.name}`;
        const fits = (v: unknown): boolean => (positional ? Array.isArray(v) : typeof v === 'object' && v !== null && !Array.isArray(v));
        return compile(
          f.type,
          at,
          below(
            walk,
            (v, emit) => emit(fits(v) ? (v as Record<string | number, unknown>)[key] : misfit(path || 'record', type.name, v)),
            (emit) => emit(ABSENT),
          ),
        );
      });
      return {
        buffers: fields.flatMap((f) => f.buffers),
        build: async (slots, take) => {
          const children: ColumnData[] = [];
          for (const f of fields) children.push(await f.build(slots, take)); // in order: each reads the next buffers
          return { length: slots, offset: 0, children };
        },
      };
    }
    case 'union':
      throw new Error(`${path}: a union has no columnar layout`);
  }
}

/** The v2 layout of a schema (no union): dump rows to a file, load a file into columns. */
export interface ColumnarMapping {
  /** The buffers in file order, by name (`items[].name: offsets`). */
  readonly bufferNames: readonly string[];
  dump(rows: readonly unknown[], path: string): Promise<void>;
  load(path: string): Promise<LoadedData>;
}

export function columnarMapping(schema: RecordSchema, codec = 'columnar'): ColumnarMapping {
  const root = compile(schema, '', (rows, emit) => {
    for (let i = 0; i < rows.length; i++) emit(rows[i]);
  });
  const fingerprint = Buffer.from(schemaFingerprint(schema).slice(0, 2 * FINGERPRINT_BYTES), 'hex');
  const count = root.buffers.length;
  const headerBytes = FIXED_HEADER_BYTES + 16 * count;

  async function dump(rows: readonly unknown[], path: string): Promise<void> {
    const fd = openSync(path, 'w');
    try {
      const out = new ChunkWriter(fd, headerBytes);
      const directory: [number, number][] = [];
      for (const b of root.buffers) {
        const start = out.position;
        b.write(rows, out);
        directory.push([start, out.position - start]);
        out.align();
      }
      out.flush();
      const h = Buffer.alloc(headerBytes);
      COLUMNAR_MAGIC.copy(h, 0);
      h.writeUInt32LE(COLUMNAR_V2, 8);
      h.writeUInt32LE(headerBytes, 12);
      h.writeBigUInt64LE(BigInt(rows.length), 16);
      fingerprint.copy(h, 24);
      h.writeUInt32LE(count, 40);
      h.writeBigUInt64LE(BigInt(out.position), 48);
      directory.forEach(([offset, length], i) => {
        h.writeBigUInt64LE(BigInt(offset), FIXED_HEADER_BYTES + 16 * i);
        h.writeBigUInt64LE(BigInt(length), FIXED_HEADER_BYTES + 16 * i + 8);
      });
      let off = 0;
      while (off < h.length) off += writeSync(fd, h, off, h.length - off, off);
    } finally {
      closeSync(fd);
    }
  }

  /** Reads and checks the header; returns N and the directory. */
  async function header(fh: FileHandle, size: number, fail: (msg: string) => never): Promise<{ n: number; directory: [number, number][] }> {
    if (size < FIXED_HEADER_BYTES) fail(`truncated: ${size} bytes, shorter than the ${FIXED_HEADER_BYTES}-byte header`);
    const h = Buffer.alloc(Math.min(size, headerBytes));
    await readFully(fh, h, 0);
    if (!h.subarray(0, 8).equals(COLUMNAR_MAGIC)) fail(`not a columnar file: bad magic bytes ${JSON.stringify(h.subarray(0, 8).toString('latin1'))}`);
    const version = h.readUInt32LE(8);
    if (version === 1) fail(`format version 1 holds the tuples only, not ${schema.name} records (version ${COLUMNAR_V2} holds other datasets)`);
    if (version !== COLUMNAR_V2) fail(`unsupported format version ${version} (this build reads versions 1 and ${COLUMNAR_V2})`);
    const theirs = h.subarray(24, 24 + FINGERPRINT_BYTES);
    if (!theirs.equals(fingerprint))
      fail(`written for another schema: its fingerprint ${theirs.toString('hex')}, this dataset's (${schema.name}) ${fingerprint.toString('hex')}`);
    const got = [h.readUInt32LE(12), h.readUInt32LE(40)];
    if (got[0] !== headerBytes || got[1] !== count)
      fail(`header says ${got[1]} buffers in ${got[0]} header bytes; the schema has ${count} buffers (${headerBytes} header bytes)`);
    if (size < headerBytes) fail(`truncated: ${size} bytes, shorter than the ${headerBytes}-byte header and directory`);
    const n64 = h.readBigUInt64LE(16);
    const total = h.readBigUInt64LE(48);
    if (total !== BigInt(size)) fail(`${BigInt(size) < total ? 'truncated' : 'size mismatch'}: file is ${size} bytes, header says ${total}`);
    if (n64 > BigInt(size)) fail(`record count ${n64} is not plausible for ${size} bytes`);
    const directory: [number, number][] = [];
    let end = headerBytes;
    for (let i = 0; i < count; i++) {
      const offset = Number(h.readBigUInt64LE(FIXED_HEADER_BYTES + 16 * i));
      const length = Number(h.readBigUInt64LE(FIXED_HEADER_BYTES + 16 * i + 8));
      if (offset < end || offset % 8 !== 0 || offset + length > size)
        fail(
          `directory entry ${i} (${root.buffers[i]!.name}): ${length} bytes at ${offset} is not an aligned span after the previous buffer within the ${size}-byte file`,
        );
      directory.push([offset, length]);
      end = offset + length;
    }
    return { n: Number(n64), directory };
  }

  async function load(path: string): Promise<LoadedData> {
    const fail = (msg: string): never => {
      throw new CodecError(codec, path, msg);
    };
    if (!LITTLE_ENDIAN) fail('big-endian hosts are not supported');
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const { n, directory } = await header(fh, size, fail);
      let next = 0;
      const take: Take = async (name, e, elements) => {
        const i = next++;
        const [offset, length] = directory[i]!;
        const want = elements * ARRAYS[e].BYTES_PER_ELEMENT;
        if (length !== want) throw new LayoutError(`${name}: the directory says ${length} bytes, the schema needs ${want} (${elements} × ${ARRAYS[e].name})`);
        const array = new ARRAYS[e](elements);
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        const got = await readFully(fh, bytes, offset);
        if (got !== length) throw new LayoutError(`${name}: truncated while reading: got ${got} of ${length} bytes at ${offset}`);
        return array;
      };
      let top: ColumnData;
      try {
        top = await root.build(n, take);
      } catch (err) {
        if (err instanceof LayoutError) fail(err.message);
        throw err;
      }
      // a columns load (LoadedData names only the tuples' forms; bench/data/columns.ts reads this one)
      return { kind: 'columnar', n, batches: [{ length: n, fields: top.children! }] } as unknown as LoadedData;
    } finally {
      await fh.close();
    }
  }

  return { bufferNames: root.buffers.map((b) => b.name), dump, load };
}
