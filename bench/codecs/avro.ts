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
 *
 * Other datasets: `array<Record>` of the Avro schema built from theirs (mapping/avro.ts), read the
 * same way, the block-count guard at that schema's smallest encoded record; a union Avro cannot
 * write is n/a (avroCannotCarry).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type * as Avro from 'avsc';
import type { RecordSchema, Type } from '../data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Tuple, Unsupported } from '../types.js';
import { tuplesOr } from './bind.js';
import { CodecError, withCodecContext } from './errors.js';
import { once } from './lazy.js';
import type { AvroMapping } from './mapping/avro.js';
import { bindMapped, type Fix } from './mapping/plan.js';

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
    typeOptions,
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

/** How Avro carries a dataset's types (avro and avro-stream; mapping/avro.ts). */
export const AVRO_CARRIES =
  'Other datasets: an Avro schema built from the dataset\'s (record → record, list → array, map → map, optional → ["null", T], union → an Avro union, wrapped by avsc where it cannot tell the branches apart); f32 as float; uint64 as the fixed(8) above; bytes as bytes (read as Buffers); enums as enums (symbols that are no Avro names as S0…Sk); vectors as arrays of float/double/int (copied to plain arrays to write, read into typed arrays; uint8: bytes); tuples read back as arrays; field names that are no Avro names get valid ones; lone surrogates become U+FFFD.';

/** The first place Avro has no mapping for: a union directly inside a union, or two members Avro writes as the same type (two arrays, two bytes). Pure: the plan asks it. */
export function avroCannotCarry(schema: RecordSchema): Unsupported | null {
  const avroType = (t: Type): string =>
    t.kind === 'list' || (t.kind === 'vector' && t.element !== 'uint8')
      ? 'array'
      : t.kind === 'bytes' || t.kind === 'vector'
        ? 'bytes'
        : t.kind === 'record' || t.kind === 'tuple' || t.kind === 'enum'
          ? `${t.kind} ${t.name}`
          : t.kind;
  const visit = (t: Type, path: string): Unsupported | null => {
    switch (t.kind) {
      case 'optional':
        return visit(t.of, `${path}?`);
      case 'list':
        return visit(t.of, `${path}[]`);
      case 'map':
        return visit(t.values, `${path}{}`);
      case 'record':
      case 'tuple':
        for (const f of t.fields) {
          const u = visit(f.type, path === '' && t === schema ? f.name : `${path}.${f.name}`);
          if (u) return u;
        }
        return null;
      case 'union': {
        const seen = new Map<string, Type>();
        for (const [i, m] of t.of.entries()) {
          if (m.kind === 'union') return { unsupported: 'Avro has no union directly inside a union', path: `${path}|${i}` };
          const other = seen.get(avroType(m));
          if (other) return { unsupported: `Avro allows one ${avroType(m)} per union: the members ${other.kind} and ${m.kind} are both written as one`, path };
          seen.set(avroType(m), m);
          const u = visit(m, `${path}|${i}`);
          if (u) return u;
        }
        return null;
      }
      default:
        return null;
    }
  };
  return visit(schema, '');
}

/** avro and avro-stream bound to a dataset: the schema's Avro types and converters, built on init. */
export function bindAvro(
  schema: RecordSchema,
  write: (rows: readonly unknown[], path: string, m: AvroMapping, lib: Awaited<ReturnType<typeof avroLib>>) => Promise<void>,
  read: (path: string, m: AvroMapping, lib: Awaited<ReturnType<typeof avroLib>>) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  return bindMapped(
    avroCannotCarry(schema),
    async () => {
      const lib = await avroLib();
      return { m: (await import('./mapping/avro.js')).avroMapping(schema, lib), lib };
    },
    (rows, path, { m, lib }) => write(rows, path, m, lib),
    (path, { m, lib }) => read(path, m, lib),
  );
}

/**
 * The items of one Avro binary array value in `buf`, each decoded with `item` and converted by
 * `convert`: the blocks walked here (see above), every block count checked against the bytes left
 * at `minItemBytes` an item.
 */
function readArrayBlocks<R>(path: string, buf: Buffer, item: Avro.Type, long: Avro.Type, minItemBytes: number, convert: (v: unknown, i: number) => R): R[] {
  const fail = (pos: number, why: string): never => {
    throw new CodecError(NAME, path, `byte ${pos}: ${why}`);
  };
  const out: R[] = [];
  let pos = 0;
  for (;;) {
    const head = long.decode(buf, pos);
    if (head.offset < 0) fail(pos, 'truncated: file ends inside an array block count');
    let count = head.value as number;
    pos = head.offset;
    if (count === 0) break;
    if (count < 0) {
      // a negative count is followed by the block's size in bytes
      count = -count;
      const size = long.decode(buf, pos);
      if (size.offset < 0) fail(pos, 'truncated: file ends inside an array block size');
      pos = size.offset;
    }
    if (!Number.isSafeInteger(count) || count * minItemBytes > buf.length - pos) {
      fail(pos, `array block of ${count} items cannot fit in the ${buf.length - pos} bytes left (corrupt or not an avro array)`);
    }
    for (let k = 0; k < count; k++) {
      const decoded = item.decode(buf, pos);
      if (decoded.offset < 0) fail(pos, `truncated: file ends inside record ${out.length}`);
      out.push(convert(decoded.value, out.length));
      pos = decoded.offset;
    }
  }
  if (pos !== buf.length) fail(pos, `${buf.length - pos} bytes of trailing data after the array`);
  return out;
}

export const avroCodec: Codec = {
  name: NAME,
  kind: 'whole',
  returns: 'rows',
  extension: 'avro-bin',
  description: `Apache Avro binary of one array<Tuple> value via avsc (Type#toBuffer; read block by block with Type#decode); uint64 as fixed(8) big-endian with logicalType uint64, read as a BigInt (Avro long is signed). ${AVRO_CARRIES} The block-count guard uses the schema's smallest encoded record.`,
  packages: ['avsc'],
  async init() {
    await avroLib();
  },
  forDataset: (dataset) =>
    tuplesOr(avroCodec, dataset, (schema) =>
      bindAvro(
        schema,
        async (rows, path, m) => {
          await writeFile(path, m.array.toBuffer(m.toRecord ? rows.map(m.toRecord) : rows));
        },
        (path, m, { long }) =>
          withCodecContext(NAME, path, async () => {
            const from: Fix = m.fromRecord;
            return readArrayBlocks(path, await readFile(path), m.type, long, m.minRecordBytes, (v) => from(v)) as LoadedData;
          }),
      ),
    ),
  async dump(data, path) {
    const { array } = await avroLib();
    await writeFile(path, array.toBuffer(data.map(toRecord)));
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
      const { item, long } = await avroLib();
      return readArrayBlocks(path, await readFile(path), item, long, MIN_ITEM_BYTES, fromRecord);
    });
  },
};
