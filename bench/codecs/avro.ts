/**
 * avro: Apache Avro with avsc, whole document: one Avro binary value of the
 * schema `array<Tuple>`, no container-file header (the reader must know the
 * schema, as with a single-object message).
 *
 *   record Tuple { double f; string s; fixed uint64_t(8) u  (logicalType "uint64") }
 *
 * uint64: Avro's only 64-bit integer, `long`, is signed, and avsc refuses a
 * BigInt for it (it maps long to a JS number and throws beyond 2**53). The
 * value is written instead as a `fixed` of 8 bytes, big-endian (the byte order
 * of Avro's own `decimal` logical type), annotated with the logical type
 * `uint64`, mapped to a BigInt by the small avsc LogicalType below. Every value
 * in [0, 2**64) comes back exact, and a reader that does not know the logical
 * type sees 8 raw bytes, never a wrong (negative) number, which is why this was
 * chosen over a long holding the two's-complement reinterpretation. Fixed
 * width also beats a zigzag varint for uniform 64-bit values (8 bytes against
 * 10).
 *
 * Dump converts the tuples to Tuple records ({f, s, u} objects, the shape avsc
 * encodes) and calls Type#toBuffer once. Load does not call Type#fromBuffer:
 * the array's block count comes straight from the file, and avsc preallocates
 * `new Array(count)` and then reads that many items even past the end of the
 * buffer, so a corrupt count made it hang or run out of memory. The array
 * blocks (count, optional byte size, items; a zero count ends the array) are
 * walked here instead, the count checked against the bytes left, and each item
 * decoded with the record type's own Type#decode, which stops at the buffer's
 * end.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type * as Avro from 'avsc';
import type { Codec, Tuple } from '../types.js';
import { CodecError, withCodecContext } from './errors.js';
import { once } from './lazy.js';
import { tuplesOnly } from './bind.js';

const NAME = 'avro';

export const TUPLE_SCHEMA = {
  type: 'record',
  name: 'Tuple',
  namespace: 'footprint',
  fields: [
    { name: 'f', type: 'double' },
    { name: 's', type: 'string' },
    { name: 'u', type: { type: 'fixed', name: 'uint64_t', size: 8, logicalType: 'uint64' } },
  ],
} as const;

/** avsc, the uint64 logical type and the types built from our schema, made once on first use (lazy.ts). */
export const avroLib = once(async () => {
  const avro = (await import('avsc')).default;
  /** The uint64 as Avro `fixed(8)`, big-endian, with logicalType 'uint64'. */
  class Uint64Type extends avro.types.LogicalType {
    protected override _fromValue(buf: Buffer): bigint {
      return buf.readBigUInt64BE(0);
    }
    protected override _toValue(n: unknown): Buffer | undefined {
      if (typeof n !== 'bigint' || n < 0n || n >= 18446744073709551616n) return undefined; // avsc then reports the value invalid
      const buf = Buffer.allocUnsafe(8);
      buf.writeBigUInt64BE(n, 0);
      return buf;
    }
    protected override _resolve(type: Avro.Type): ((v: unknown) => unknown) | undefined {
      return avro.Type.isType(type, 'logical:uint64') ? (v) => v : undefined;
    }
  }
  /** Fresh options for each forSchema call: avsc stores its registry of named types in the options object. */
  const typeOptions = (): Partial<Avro.ForSchemaOptions> => ({ logicalTypes: { uint64: Uint64Type } });
  /** The record type, as avsc builds it from a schema (ours or the one in a container file's header). */
  const tupleType = (schema: unknown = TUPLE_SCHEMA): Avro.Type => avro.Type.forSchema(schema as Avro.Schema, typeOptions());
  const item = tupleType();
  return {
    avro,
    tupleType,
    item,
    array: avro.Type.forSchema({ type: 'array', items: item } as unknown as Avro.Schema, typeOptions()),
    long: avro.Type.forSchema('long'),
  };
});

export interface TupleRecord {
  f: number;
  s: string;
  u: bigint;
}

export function toRecord(t: Tuple): TupleRecord {
  return { f: t[0], s: t[1], u: t[2] };
}

/** A decoded record as a tuple, checking its shape (a container file carries its own schema, which may not be ours). */
export function fromRecord(r: unknown, i: number): Tuple {
  const rec = r as Partial<TupleRecord> | null;
  if (!rec || typeof rec.f !== 'number' || typeof rec.s !== 'string' || typeof rec.u !== 'bigint') {
    throw new TypeError(`record ${i} is not a Tuple {double f; string s; uint64 u}`);
  }
  return [rec.f, rec.s, rec.u];
}

/** Smallest encoding of one Tuple: 8 (double) + 1 (string length 0) + 8 (fixed). */
const MIN_ITEM_BYTES = 17;

export const avroCodec: Codec = {
  name: NAME,
  kind: 'whole',
  returns: 'rows',
  extension: 'avro-bin',
  description:
    'Apache Avro binary of one array<Tuple> value via avsc (Type#toBuffer; read block by block with Type#decode); uint64 as fixed(8) big-endian with logicalType uint64, read as a BigInt (Avro long is signed).',
  packages: ['avsc'],
  async init() {
    await avroLib();
  },
  forDataset: (dataset) => tuplesOnly(avroCodec, dataset),
  async dump(data, path) {
    const { array } = await avroLib();
    await writeFile(path, array.toBuffer(data.map(toRecord)));
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const { item: ITEM, long: LONG } = await avroLib();
      const buf = await readFile(path);
      const fail = (pos: number, why: string): never => {
        throw new CodecError(NAME, path, `byte ${pos}: ${why}`);
      };
      const out: Tuple[] = [];
      let pos = 0;
      for (;;) {
        const head = LONG.decode(buf, pos);
        if (head.offset < 0) fail(pos, 'truncated: file ends inside an array block count');
        let count = head.value as number;
        pos = head.offset;
        if (count === 0) break;
        if (count < 0) {
          // a negative count is followed by the block's size in bytes
          count = -count;
          const size = LONG.decode(buf, pos);
          if (size.offset < 0) fail(pos, 'truncated: file ends inside an array block size');
          pos = size.offset;
        }
        if (!Number.isSafeInteger(count) || count * MIN_ITEM_BYTES > buf.length - pos) {
          fail(pos, `array block of ${count} items cannot fit in the ${buf.length - pos} bytes left (corrupt or not an avro array)`);
        }
        for (let k = 0; k < count; k++) {
          const item = ITEM.decode(buf, pos);
          if (item.offset < 0) fail(pos, `truncated: file ends inside record ${out.length}`);
          out.push(fromRecord(item.value, out.length));
          pos = item.offset;
        }
      }
      if (pos !== buf.length) fail(pos, `${buf.length - pos} bytes of trailing data after the array`);
      return out;
    });
  },
};
