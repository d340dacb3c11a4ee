/**
 * A reader's dataset in a side child (throughput, fuzz, sizeof): read again from where the parent
 * read it. Apart from registry.ts, which sample.ts imports.
 */
import { InputError } from '../errors.js';
import type { DatasetSource } from '../types/report.js';
import type { DatasetDefinition } from './dataset.js';
import { DATASET_NAMES, getDefinition } from './registry.js';

/**
 * The dataset a side child (throughput, fuzz, sizeof) is told to use: a built-in by name, or a
 * reader's from its source (`--dataset-module`, `--data`), read again in that process as the parent
 * read it (module.ts, sample.ts: imported only then). A sample whose content changed stops it.
 */
export async function definitionIn(name: string, source?: DatasetSource): Promise<DatasetDefinition> {
  let def: DatasetDefinition;
  if (source?.kind === 'module') {
    const { loadDatasetModule } = await import('./module.js');
    def = await loadDatasetModule(source.path, DATASET_NAMES);
  } else if (source?.kind === 'sample') {
    const { sampleDataset } = await import('./sample.js');
    const sample = await sampleDataset(source.path, {
      uint64Paths: source.uint64Paths,
      ...(source.schemaFile !== undefined ? { schemaFile: source.schemaFile } : {}),
    });
    if (sample.source.sha256 !== source.sha256) throw new InputError(`${source.path} changed since the run read it`);
    def = sample.definition;
  } else return getDefinition(name);
  if (def.name !== name) throw new InputError(`${source.path} defines the dataset '${def.name}', not '${name}'`);
  return def;
}
