/**
 * The one interface the suite sees a dataset through: its schema and seeded generator, and,
 * derived from the schema, its checksum (rows or columns), record count, verification (count
 * first, then checksum, then the first difference by path), uint64 probe and intrinsic size.
 * The tuples are its first implementation (datasets/tuples.ts); a new shape is one more file.
 */
import type { Uint64Verdict } from '../types.js';
import { batchesOf, checksumBatches, countLoaded, type Loaded, loadedRows, NotRecordsError } from './columns.js';
import { type Difference, diffRecords, holdsHighUint64, RecordCountError, shapeText, verdictOf } from './diff.js';
import { checksumRecords, RecordHasher } from './hash.js';
import { describeSchema, type Infer, type RecordSchema, schemaFingerprint, type Type, validateSchema } from './schema.js';
import { intrinsicBytes } from './size.js';

/** A record of schema S; `unknown` for a dataset of any schema (Infer of the general RecordSchema is too deep to compute). */
export type Row<S extends RecordSchema> = RecordSchema extends S ? unknown : Infer<S>;

/** What a dataset is made of: written by hand for each built-in dataset. */
export interface DatasetDefinition<S extends RecordSchema = RecordSchema> {
  /** `[a-z][a-z0-9-]*`: used in flags, file names, budgets. */
  readonly name: string;
  /** One sentence for the report. */
  readonly description: string;
  readonly schema: S;
  readonly defaultN: number;
  /** The N records of `seed` in one preallocated array (what a dump child holds). Record i must not depend on n. */
  generate(n: number, seed: number): Row<S>[];
  /** The same records one at a time, without holding them (streaming checksums); default: from `generate`. */
  records?(n: number, seed: number): Iterable<Row<S>>;
}

/** What the report can carry about a dataset (JSON): never the generator. */
export interface DatasetInfo {
  readonly name: string;
  readonly description: string;
  readonly schema: RecordSchema;
  /** schemaFingerprint(schema). */
  readonly fingerprint: string;
  /** The schema in a few lines (describeSchema). */
  readonly lines: readonly string[];
  readonly defaultN: number;
}

/** What one streaming pass over the expected records gives. */
export interface ExpectedData {
  readonly records: number;
  readonly checksum: string;
  readonly intrinsicBytes: number;
  /** Some uint64 leaf holds a value >= 2**63 (so an exact round trip says something about the high half). */
  readonly holdsHighUint64: boolean;
}

/** What a verification found: the data came back exactly or not (`error` names the first difference), and the uint64 verdict. */
export interface DataVerdict {
  verified: boolean;
  error?: string;
  uint64?: Uint64Verdict;
}

export interface Dataset<S extends RecordSchema = RecordSchema> extends Required<DatasetDefinition<S>> {
  readonly info: DatasetInfo;
  /** Checksum of the expected records alone (the parent's pass before a run). */
  expectedChecksum(n: number, seed: number): string;
  /** Checksum, count, intrinsic bytes and the high-uint64 flag of the expected records, in one pass. */
  expect(n: number, seed: number): ExpectedData;
  /**
   * Checksum of what a load returned: rows through the row hasher, columns through the column hasher
   * (same digest). A leaf that does not fit gives a misfit digest (`N!hex`); data that is not records
   * at all (neither rows nor columns, or a record that is no record at depth 0) throws NotRecordsError.
   */
  checksum(data: Loaded): string;
  /** Records in what a load returned. */
  count(data: Loaded): number;
  /**
   * Judge what a load returned: the record count first (a wrong count throws RecordCountError: every
   * later record would be compared with another one), then the checksum, and only when it differs a
   * record-by-record comparison that names the first difference. Data that is not records at all
   * (not rows or columns, or a record that is not a record at depth 0) throws NotRecordsError: the
   * case fails; a leaf of the wrong type or value is `verified: false` (lossy) with its path.
   */
  verify(data: Loaded, n: number, seed: number, expectedChecksum: () => string): DataVerdict;
  /** The first difference between what a load returned and the generator's records. */
  diff(data: Loaded, n: number, seed: number): Difference;
  /** One record with every uint64 leaf set to `u` (to ask a codec whether it refuses large ones); null when the schema has none. */
  probe(u: bigint): Row<S>[] | null;
}

