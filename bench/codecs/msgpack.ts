/**
 * msgpack: msgpackr `pack` / `unpack` of the whole array.
 * `int64AsType: 'bigint'` makes every 64-bit integer come back as a BigInt
 * (msgpackr writes BigInts as int64 0xd3 below 2**63 and uint64 0xcf above;
 * with the default 'number' a uint64 silently loses precision). Records
 * (msgpackr's structure extension) are off: the file is plain MessagePack.
 * Other datasets: their records as maps, with msgpackr's
 * typed-array extension (`moreTypes`) only when the schema has a vector:
 * without it msgpackr writes a Float32Array as a `bin` of truncated, stale bytes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Packr, Unpackr, type Options } from 'msgpackr';
import type { RecordSchema } from '../data/schema.js';
import type { Codec } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { bindMapped, cannotCarry, fixRows, schemaHas } from './mapping/plan.js';
import { assertTuples } from './tuples.js';

export const MSGPACK_OPTIONS: Options = { useRecords: false, int64AsType: 'bigint' };

/** A dataset's msgpackr options: the tuples' ones, plus the typed-array extension when the schema has a vector. */
export function msgpackOptions(schema: RecordSchema): Options {
  return schemaHas(schema, (t) => t.kind === 'vector') ? { ...MSGPACK_OPTIONS, moreTypes: true } : MSGPACK_OPTIONS;
}

/** How msgpackr carries a dataset's types (msgpack and msgpack-stream). */
export const MSGPACK_CARRIES =
  "Other datasets: records as maps; bytes as bin; vectors (and then bytes too) as msgpackr's typed-array extension (moreTypes, only when the schema has one).";

export const msgpack: Codec = {
  name: 'msgpack',
  kind: 'whole',
  returns: 'rows',
  extension: 'msgpack',
  description: `msgpackr pack / unpack of the whole array (int64AsType 'bigint'); uint64 as MessagePack uint64. ${MSGPACK_CARRIES}`,
  packages: ['msgpackr'],
  forDataset: (dataset) =>
    tuplesOr(msgpack, dataset, (schema) =>
      bindMapped(
        cannotCarry('msgpackr', schema),
        () => msgpackOptions(schema),
        async (rows, path, options) => writeFile(path, new Packr(options).pack(rows)),
        (path, options) => withCodecContext('msgpack', path, async () => fixRows(new Unpackr(options).unpack(await readFile(path)), null)),
      ),
    ),
  async dump(data, path) {
    await writeFile(path, new Packr(MSGPACK_OPTIONS).pack(data));
  },
  load(path) {
    return withCodecContext('msgpack', path, async () => {
      const value: unknown = new Unpackr(MSGPACK_OPTIONS).unpack(await readFile(path));
      assertTuples(value);
      return value;
    });
  },
};
