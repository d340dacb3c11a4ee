/**
 * Writes a built-in dataset's golden file, fixtures/golden-NAME-seed42-nN.json: the schema-driven
 * checksum of N records at seed 42, the first FIRST records (3 by default; documents and blobs keep 2,
 * their records being large) and the last, as plain JSON (a uint64 as
 * a decimal string, a typed array as a plain array, bytes as their length and SHA-256). What
 * test/datasets.test.ts checks the generator against; written once, when a dataset is added.
 *
 *   npm run build && node dist/scripts/golden.js NAME N [FIRST]
 *
 * Refuses to overwrite: never regenerate a golden file to make a test pass (a change means the
 * generator changed).
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loaded } from '../bench/data/columns.js';
import { DATASET_NAMES, getDataset } from '../bench/data/registry.js';
import { PROJECT_ROOT } from '../bench/run/paths.js';

const SEED = 42;
const FIRST = 3;

/** A record as a golden file holds it: bytes as their length and SHA-256, typed arrays as plain arrays, uint64 as decimal. */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return { bytes: v.length, sha256: createHash('sha256').update(v).digest('hex') };
  if (ArrayBuffer.isView(v)) return Array.from(v as Float32Array);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The golden file's path for a dataset and N. */
export const goldenPath = (name: string, n: number): string => join(PROJECT_ROOT, 'fixtures', `golden-${name}-seed${SEED}-n${n}.json`);

/** The golden file's content (the JSON text, 2-space indented, as committed). */
export async function goldenText(name: string, n: number, first = FIRST): Promise<string> {
  const ds = await getDataset(name);
  const data = ds.generate(n, SEED);
  const golden = {
    description:
      `Golden data for the ${name} dataset's seeded generator (bench/data/datasets/${name}.ts): seed ${SEED}, N ${n}. ` +
      'The checksum is the schema-driven one (bench/data/hash.ts: SHA-256 over the canonical bytes, prefixed by the count). ' +
      'In first/last, a uint64 is a decimal string, a typed array a plain array, bytes their length and SHA-256. ' +
      'Never regenerate this file to make a test pass: a change means the generator changed.',
    dataset: name,
    seed: SEED,
    n,
    checksum: ds.checksum(data as Loaded),
    first: data.slice(0, first).map(plain),
    last: plain(data[n - 1]),
  };
  return `${JSON.stringify(golden, null, 2)}\n`;
}

async function main(): Promise<void> {
  const [name, nText, firstText] = process.argv.slice(2);
  const n = Number(nText);
  const first = firstText === undefined ? FIRST : Number(firstText);
  const names = DATASET_NAMES.filter((d) => d !== 'tuples');
  const problem =
    !name || !names.includes(name)
      ? `NAME ${JSON.stringify(name ?? '')} is not a built-in dataset other than the tuples (${names.join(', ')})`
      : !Number.isSafeInteger(first) || first < 1
        ? `FIRST ${JSON.stringify(firstText)} is not an integer ≥ 1`
        : !Number.isSafeInteger(n) || n <= first
          ? `N ${JSON.stringify(nText ?? '')} is not an integer above FIRST (${first})`
          : null;
  if (problem || !name) {
    process.stderr.write(`golden: ${problem}; usage: node dist/scripts/golden.js NAME N [FIRST]\n`);
    process.exit(2);
  }
  const path = goldenPath(name, n);
  if (existsSync(path)) {
    process.stderr.write(`golden: ${path} exists; a golden file is written once (a change means the generator changed)\n`);
    process.exit(2);
  }
  writeFileSync(path, await goldenText(name, n, first));
  process.stdout.write(`golden: wrote ${path}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
