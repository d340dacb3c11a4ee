/**
 * Entry of the throughput child process: `node --expose-gc child.js '<json>'`.
 * Runs measureThroughput on the named built-in codecs and codec modules and
 * prints the ThroughputSection as one JSON line on stdout; progress on stderr.
 * A fresh process keeps the parent's heap and JIT state out of the figures and
 * gives `gc()` between codecs.
 */
import { createHash } from 'node:crypto';
import { getCodec } from '../codecs/index.js';
import { loadCodecModules } from '../codecs/external.js';
import { measureThroughput, type ThroughputDataset } from './throughput.js';
import { deriveDataset } from '../data/registry.js';
import { definitionIn } from '../data/source.js';
import type { DatasetSource, ThroughputOptions } from '../types.js';
import { errorMessage } from '../errors.js';

/** What the parent sends (JSON, argv[2]). */
export interface ThroughputChildRequest extends Omit<ThroughputOptions, 'onProgress' | 'signal'> {
  /** Built-in codec names, measured first, in this order. */
  codecs: string[];
  /** Absolute paths of codec modules, measured after the built-ins. */
  codecModules: string[];
  /** The datasets to time, in this order, each with its batch; absent: the tuples, `batch` of them. */
  datasets?: ThroughputDatasetSpec[];
}

/** A dataset the child times: a built-in by name, or a reader's from its source (`--dataset-module`, `--data`). */
export interface ThroughputDatasetSpec {
  name: string;
  batch: number;
  source?: DatasetSource;
}

/** The datasets of the request, resolved as the measured child resolves its own (bench/measure/child.ts). */
async function datasetsOf(specs: readonly ThroughputDatasetSpec[]): Promise<ThroughputDataset[]> {
  const out: ThroughputDataset[] = [];
  for (const { name, batch, source } of specs) {
    out.push({ dataset: await deriveDataset(await definitionIn(name, source)), batch });
  }
  return out;
}

/**
 * How fast this machine is right now: the best of 5 SHA-256 digests of 16 MiB, native code (OpenSSL)
 * that neither the codecs nor the JIT touch, so that compare can tell two sittings at different speeds apart.
 */
function calibrationMs(): number {
  const data = Buffer.alloc(16 * 1024 * 1024, 0x5a);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    createHash('sha256').update(data).digest();
    best = Math.min(best, performance.now() - t0);
  }
  return Math.round(best * 100) / 100;
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (!arg) throw new Error('throughput child: missing request argument');
  const { codecs, codecModules, datasets, ...opts } = JSON.parse(arg) as ThroughputChildRequest;
  const all = [...codecs.map(getCodec), ...(await loadCodecModules(codecModules))];
  const timed = datasets ? await datasetsOf(datasets) : undefined;
  const calibration = calibrationMs();
  const section = await measureThroughput(all, { ...opts, onProgress: (l) => void process.stderr.write(`${l}\n`) }, timed);
  section.calibrationMs = [calibration];
  process.stdout.write(`${JSON.stringify(section)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${errorMessage(err)}\n`);
  process.exitCode = 1;
});
