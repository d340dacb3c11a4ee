/**
 * After a dump threw: does the codec refuse a uint64 >= 2**63 while it takes a small one? Dumps the
 * dataset's probe record (every uint64 leaf set to one value; for the tuples
 * `[0.5, 'ABCDEFGHIJKLMNOPQRST', u]`) with a small and a large value to a scratch folder. Returns the
 * large value's error, or null when the failure was about something else (or the data has no uint64).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import type { Codec, DatasetCodec } from '../types.js';

const TWO_63 = 9223372036854775808n;

export async function probeUint64Rejection(
  codec: Pick<Codec, 'extension'>,
  bound: Pick<DatasetCodec, 'dump'>,
  dataset: Pick<Dataset, 'probe'>,
): Promise<string | null> {
  if (dataset.probe(1n) === null) return null;
  const dir = mkdtempSync(join(tmpdir(), 'footprint-u64-'));
  const attempt = async (u: bigint): Promise<string | null> => {
    try {
      await bound.dump(dataset.probe(u) as unknown[], join(dir, `${u}.${codec.extension}`));
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  try {
    if ((await attempt(1n)) !== null) return null;
    return (await attempt(2n ** 64n - 1n)) ?? (await attempt(TWO_63));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
