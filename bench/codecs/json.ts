/**
 * json: the whole array through JSON.stringify / JSON.parse.
 * JSON has no 64-bit integers, so the uint64 is written as a decimal string
 * (`[0.5,"ABC...","18446744073709551615"]`) and turned back into a BigInt
 * after parsing, in place, without a second array.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Codec, Tuple } from '../types.js';
import { withCodecContext } from './errors.js';
import { parseUint64 } from './tuples.js';
import { tuplesOnly } from './bind.js';

export const bigintReplacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** Convert one parsed JSON record to a tuple, in place. */
export function reviveRecord(rec: unknown, i: number): Tuple {
  if (!Array.isArray(rec) || rec.length !== 3 || typeof rec[0] !== 'number' || typeof rec[1] !== 'string') {
    throw new TypeError(`record ${i} is not [number, string, "uint64"]`);
  }
  rec[2] = parseUint64(rec[2], i);
  return rec as Tuple;
}

export const json: Codec = {
  name: 'json',
  kind: 'whole',
  returns: 'rows',
  extension: 'json',
  description: 'JSON.stringify / JSON.parse of the whole array; uint64 as a decimal string.',
  forDataset: (dataset) => tuplesOnly(json, dataset),
  async dump(data, path) {
    await writeFile(path, JSON.stringify(data, bigintReplacer));
  },
  load(path) {
    return withCodecContext('json', path, async () => {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (!Array.isArray(parsed)) throw new TypeError('top-level value is not an array');
      for (let i = 0; i < parsed.length; i++) reviveRecord(parsed[i], i);
      return parsed as Tuple[];
    });
  },
};