/** A plain value of a type, with every uint64 set to `u` (the probe record). */
function sampleValue(type: Type, u: bigint): unknown {
  switch (type.kind) {
    case 'f64':
    case 'f32':
      return 0.5;
    case 'int32':
      return 1;
    case 'uint64':
      return u;
    case 'bool':
      return true;
    case 'string':
      return 'ABCDEFGHIJKLMNOPQRST';
    case 'bytes':
      return Uint8Array.of(1, 2, 3);
    case 'enum':
      return type.symbols[0];
    case 'optional':
      return sampleValue(type.of, u);
    case 'list':
      return [sampleValue(type.of, u)];
    case 'vector': {
      const n = type.length ?? 1;
      return type.element === 'f32'
        ? new Float32Array(n)
        : type.element === 'f64'
          ? new Float64Array(n)
          : type.element === 'int32'
            ? new Int32Array(n)
            : new Uint8Array(n);
    }
    case 'map':
      return { key: sampleValue(type.values, u) };
    case 'union':
      return sampleValue(type.of.find(hasUint64) ?? type.of[0]!, u); // the member that holds a uint64, so the probe asks about it
    case 'record': {
      const o: Record<string, unknown> = {};
      for (const f of type.fields) o[f.name] = sampleValue(f.type, u);
      return o;
    }
    case 'tuple':
      return type.fields.map((f) => sampleValue(f.type, u));
  }
}

function hasUint64(type: Type): boolean {
  switch (type.kind) {
    case 'uint64':
      return true;
    case 'optional':
    case 'list':
      return hasUint64(type.of);
    case 'map':
      return hasUint64(type.values);
    case 'union':
      return type.of.some(hasUint64);
    case 'record':
    case 'tuple':
      return type.fields.some((f) => hasUint64(f.type));
    default:
      return false;
  }
}

/** A dataset from its definition: the schema is validated once, everything else is derived from it. */
export function defineDataset<S extends RecordSchema>(def: DatasetDefinition<S>): Dataset<S> {
  const problems = validateSchema(def.schema);
  if (problems.length > 0) throw new TypeError(`dataset ${def.name}: ${problems.join('; ')}`);
  if (!/^[a-z][a-z0-9-]*$/.test(def.name)) throw new TypeError(`dataset name ${JSON.stringify(def.name)} is not [a-z][a-z0-9-]*`);
  const { schema } = def;
  const records = def.records ? def.records.bind(def) : (n: number, seed: number): Iterable<Row<S>> => def.generate(n, seed);
  const withUint64 = hasUint64(schema);
  const rows = records as (n: number, seed: number) => Iterable<unknown>; // (Infer<S> of a generic S is too deep for the checker here)
  const ds: Dataset<S> = {
    name: def.name,
    description: def.description,
    schema,
    defaultN: def.defaultN,
    generate: def.generate.bind(def),
    records,
    info: {
      name: def.name,
      description: def.description,
      schema,
      fingerprint: schemaFingerprint(schema),
      lines: describeSchema(schema),
      defaultN: def.defaultN,
    },
    expectedChecksum: (n, seed) => checksumRecords(schema, rows(n, seed)),
    expect(n, seed) {
      let bytes = 0;
      let high = false;
      const counted = function* (): Generator<unknown> {
        for (const r of rows(n, seed)) {
          bytes += intrinsicBytes(schema, r);
          if (!high && withUint64) high = holdsHighUint64(schema, [r]);
          yield r;
        }
      };
      const checksum = checksumRecords(schema, counted());
      return { records: n, checksum, intrinsicBytes: bytes, holdsHighUint64: high };
    },
    checksum(data) {
      const cols = batchesOf(schema, data);
      if (cols) return checksumBatches(schema, cols.source, cols.batches);
      const h = new RecordHasher(schema);
      for (const r of data as readonly unknown[]) h.add(r);
      const digest = h.digest();
      const m = h.misfit;
      if (m?.kind === 'shape')
        throw new NotRecordsError(`the load returned something that is not ${schema.name} records: record ${m.record}: is not ${shapeText(schema)}: ${m.got}`);
      return digest;
    },
    count: countLoaded,
    verify(data, n, seed, expectedChecksum) {
      const len = countLoaded(data);
      if (len !== n) throw new RecordCountError(len, n);
      let got: string | null;
      try {
        got = ds.checksum(data);
      } catch (err) {
        // a column of another type (BigInts read from a Float64Array): the comparison below names it
        if (!(err instanceof TypeError || err instanceof RangeError) || err instanceof NotRecordsError) throw err;
        got = null;
      }
      const high = (): boolean => withUint64 && holdsHighUint64(schema, rows(n, seed));
      if (got !== null && got === expectedChecksum()) return withVerdict({ verified: true }, verdictOf(true, high));
      const diff = ds.diff(data, n, seed);
      const found = diff.first ? `first differing ${diff.first}` : `checksum ${got} != ${expectedChecksum()}`;
      if (diff.notRecords) throw new NotRecordsError(`the load returned something that is not ${schema.name} records: ${found}`);
      const verdict = withUint64 ? verdictOf(false, high, diff) : undefined;
      return withVerdict({ verified: false, error: `data differs from the generator's: ${found}` }, verdict);
    },
    diff: (data, n, seed) => diffRecords(schema, loadedRows(schema, data), rows(n, seed)),
    probe: (u) => (withUint64 ? [sampleValue(schema, u) as Row<S>] : null),
  };
  return ds;
}

function withVerdict(v: DataVerdict, uint64: Uint64Verdict | undefined): DataVerdict {
  return uint64 ? { ...v, uint64 } : v;
}
