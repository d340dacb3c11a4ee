/**
 * The built-in datasets by name, each loaded only when asked for (a child imports only its own).
 * Adding a dataset: its file in datasets/ and one line here.
 */
import { InputError } from '../errors.js';
import type { Dataset } from './dataset.js';

const BUILT_IN: Record<string, () => Promise<Dataset>> = {
  tuples: async () => (await import('./datasets/tuples.js')).tuples as unknown as Dataset, // a dataset of one schema, seen through the general interface
};

export const DATASET_NAMES: readonly string[] = Object.keys(BUILT_IN);
export const DEFAULT_DATASET = 'tuples';

/** Thrown for a name that is no built-in dataset (an input error: exit 2). */
export class UnknownDatasetError extends InputError {
  override name = 'UnknownDatasetError';
}

/** The built-in dataset of that name. */
export async function getDataset(name: string): Promise<Dataset> {
  const load = Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined;
  if (!load) throw new UnknownDatasetError(`unknown dataset '${name}' (datasets: ${DATASET_NAMES.join(', ')})`);
  return load();
}
