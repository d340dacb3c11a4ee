/**
 * The reader's own dataset: `--dataset-module ./my-data.mjs` names an ES module (or CommonJS file)
 * exporting `schema` (bench/data/schema.ts's type language) and a seeded `generate(n, seed)`, as named
 * exports or as one default export object holding them (examples/orders-dataset.mjs). Loaded here the
 * same way in the parent and in every measured child (which imports it before its baseline, so this
 * file imports nothing heavier than the type language); the parent then runs module-check.ts.
 */
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, errorText } from '../errors.js';
import type { DatasetDefinition } from './dataset.js';
import { validateSchema, type RecordSchema } from './schema.js';

/** A dataset module that cannot be imported or does not define a dataset. An input error: exit 2, nothing run. */
export class DatasetModuleError extends InputError {
  override name = 'DatasetModuleError';
  constructor(
    readonly modulePath: string,
    problem: string,
  ) {
    super(`dataset module ${modulePath}: ${problem}`);
  }
}

/** What Node imports with no loader: measured children run plain JavaScript. */
const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'];
/** A dataset's name ends up in flags, file names and budgets (`orders.json.dump.…`): no dots. */
const NAME = /^[a-z][a-z0-9-]*$/;
/** The default N of a module that does not say: a tenth of the tuples' million, quick to try. */
export const MODULE_DEFAULT_N = 100_000;

/** `My_Data.v2.mjs` → `my-data-v2`: the name a module without a `name` export gets. */
export function nameFromFile(path: string): string {
  const stem = basename(path, extname(path))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(stem) ? stem : `data-${stem || 'module'}`;
}

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Import `path` and read its dataset definition, or throw DatasetModuleError naming every problem.
 * `builtIns`: names the module may not take (the built-in datasets).
 */
export async function loadDatasetModule(path: string, builtIns: readonly string[]): Promise<DatasetDefinition> {
  const ext = extname(path);
  if (!MODULE_EXTENSIONS.includes(ext)) {
    throw new DatasetModuleError(path, `not a JavaScript module (expected ${MODULE_EXTENSIONS.join(', ')}; compile TypeScript first)`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Node's message names the importing file too ("imported from …"): only a file that is not there is "no such file"
    if (code === 'ERR_MODULE_NOT_FOUND' && !existsSync(resolve(path))) throw new DatasetModuleError(path, 'no such file');
    throw new DatasetModuleError(path, `cannot be imported: ${errorText(err).split('\n')[0]}`);
  }
  // named exports, or one default export object holding them (CommonJS modules arrive as `default`)
  const def = mod.schema === undefined && typeof mod.default === 'object' && mod.default !== null ? (mod.default as Record<string, unknown>) : mod;
  const exported = Object.keys(def).filter((k) => k !== 'default');
  const problems: string[] = [];
  if (def.schema === undefined) problems.push(`exports no \`schema\` (exports: ${exported.join(', ') || 'none'})`);
  else for (const p of validateSchema(def.schema)) problems.push(`schema: ${p}`);
  if (typeof def.generate !== 'function')
    problems.push(`\`generate\` must be a function generate(n, seed) returning an array of n records, got ${show(def.generate)}`);
  if (def.records !== undefined && typeof def.records !== 'function')
    problems.push(`\`records\` must be a generator function records(n, seed), got ${show(def.records)}`);
  const name = def.name === undefined ? nameFromFile(path) : def.name;
  if (typeof name !== 'string' || !NAME.test(name))
    problems.push(`\`name\` must match [a-z][a-z0-9-]* (it is used in flags, file names and budgets), got ${show(name)}`);
  else if (builtIns.includes(name))
    problems.push(`\`name\` ${JSON.stringify(name)} is a built-in dataset (built-ins: ${builtIns.join(', ')}); choose another name`);
  if (def.description !== undefined && (typeof def.description !== 'string' || def.description.trim() === ''))
    problems.push(`\`description\` must be a non-empty string, got ${show(def.description)}`);
  const defaultN = def.defaultN ?? MODULE_DEFAULT_N;
  if (!(typeof defaultN === 'number' && Number.isSafeInteger(defaultN) && defaultN > 0))
    problems.push(`\`defaultN\` must be a positive integer, got ${show(def.defaultN)}`);
  if (problems.length > 0) throw new DatasetModuleError(path, problems.join('; '));
  const generate = def.generate as DatasetDefinition['generate'];
  const records = def.records as DatasetDefinition['records'];
  return {
    name: name as string,
    description: (def.description as string | undefined) ?? `the dataset of ${basename(path)}`,
    schema: def.schema as RecordSchema,
    defaultN: defaultN as number,
    generate: (n, seed) => generate.call(def, n, seed),
    ...(records ? { records: (n: number, seed: number) => records.call(def, n, seed) } : {}),
  };
}
