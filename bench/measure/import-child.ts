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
import { externalBytes, fullGc, heapUsed, settledReadings } from './probes.js';

type Readings = Awaited<ReturnType<typeof settledReadings>>;

/** Readings that moved less than this between two rounds count as still (bytes). */
const STILL_HEAP_BYTES = 32 * 1024;
const STILL_RSS_BYTES = 128 * 1024;
const MAX_ROUNDS = 12;

/**
 * Readings once memory stopped moving: after a process starts (and after an import), full GCs
 * go on freeing for a few rounds (buffers of the module loader whose memory is returned at the
 * next collection after an event-loop turn: 1.7 MiB of external memory and 0.7 MiB of heap
 * between the first two rounds), and RSS moves after them, so one reading after one GC is not the
 * state the process keeps. First full GCs, a turn apart, until heap and external memory are
 * still (a small heap collects in milliseconds); then settled RSS readings until RSS is still.
 */
async function stillReadings(): Promise<Readings> {
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const gcReading = async (): Promise<{ heap: number; external: number }> => {
    await turn();
    fullGc();
    return { heap: heapUsed(), external: externalBytes() };
  };
  let last = await gcReading();
  for (let i = 1; i < MAX_ROUNDS; i++) {
    const now = await gcReading();
    const still = Math.abs(now.heap - last.heap) < STILL_HEAP_BYTES && Math.abs(now.external - last.external) < STILL_HEAP_BYTES;
    last = now;
    if (still) break;
  }
  let readings = await settledReadings();
  for (let i = 1; i < MAX_ROUNDS; i++) {
    const now = await settledReadings();
    const still = Math.abs(now.rssBytes - readings.rssBytes) < STILL_RSS_BYTES && Math.abs(now.heapBytes - readings.heapBytes) < STILL_HEAP_BYTES;
    readings = now;
    if (still) break;
  }
  return readings;
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
