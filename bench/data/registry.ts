/**
 * The built-in datasets by name, each loaded only when asked for (a child imports only its own).
 * Adding a dataset: its file in datasets/ (a DatasetDefinition) and one line here.
 *
 * Two steps, because a measured child's figures are sensitive to what it holds before its baseline
 * (a few tens of KiB of extra code moved the cbor load's peak by 10 MiB, issue 26's notes):
 * `getDefinition` gives the schema and generator alone (what runs before the baseline), `getDataset`
 * adds the checksum, verification and size derived from the schema (what runs after the window).
 */
import { InputError } from '../errors.js';
import type { DatasetSource } from '../types.js';
import type { Dataset, DatasetDefinition } from './dataset.js';
import { schemaFingerprint } from './schema.js';

const BUILT_IN: Record<string, () => Promise<DatasetDefinition>> = {
  tuples: async () => (await import('./datasets/tuples.js')).tuplesDefinition as unknown as DatasetDefinition, // seen through the general interface
  logs: async () => (await import('./datasets/logs.js')).logsDefinition as unknown as DatasetDefinition,
  mesh: async () => (await import('./datasets/mesh.js')).meshDefinition as unknown as DatasetDefinition,
  documents: async () => (await import('./datasets/documents.js')).documentsDefinition as unknown as DatasetDefinition,
  blobs: async () => (await import('./datasets/blobs.js')).blobsDefinition as unknown as DatasetDefinition,
};

export const DATASET_NAMES: readonly string[] = Object.keys(BUILT_IN);
export const DEFAULT_DATASET = 'tuples';

/** Thrown for a name that is no built-in dataset (an input error: exit 2). */
export class UnknownDatasetError extends InputError {
  override name = 'UnknownDatasetError';
}

/** A reader's dataset as this process knows it: its definition, the file it came from, what the report says beside it. */
export interface ReaderDataset {
  readonly definition: DatasetDefinition;
  /** Where it came from (`--dataset-module`, `--data`): what the report records and what a child is told to read. */
  readonly source: DatasetSource;
  /** For the report: a sample's inference notes and what repetition means (none for a module). */
  readonly notes: readonly string[];
}

/** The reader's datasets this process knows (`--dataset-module`, `--data`), by name. */
const readerDatasets = new Map<string, ReaderDataset>();

/** Make a reader's dataset (module.ts or sample.ts loaded and checked it) known by its name to getDefinition and getDataset. */
export function addReaderDataset(definition: DatasetDefinition, source: DatasetSource, notes: readonly string[] = []): void {
  readerDatasets.set(definition.name, { definition, source, notes });
}

/** The reader's dataset of that name (its source: a child is told to read it), or undefined for a built-in. */
export function readerDatasetOf(name: string): ReaderDataset | undefined {
  return readerDatasets.get(name);
}

/** The schema and generator of the dataset of that name: a built-in, or a reader's added by addReaderDataset. */
export async function getDefinition(name: string): Promise<DatasetDefinition> {
  const reader = readerDatasets.get(name);
  if (reader) return reader.definition;
  const load = Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name] : undefined;
  if (!load) throw new UnknownDatasetError(`unknown dataset '${name}' (datasets: ${DATASET_NAMES.join(', ')})`);
  return load();
}

/** What a codec is told about a dataset (its binding): name, schema, fingerprint. */
export function datasetRef(def: DatasetDefinition): { name: string; schema: DatasetDefinition['schema']; fingerprint: string } {
  return { name: def.name, schema: def.schema, fingerprint: schemaFingerprint(def.schema) };
}

const derived = new WeakMap<DatasetDefinition, Promise<Dataset>>();

/** A definition with everything derived from its schema (dataset.ts loaded on first use). */
export function deriveDataset(def: DatasetDefinition): Promise<Dataset> {
  let ds = derived.get(def);
  if (!ds) {
    ds = import('./dataset.js').then((m) => m.defineDataset(def));
    derived.set(def, ds);
  }
  return ds;
}

/** The built-in dataset of that name, with everything derived from its schema. */
export async function getDataset(name: string): Promise<Dataset> {
  return deriveDataset(await getDefinition(name));
}
