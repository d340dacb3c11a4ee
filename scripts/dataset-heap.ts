/**
 * Each built-in dataset's data memory at its default N, measured with its real generator: in a fresh
 * `node --expose-gc --single-threaded-gc --no-concurrent-recompilation` child, the growth of V8's
 * live heap and of `arrayBuffers` (payloads outside the heap) over one `generate(n, seed)`, between
 * two full GCs, after a warm-up (as bench/sizeof/record-heap.ts does). The figures of
 * docs/datasets.md; the default Ns are chosen so each dataset holds about what the tuples hold.
 *
 *   npm run build && node dist/scripts/dataset-heap.js [NAME[=N]]... [--seed S]
 *
 * Without names: every built-in dataset at its default N. A benchmark (children of up to ~300 MB
 * for a few seconds each): run it alone on the machine.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DATASET_NAMES, getDataset, getDefinition } from '../bench/data/registry.js';
import { columnsOf, markdownTable } from '../bench/report/table.js';

const CHILD_FLAGS = ['--expose-gc', '--single-threaded-gc', '--no-concurrent-recompilation'];
/** The tuples' heap at 1M in the committed reference when the datasets' default N were chosen (results/reference, 2026-12-05; later references measure 160.3-160.5 MB): the size the other datasets aim at. */
const TUPLES_REFERENCE_BYTES = 160_039_052;

interface Growth {
  name: string;
  n: number;
  heapBytes: number;
  externalBytes: number;
  generateMs: number;
}

/** Child: load the definition, warm the generator up, then measure one generation. */
async function child(name: string, n: number, seed: number): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('dataset-heap: the child needs --expose-gc');
  const def = await getDefinition(name);
  const settled = (): NodeJS.MemoryUsage => {
    gc();
    gc();
    return process.memoryUsage();
  };
  def.generate(Math.min(n, 1000), seed + 1); // compile the generator first: its code is not the data's
  const before = settled();
  const t0 = performance.now();
  const data = def.generate(n, seed);
  const generateMs = performance.now() - t0;
  const after = settled();
  if (data.length !== n) throw new Error(`dataset-heap: ${name} generated ${data.length} records, not ${n}`); // also keeps the data alive past `after`
  const out: Growth = { name, n, heapBytes: after.heapUsed - before.heapUsed, externalBytes: after.arrayBuffers - before.arrayBuffers, generateMs };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function measure(name: string, n: number, seed: number): Growth {
  const r = spawnSync(process.execPath, [...CHILD_FLAGS, fileURLToPath(import.meta.url), '--child', name, String(n), String(seed)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dataset-heap: the child for ${name} failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as Growth;
}

const mb = (b: number): string => `${(b / 1e6).toFixed(1)} MB (${(b / 2 ** 20).toFixed(1)} MiB)`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '42' }, child: { type: 'boolean' } } });
  const seed = Number(values.seed);
  if (values.child) return child(positionals[0]!, Number(positionals[1]), Number(positionals[2]));
  const asked = positionals.length > 0 ? positionals : DATASET_NAMES;
  const measured: (Growth & { intrinsicBytes: number })[] = [];
  for (const spec of asked) {
    const [name, nText] = spec.split('=') as [string, string | undefined];
    const ds = await getDataset(name);
    const n = nText === undefined ? ds.defaultN : Number(nText);
    const g = { ...measure(name, n, seed), intrinsicBytes: ds.expect(n, seed).intrinsicBytes };
    process.stderr.write(`${JSON.stringify(g)}\n`);
    measured.push(g);
  }
  const dataOf = (g: Growth): number => g.heapBytes + g.externalBytes;
  // the tuples measured in this run at their default N when they were asked for, else the reference's
  const tuples = measured.find((g) => g.name === 'tuples' && g.n === 1_000_000);
  const tuplesBytes = tuples ? dataOf(tuples) : TUPLES_REFERENCE_BYTES;
  const rows = measured.map((g) => [
    g.name,
    g.n.toLocaleString('en-US'),
    (g.heapBytes / g.n).toFixed(1),
    (g.externalBytes / g.n).toFixed(1),
    mb(dataOf(g)),
    `${((dataOf(g) / tuplesBytes - 1) * 100).toFixed(1)}%`,
    (g.intrinsicBytes / g.n).toFixed(1),
    `${(g.intrinsicBytes / 1e6).toFixed(1)} MB`,
    ((g.generateMs / g.n) * 1e5).toFixed(0),
  ]);
  const headers = [
    'dataset',
    'N',
    'heap B/record',
    'external B/record',
    'data memory at N',
    'vs tuples',
    'intrinsic B/record',
    'intrinsic at N',
    'generate ms / 1e5',
  ];
  const what = `heap + arrayBuffers growth over generate(n), fresh child ${CHILD_FLAGS.join(' ')}`;
  process.stdout.write(
    `Data memory per dataset (seed ${seed}; ${what}); "vs tuples" against ${mb(tuplesBytes)}\n\n${markdownTable(
      columnsOf(headers, (_, i) => i > 0),
      rows,
    )}\n`,
  );
}

await main();
