/** v8: the structured-clone wire format of `v8.serialize`, which holds BigInt natively. */
import { readFile, writeFile } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import type { Codec } from '../types.js';
import { withCodecContext } from './errors.js';
import { assertTuples } from './tuples.js';
import { tuplesOnly } from './bind.js';

export const v8: Codec = {
  name: 'v8',
  kind: 'whole',
  returns: 'rows',
  extension: 'v8',
  description: 'v8.serialize / v8.deserialize of the whole array; BigInt native.',
  forDataset: (dataset) => tuplesOnly(v8, dataset),
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
