/**
 * json: the whole array through JSON.stringify / JSON.parse.
 * JSON has no 64-bit integers, so the uint64 is written as a decimal string
 * (`[0.5,"ABC...","18446744073709551615"]`) and turned back into a BigInt
 * after parsing, in place, without a second array. Other datasets: records
 * as objects, through the JSON family's mapping (mapping/json.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { RecordSchema } from '../data/schema.js';
import type { Codec, DatasetCodec, LoadedData, Tuple, Unsupported } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import type { Replacer } from './mapping/json.js';
import { bindMapped, cannotCarry, type Fix, fixRows } from './mapping/plan.js';
import { parseUint64 } from './tuples.js';

export const bigintReplacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** Convert one parsed JSON record to a tuple, in place. */
export function reviveRecord(rec: unknown, i: number): Tuple {
  if (!Array.isArray(rec) || rec.length !== 3 || typeof rec[0] !== 'number' || typeof rec[1] !== 'string') {
    throw new TypeError(`record ${i} is not [number, string, "uint64"]`);
  }
  rec[2] = parseUint64(rec[2], i);
  return rec as Tuple;
}

/** A JSON-family codec bound to a dataset: its own writer and reader, given the schema's replacer and reviver (mapping/json.ts, loaded on init). */
export function bindJsonFamily(
  schema: RecordSchema,
  write: (rows: readonly unknown[], path: string, replacer: Replacer) => Promise<void>,
  read: (path: string, revive: Fix | null) => Promise<LoadedData>,
): DatasetCodec | Unsupported {
  return bindMapped(
    cannotCarry('json', schema),
    async () => (await import('./mapping/json.js')).jsonMapping(schema),
    (rows, path, m) => write(rows, path, m.replacer),
    (path, m) => read(path, m.revive),
  );
}

/** How the JSON family carries what JSON has no value for (each codec's description ends with it). */
export const JSON_CARRIES = 'Other datasets: records as objects, uint64 as decimal strings, bytes as base64, vectors as arrays of numbers.';

export const json: Codec = {
  name: 'json',
  kind: 'whole',
  returns: 'rows',
  extension: 'json',
  description: `JSON.stringify / JSON.parse of the whole array; uint64 as a decimal string. ${JSON_CARRIES}`,
  forDataset: (dataset) =>
    tuplesOr(json, dataset, (schema) =>
      bindJsonFamily(
        schema,
        async (rows, path, replacer) => writeFile(path, JSON.stringify(rows, replacer)),
        (path, revive) => withCodecContext('json', path, async () => fixRows(JSON.parse(await readFile(path, 'utf8')), revive)),
      ),
    ),
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
