/**
 * v8: the structured-clone wire format of `v8.serialize`, which holds BigInt natively. Other
 * datasets: their records as they are (BigInt, Uint8Array, typed arrays, −0, NaN and lone
 * surrogates all native), unsupported only for a union it cannot tell apart (mapping/values.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import type { Codec } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { bindMapped, cannotCarry, fixRows } from './mapping/plan.js';
import { assertTuples } from './tuples.js';

/** How v8.serialize carries a dataset's types (v8 and v8-stream). */
export const V8_CARRIES = 'Other datasets: records as objects; uint64 (BigInt), bytes (Uint8Array) and vectors (typed arrays) native.';

export const v8: Codec = {
  name: 'v8',
  kind: 'whole',
  returns: 'rows',
  extension: 'v8',
  description: `v8.serialize / v8.deserialize of the whole array; BigInt native. ${V8_CARRIES}`,
  forDataset: (dataset) =>
    tuplesOr(v8, dataset, (schema) =>
      bindMapped(
        cannotCarry('v8', schema),
        () => null, // v8 keeps every type as it is held
        async (rows, path) => writeFile(path, serialize(rows)),
        (path) => withCodecContext('v8', path, async () => fixRows(deserialize(await readFile(path)), null)),
      ),
    ),
  async dump(data, path) {
    await writeFile(path, serialize(data));
  },
  load(path) {
    return withCodecContext('v8', path, async () => {
      const value: unknown = deserialize(await readFile(path));
      assertTuples(value);
      return value;
    });
  },
};
