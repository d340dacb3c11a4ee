/**
 * `footprint datasets`: what a run can measure. The built-in datasets (name, default N, description,
 * intrinsic bytes a record, schema); one described in full (`--describe`: a built-in or a dataset
 * module, checked as `run --dataset-module` checks it); or what the inference makes of a sample
 * (`--infer`: the schema `run --data` would measure, with a note per field it had to decide on).
 * Measures no memory: intrinsic bytes are computed from the schema over the first 1,000 records.
 */
import { writeFileSync } from 'node:fs';
import { checkDatasetModule } from '../data/module-check.js';
import { loadDatasetModule } from '../data/module.js';
import { DATASET_NAMES, getDefinition } from '../data/registry.js';
import type { DatasetDefinition } from '../data/dataset.js';
import { wrapSchemaLine } from '../data/sample.js';
import { describeSchema } from '../data/schema.js';
import { errorMessage } from '../errors.js';
import { datasetInfo, INFO_SAMPLE_RECORDS } from '../results/datasets.js';
import { DEFAULT_SEED } from '../constants.js';
import { parseFlags } from './args.js';
import { sampleFromFlags } from './dataset-flags.js';
import { EXIT, UsageError } from './errors.js';

export const summary = 'list the built-in datasets, describe one or a dataset module, infer the schema of a sample';

export const help = `usage: footprint datasets [--describe NAME|MODULE] [--infer FILE [--uint64 PATH[,PATH]] [--data-schema FILE] [--write-schema FILE]]

With no flag, lists the built-in datasets a run can measure (footprint run --datasets LIST):
name, default N, description, intrinsic bytes a record and schema.

  --describe NAME       one built-in dataset in full; or a dataset module (.mjs, .js, .cjs), checked
                        as footprint run --dataset-module checks it
  --infer FILE          an NDJSON sample (one JSON object a line): the schema footprint run --data FILE
                        would measure, and what the inference made of each field it had to decide on
                        (a map, a union, an optional field, a uint64)
  --uint64 PATH[,PATH]  with --infer: integers at these paths are uint64 (a.b, items[].id, tags{})
  --data-schema FILE    with --infer: check every record against this schema file instead of inferring
  --write-schema FILE   with --infer: write the inferred schema as JSON, to edit and pass as --data-schema
  --help                this text

Intrinsic bytes: the data's own bytes (8 a number, a string's UTF-8, a byte array's length), a mean over
the first ${INFO_SAMPLE_RECORDS.toLocaleString('en-US')} records; what V8's heap holds is several times more (footprint run measures it).
`;

const WIDTH = 100;
const MODULE = /\.(mjs|cjs|js)$/i;

/** The schema lines of a definition, wrapped to the terminal-friendly width and indented. */
function schemaLines(def: DatasetDefinition, maxLines: number, indent: string): string[] {
  return describeSchema(def.schema, maxLines)
    .flatMap((l) => wrapSchemaLine(l, WIDTH - indent.length))
    .map((l) => `${indent}${l}`);
}

/** Words wrapped into lines of at most `width` characters, each indented. */
function wrapWords(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...out, indent + line];
}

/** `1,000,000`. */
const count = (n: number): string => n.toLocaleString('en-US');

/** Intrinsic bytes a record, over the first 1,000 records (the figure a report carries). */
const intrinsic = (def: DatasetDefinition): string => `${datasetInfo(def, INFO_SAMPLE_RECORDS, DEFAULT_SEED).intrinsicBytesPerRecord.toFixed(1)} B`;

/** Every built-in dataset, a few lines each. */
async function list(): Promise<string> {
  const out = ['Built-in datasets (footprint run --datasets NAME,… or all; footprint datasets --describe NAME):', ''];
  for (const name of DATASET_NAMES) {
    const def = await getDefinition(name);
    out.push(`${name.padEnd(10)} default N ${count(def.defaultN)}, ${intrinsic(def)} intrinsic a record`);
    out.push(...wrapWords(def.description, WIDTH, '           '));
    out.push(...schemaLines(def, 3, '           '));
    out.push('');
  }
  out.push(
    'Your own data: footprint run --dataset-module my-data.mjs (examples/orders-dataset.mjs), or',
    'footprint run --data sample.ndjson (footprint datasets --infer sample.ndjson shows its schema).',
  );
  return `${out.join('\n')}\n`;
}

/** One dataset in full: a built-in's name or a dataset module's path. */
async function describe(what: string): Promise<string> {
  let def: DatasetDefinition;
  let run: string;
  if (MODULE.test(what)) {
    def = await loadDatasetModule(what, DATASET_NAMES);
    checkDatasetModule(def, what, def.defaultN, DEFAULT_SEED);
    run = `footprint run --dataset-module ${what}`;
  } else {
    if (!DATASET_NAMES.includes(what))
      throw new UsageError(`--describe ${what}: no built-in dataset of that name (datasets: ${DATASET_NAMES.join(', ')}); a module ends in .mjs, .js or .cjs`);
    def = await getDefinition(what);
    run = `footprint run --datasets ${what}`;
  }
  return `${[
    `${def.name}: ${def.description}`,
    `default N ${count(def.defaultN)}; ${intrinsic(def)} intrinsic a record; measure it with ${run}`,
    'schema:',
    ...schemaLines(def, Number.POSITIVE_INFINITY, '  '),
  ].join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags('datasets', {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      describe: { type: 'string' },
      infer: { type: 'string' },
      uint64: { type: 'string', multiple: true },
      'data-schema': { type: 'string' },
      'write-schema': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  if (values.describe !== undefined && values.infer !== undefined) throw new UsageError('--describe and --infer exclude each other');
  if (values.infer === undefined) {
    const stray = (['uint64', 'data-schema', 'write-schema'] as const).find((f) => values[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --infer FILE`);
  }
  if (values.describe !== undefined) {
    process.stdout.write(await describe(values.describe));
    return EXIT.ok;
  }
  if (values.infer !== undefined) {
    // the same reading and inference as footprint run --data, so what is printed is what a run would measure
    const sample = (await sampleFromFlags({ data: [values.infer], uint64: values.uint64, 'data-schema': values['data-schema'] }))!;
    process.stdout.write(`${sample.describe().join('\n')}\n`);
    const target = values['write-schema'];
    if (target !== undefined) {
      try {
        writeFileSync(target, `${JSON.stringify(sample.schema, null, 2)}\n`);
      } catch (err) {
        throw new UsageError(`--write-schema ${target}: cannot write there (${errorMessage(err)})`);
      }
      process.stdout.write(`schema written to ${target}: edit it, then footprint run --data ${values.infer} --data-schema ${target}\n`);
    }
    return EXIT.ok;
  }
  process.stdout.write(await list());
  return EXIT.ok;
}
