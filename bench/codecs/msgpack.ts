/**
 * msgpack: msgpackr `pack` / `unpack` of the whole array.
 * `int64AsType: 'bigint'` makes every 64-bit integer come back as a BigInt
 * (msgpackr writes BigInts as int64 0xd3 below 2**63 and uint64 0xcf above;
 * with the default 'number' a uint64 silently loses precision). Records
 * (msgpackr's structure extension) are off: the file is plain MessagePack.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Packr, Unpackr, type Options } from 'msgpackr';
import type { Codec } from '../types.js';
import { withCodecContext } from './errors.js';
import { assertTuples } from './tuples.js';
import { tuplesOnly } from './bind.js';

export const MSGPACK_OPTIONS: Options = { useRecords: false, int64AsType: 'bigint' };

export const msgpack: Codec = {
  name: 'msgpack',
  kind: 'whole',
  returns: 'rows',
  extension: 'msgpack',
  description: "msgpackr pack / unpack of the whole array (int64AsType 'bigint'); uint64 as MessagePack uint64.",
  packages: ['msgpackr'],
  forDataset: (dataset) => tuplesOnly(msgpack, dataset),
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
