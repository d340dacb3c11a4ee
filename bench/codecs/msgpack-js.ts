/**
 * msgpack-js: MessagePack with @msgpack/msgpack, the reference JavaScript
 * implementation from the msgpack organisation, encode / decode of the whole
 * array; set against msgpackr (`msgpack`), which writes the same format.
 *
 * uint64: only with `useBigInt64: true` on both sides. Then a BigInt is
 * written as MessagePack int64 (0xd3) below 0 and uint64 (0xcf) otherwise,
 * always 8 bytes, and every 64-bit integer is read back as a BigInt, so 2**63
 * and 2**64 - 1 come back exact. Without the option, encoding a BigInt throws
 * ("Unrecognized object: [object BigInt]"; checked with 3.1.3).
 * Other datasets: records as maps; the library writes every typed array as a
 * `bin` of its bytes (little-endian here), which the load copies back into the
 * vector's typed array (mapping/values.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Codec } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { once } from './lazy.js';
import { bindMapped, cannotCarry, fixRows } from './mapping/plan.js';
import { assertTuples } from './tuples.js';

const OPTIONS = { useBigInt64: true } as const;
const lib = once(() => import('@msgpack/msgpack'));

export const msgpackJs: Codec = {
  name: 'msgpack-js',
  kind: 'whole',
  returns: 'rows',
  extension: 'msgpack',
  description:
    '@msgpack/msgpack (the reference implementation) encode / decode of the whole array (useBigInt64); uint64 as MessagePack uint64, read as a BigInt. Other datasets: records as maps; bytes as bin; vectors as bin of their little-endian bytes, copied back into typed arrays.',
  packages: ['@msgpack/msgpack'],
  async init() {
    await lib();
  },
  forDataset: (dataset) =>
    tuplesOr(msgpackJs, dataset, (schema) =>
      bindMapped(
        cannotCarry('msgpack-js', schema),
        async () => (await import('./mapping/values.js')).loadFix('msgpack-js', schema),
        async (rows, path) => writeFile(path, (await lib()).encode(rows, OPTIONS)),
        (path, fix) => withCodecContext('msgpack-js', path, async () => fixRows((await lib()).decode(await readFile(path), OPTIONS), fix)),
      ),
    ),
  async dump(data, path) {
    const { encode } = await lib();
    await writeFile(path, encode(data, OPTIONS));
  },
  load(path) {
    return withCodecContext('msgpack-js', path, async () => {
      const { decode } = await lib();
      const value: unknown = decode(await readFile(path), OPTIONS);
      assertTuples(value);
      return value;
    });
  },
};
