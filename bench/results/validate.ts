/**
 * Reading a results file that may come from anywhere (another machine, an
 * older version, a CI artifact): every problem becomes one line naming the
 * file and what is wrong, thrown as a ReportFileError (exit 2).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import type { Report } from '../types.js';
import schema from './results.schema.json' with { type: 'json' };
import { migrateReport } from './migrate.js';
import { InputError, errorMessage } from '../errors.js';

/** A file that is not a results report this version reads (missing, not JSON, wrong schema). */
export class ReportFileError extends InputError {
  override name = 'ReportFileError';
}

/** Schema versions this code reads (older ones are migrated, bench/results/migrate.ts). Bump together with `SCHEMA_VERSION` and the schema's `const`. */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1, 2, 3];

/** The JSON Schema document of the results file (bench/results/results.schema.json). */
export const RESULTS_SCHEMA: object = schema;

const ajv = new Ajv({ allErrors: false, strict: true });
const validateSchema = ajv.compile<Report>(schema);

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(top level)' : error.instancePath;
  const allowed = error.keyword === 'enum' ? `: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
  return `${where} ${error.message ?? 'is invalid'}${allowed}`;
}

/**
 * Check a parsed value against the results schema. Returns the report, or
 * throws ReportFileError("<source>: ...") with the first problem found.
 */
export function validateReport(value: unknown, source: string): Report {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReportFileError(
      `${source}: not a results report (expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})`,
    );
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version === undefined) {
    throw new ReportFileError(`${source}: not a results report (no schemaVersion field)`);
  }
  if (typeof version !== 'number' || !SUPPORTED_SCHEMA_VERSIONS.includes(version)) {
    throw new ReportFileError(
      `${source}: unsupported schemaVersion ${JSON.stringify(version)}; this version of footprint reads schemaVersion ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`,
    );
  }
  migrateReport(value); // an older schema's report is read in the current shape
  if (!validateSchema(value)) {
    const first = validateSchema.errors?.[0];
    throw new ReportFileError(`${source}: not a results report: ${first ? describe(first) : 'schema validation failed'}`);
  }
  return value;
}

/** Read and validate a results file: missing, unreadable, not JSON or not a report → ReportFileError. */
export function loadReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err: unknown) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReportFileError(`${path}: no such file`);
    if (code === 'EISDIR') throw new ReportFileError(`${path}: is a directory, expected a results .json file`);
    throw new ReportFileError(`${path}: cannot read: ${errorMessage(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err: unknown) {
    throw new ReportFileError(`${path}: not JSON (${errorMessage(err)})`);
  }
  return validateReport(value, path);
}
