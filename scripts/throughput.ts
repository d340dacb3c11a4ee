/**
 * Stand-alone throughput (and optionally file-size) run, until `footprint run`
 * wires these in: `node --expose-gc dist/scripts/throughput.js [flags]`.
 * Prints the markdown tables and writes the sections as JSON with --out.
 *
 *   --batch N          tuples per operation (10000)
 *   --bench-time MS    minimum measured time per task (2000)
 *   --bench-iterations N   minimum measured iterations per task (64)
 *   --warmup-time MS   warm-up time per task (250)
 *   --warmup-iterations N  warm-up iterations per task (16)
 *   --seed N           (42)
 *   --codecs a,b       built-in codecs (all)
 *   --codec-module P   a user codec module, repeatable
 *   --sizes-n N        also dump each codec at N tuples and report compressed sizes
 *   --sizes-only       with --sizes-n: skip the throughput run
 *   --out FILE         write { throughput, sizes } as JSON
 *   --agree-with FILE  also print whether this run agrees with an earlier --out file, within margins of error
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CODECS, getCodec } from '../bench/codecs/index.js';
import { loadCodecModules } from '../bench/codecs/external.js';
import { renderSizesMarkdown } from '../bench/report/sizes.js';
import { columnsOf, markdownTable } from '../bench/report/table.js';
import { renderThroughputMarkdown } from '../bench/report/throughput.js';
import { compressedSizes } from '../bench/sizes/compress.js';
import type { SizeRow, ThroughputSection } from '../bench/types.js';
import { throughputAgreement } from '../bench/throughput/agreement.js';
import { defaultScratchDir } from '../bench/throughput/scratch.js';
import { measureThroughput, THROUGHPUT_DEFAULTS } from '../bench/throughput/throughput.js';
import type { Codec } from '../bench/types.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';

function int(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min) throw new Error(`--${name}: expected an integer >= ${min}, got '${text}'`);
  return v;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    strict: true,
    options: {
      batch: { type: 'string' },
      'bench-time': { type: 'string' },
      'bench-iterations': { type: 'string' },
      'warmup-time': { type: 'string' },
      'warmup-iterations': { type: 'string' },
      seed: { type: 'string' },
      codecs: { type: 'string' },
      'codec-module': { type: 'string', multiple: true },
      'sizes-n': { type: 'string' },
      'sizes-only': { type: 'boolean' },
      out: { type: 'string' },
      'agree-with': { type: 'string' },
    },
  });
  const d = THROUGHPUT_DEFAULTS;
  const builtIns = values.codecs ? values.codecs.split(',').map((n) => getCodec(n.trim())) : [...CODECS];
  const codecs: Codec[] = [...builtIns, ...(await loadCodecModules(values['codec-module'] ?? []))];
  const seed = int('seed', values.seed, d.seed, 0);
  const log = (l: string): void => void process.stderr.write(`${l}\n`);

  if (values['sizes-only'] && values['sizes-n'] === undefined) throw new Error('--sizes-only needs --sizes-n');
  const throughput = values['sizes-only']
    ? undefined
    : await measureThroughput(codecs, {
        batch: int('batch', values.batch, d.batch, 1),
        seed,
        timeMs: int('bench-time', values['bench-time'], d.timeMs, 0),
        iterations: int('bench-iterations', values['bench-iterations'], d.iterations, 1),
        warmupTimeMs: int('warmup-time', values['warmup-time'], d.warmupTimeMs, 0),
        warmupIterations: int('warmup-iterations', values['warmup-iterations'], d.warmupIterations, 0),
        onProgress: log,
      });

  let sizes: SizeRow[] | undefined;
  if (values['sizes-n'] !== undefined) {
    const n = int('sizes-n', values['sizes-n'], 0, 0);
    const data = generateTuples(n, seed);
    const dir = await mkdtemp(join(defaultScratchDir(), 'footprint-sizes-'));
    sizes = [];
    try {
      for (const codec of codecs) {
        const file = join(dir, `${codec.name}.${codec.extension}`);
        await codec.dump(data, file);
        sizes.push({ dataset: 'tuples', codec: codec.name, n, ...(await compressedSizes(file)) });
        await rm(file, { force: true });
        log(`sizes ${codec.name}: done`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const report = { ...(throughput ? { throughput } : {}), ...(sizes ? { sizes } : {}) };
  process.stdout.write(`${renderThroughputMarkdown(report)}\n${renderSizesMarkdown(report)}`);
  if (values['agree-with'] && throughput) {
    const earlier = (JSON.parse(await readFile(values['agree-with'], 'utf8')) as { throughput: ThroughputSection }).throughput;
    const rows = throughputAgreement(earlier, throughput).map((a) => [
      a.codec,
      a.direction,
      `${a.meanAMs.toFixed(2)} ± ${a.rmeAPercent.toFixed(1)}%`,
      `${a.meanBMs.toFixed(2)} ± ${a.rmeBPercent.toFixed(1)}%`,
      `${a.diffPercent >= 0 ? '+' : ''}${a.diffPercent.toFixed(1)}%`,
      a.agree ? 'yes' : 'no',
    ]);
    const columns = columnsOf(['format', 'direction', 'earlier mean (ms)', 'this mean (ms)', 'change', 'within margins'], (_, i) => i >= 2 && i <= 4);
    process.stdout.write(`\n## Agreement with ${values['agree-with']}\n\n${markdownTable(columns, rows)}\n`);
  }
  if (values.out) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`throughput: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
