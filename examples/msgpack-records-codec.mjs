/**
 * Example external codec: MessagePack with msgpackr's record extension, whole
 * document. Not built in (the built-in `msgpack` writes plain arrays with
 * records off): here every tuple is stored as the object `{ f, s, u }` that
 * an application would hold, and msgpackr's `useRecords` writes the keys once
 * as a record structure, then each object as its values only. Plain
 * JavaScript, so it runs without a build:
 *
 *   npm run bench -- --codec-module examples/msgpack-records-codec.mjs --codecs msgpack,msgpack-records
 *
 * uint64: `int64AsType: 'bigint'` makes msgpackr read every 64-bit integer back
 * as a BigInt (it writes a BigInt >= 2**63 as MessagePack uint64), so 2**63 and
 * 2**64 - 1 come back exact; with the default 'number' they would silently
 * lose precision. The file is readable only by a msgpackr that knows records.
 *
 * @typedef {import('serialization-footprint').Codec} Codec
 * @typedef {import('serialization-footprint').Tuple} Tuple
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Packr } from 'msgpackr';

const OPTIONS = { useRecords: true, int64AsType: 'bigint' };

/** @type {Codec} */
export const codec = {
  name: 'msgpack-records',
  kind: 'whole',
  extension: 'msgpack-rec',
  description:
    "msgpackr pack / unpack of the tuples as objects { f, s, u } with msgpackr's record extension (useRecords, int64AsType 'bigint'); uint64 as MessagePack uint64.",
  packages: ['msgpackr'],
  async dump(data, path) {
    const objects = data.map(([f, s, u]) => ({ f, s, u }));
    // a fresh Packr per file: the record structures it defines are written into this file only
    await writeFile(path, new Packr(OPTIONS).pack(objects));
  },
  async load(path) {
    let value;
    try {
      value = new Packr(OPTIONS).unpack(await readFile(path));
    } catch (err) {
      throw new Error(`msgpack-records: ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!Array.isArray(value)) throw new TypeError(`msgpack-records: ${path}: top-level value is not an array`);
    for (let i = 0; i < value.length; i++) {
      const o = value[i];
      if (!o || typeof o.f !== 'number' || typeof o.s !== 'string' || typeof o.u !== 'bigint') {
        throw new TypeError(`msgpack-records: ${path}: record ${i} is not { f: number, s: string, u: bigint }`);
      }
      value[i] = [o.f, o.s, o.u];
    }
    return /** @type {Tuple[]} */ (value);
  },
};

export default codec;
