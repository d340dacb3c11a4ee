/**
 * Loads mutated files one after another and reports how each load ended.
 * Runs in its own process so that a native crash or a hang in a codec is
 * caught by the parent (bench/fuzz/runner.ts), which restarts it after the
 * bad input. Usage:
 *
 *   node dist/bench/fuzz/fuzz-child.js --codec json --dir DIR --count 1000 --start 0 --expect CHECKSUM [--dataset logs]
 *
 * Input i is DIR/<i>.<extension>.
 */
import { parseArgs } from 'node:util';
import { bindCodec, isUnsupported, unsupportedText } from '../codecs/bind.js';
import { CodecError } from '../codecs/errors.js';
import { resolveCodec } from '../codecs/resolve.js';
import type { Dataset } from '../data/dataset.js';
import { DEFAULT_DATASET, datasetRef, deriveDataset } from '../data/registry.js';
import { definitionIn } from '../data/source.js';
import type { Codec, DatasetCodec, DatasetSource, LoadedData } from '../types.js';
import { inputPath, type FuzzChildMessage } from './protocol.js';
import { errorMessage } from '../errors.js';

async function loadOne(codec: Codec, bound: DatasetCodec, dataset: Dataset, file: string, expect: string): Promise<Omit<FuzzChildMessage, 'index'>> {
  let data: LoadedData;
  try {
    data = await bound.load(file);
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : `non-Error thrown: ${String(err)}`;
    const named = err instanceof CodecError && err.message.includes(codec.name) && err.message.includes(file);
    return { outcome: named ? 'codec-error' : 'foreign-error', message: message.slice(0, 500) };
  }
  let sum: string;
  try {
    sum = dataset.checksum(data);
  } catch (err) {
    return { outcome: 'invalid-data', message: `load returned data that cannot be checksummed: ${errorMessage(err)}` };
  }
  return sum === expect ? { outcome: 'unchanged' } : { outcome: 'lossy' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      codec: { type: 'string' },
      dir: { type: 'string' },
      count: { type: 'string' },
      start: { type: 'string' },
      expect: { type: 'string' },
      'codec-module': { type: 'string', multiple: true },
      dataset: { type: 'string' },
      'dataset-source': { type: 'string' },
    },
  });
  if (!values.codec || !values.dir || !values.count || !values.expect) throw new Error('fuzz-child: --codec, --dir, --count and --expect are required');
  const codec = await resolveCodec(values.codec, values['codec-module'] ?? []);
  const source = values['dataset-source'] !== undefined ? (JSON.parse(values['dataset-source']) as DatasetSource) : undefined;
  const dataset = await deriveDataset(await definitionIn(values.dataset ?? DEFAULT_DATASET, source));
  const bound = bindCodec(codec, datasetRef(dataset));
  if (isUnsupported(bound)) throw new Error(`fuzz-child: ${unsupportedText(bound)}`);
  await codec.init?.();
  await bound.init?.();
  const count = Number(values.count);
  for (let index = Number(values.start ?? 0); index < count; index++) {
    const msg: FuzzChildMessage = { index, ...(await loadOne(codec, bound, dataset, inputPath(values.dir, codec, index), values.expect)) };
    // wait until the parent has the answer, so a crash on the next input is attributed to the right one
    await new Promise<void>((resolve, reject) => process.send!(msg, undefined, {}, (err) => (err ? reject(err) : resolve())));
  }
}

main().then(
  () => process.disconnect(),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
    process.disconnect();
  },
);
