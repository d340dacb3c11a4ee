/**
 * What importing a codec costs a fresh process: its module, its library and its `init`. Run with
 * the measured children's flags, one process per codec, and it imports nothing else: the measured
 * children import the whole registry (whose built-in codecs load msgpackr, papaparse and
 * stream-json at import) and the codec before their baseline, so no reading inside them could
 * tell one codec's import from the rest; and extra GCs before their baseline would change what
 * they measure. Usage:
 *
 *   node --expose-gc dist/bench/measure/import-child.js --codec arrow [--codec-module ./mine.mjs]
 *
 * Prints one JSON line: ImportCost (bench/types.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Codec, ImportCost } from '../types.js';
import { externalBytes, fullGc, heapUsed, readStatusBytes } from './probes.js';

type Readings = { rssBytes: number; heapBytes: number; externalBytes: number };

/** Readings that moved less than this between rounds count as still (bytes). */
const STILL_HEAP_BYTES = 32 * 1024;
const STILL_RSS_BYTES = 256 * 1024;
/** Consecutive rounds that must agree, and the most rounds read (about 10 ms each). */
const STILL_ROUNDS = 3;
const MAX_ROUNDS = 60;

/**
 * Readings once memory stopped moving: after a process starts (and after an import), full GCs
 * go on freeing for a while (buffers of the module loader whose memory is returned at a later
 * collection: 1.7 MiB of external memory and 0.7 MiB of heap between the first two), and RSS
 * moves after them, so one reading after one GC is not the state the process keeps. Rounds 10 ms
 * apart, each a full GC and the three readings, until three in a row agree. (The measured
 * children's settle, three equal RSS readings, does not end here for up to a second: in a fresh
 * process each reading's own few KiB of garbage touch new pages of the young generation.)
 */
async function stillReadings(): Promise<Readings> {
  const reading = async (): Promise<Readings> => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    fullGc();
    return { rssBytes: readStatusBytes('VmRSS'), heapBytes: heapUsed(), externalBytes: externalBytes() };
  };
  const agree = (a: Readings, b: Readings): boolean =>
    Math.abs(a.rssBytes - b.rssBytes) < STILL_RSS_BYTES &&
    Math.abs(a.heapBytes - b.heapBytes) < STILL_HEAP_BYTES &&
    Math.abs(a.externalBytes - b.externalBytes) < STILL_HEAP_BYTES;
  const last: Readings[] = [await reading()];
  for (let i = 1; i < MAX_ROUNDS; i++) {
    const now = await reading();
    last.push(now);
    if (last.length > STILL_ROUNDS) last.shift();
    if (last.length === STILL_ROUNDS && last.every((r) => agree(r, now))) break;
  }
  return last[last.length - 1]!;
}

/** An export of `mod` that is a codec called `name` (named, default, or CommonJS's default.codec). */
function codecExportNamed(mod: Record<string, unknown>, name: string): Codec | undefined {
  const d = mod.default;
  const candidates = [d, typeof d === 'object' && d !== null ? (d as { codec?: unknown }).codec : undefined, ...Object.values(mod)];
  return candidates.find((c): c is Codec => typeof c === 'object' && c !== null && (c as Codec).name === name && typeof (c as Codec).load === 'function');
}

/** A built-in codec is bench/codecs/<name>.js; a --codec-module codec is in the module given. */
async function importCodec(name: string, modulePath: string | undefined): Promise<Codec> {
  const builtIn = new URL(`../codecs/${name}.js`, import.meta.url);
  const href = modulePath !== undefined ? pathToFileURL(resolve(modulePath)).href : existsSync(fileURLToPath(builtIn)) ? builtIn.href : undefined;
  const codec = href ? codecExportNamed((await import(href)) as Record<string, unknown>, name) : undefined;
  if (!codec) throw new Error(`import-child: no codec '${name}' in ${modulePath ?? `bench/codecs/${name}.js`}`);
  return codec;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), strict: true, options: { codec: { type: 'string' }, 'codec-module': { type: 'string' } } });
  if (!values.codec) throw new Error('import-child: missing --codec');
  const before = await stillReadings();
  const t0 = performance.now();
  const codec = await importCodec(values.codec, values['codec-module']);
  await codec.init?.();
  const ms = performance.now() - t0;
  const after = await stillReadings();
  const cost: ImportCost = {
    rssBytes: after.rssBytes - before.rssBytes,
    heapBytes: after.heapBytes - before.heapBytes,
    externalBytes: after.externalBytes - before.externalBytes,
    ms: Math.round(ms * 10) / 10,
  };
  process.stdout.write(`${JSON.stringify(cost)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
