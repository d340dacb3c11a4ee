/**
 * What a failed verification found, and the uint64 verdict of a case: whether
 * the format carried every value in [0, 2**64) exactly, lost some (`lossy`),
 * or refused them (`rejected`). Never declared by a codec: measured here, from
 * the data a case's verification compared, or (rejected) from a dump that
 * threw and a probe that shows it threw because of the uint64.
 *
 * Only the slow paths run this: the record-by-record comparison runs when the
 * checksums already differ, the probe when a dump already failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iterateTuples } from '../fixtures/generate.js';
import { checksumLoaded, loadedLength } from './checksum.js';
import type { Codec, LoadedData, Tuple, Uint64Verdict } from './types.js';

/** Starts the error of a dump the probe shows to refuse values >= 2**63; the orchestrator reads it back as the verdict `rejected`. */
export const UINT64_REJECTED = 'uint64 rejected:';

const TWO_63 = 9223372036854775808n;
const utf8 = new TextDecoder();

/** The loaded records one at a time, as tuples (slow path only: columnar data is turned into rows here). */
export function* loadedRecords(data: LoadedData): Generator<Tuple> {
  if (Array.isArray(data)) {
    yield* data;
  } else if (data.kind === 'columnar') {
    const w = data.stringWidth;
    for (let i = 0; i < data.n; i++) {
      let end = (i + 1) * w;
      while (end > i * w && data.strings[end - 1] === 0) end--;
      yield [data.floats[i]!, Buffer.from(data.strings.subarray(i * w, end)).toString('latin1'), data.ints[i]!];
    }
  } else {
    for (const batch of data.table.batches) {
      const [f, s, u] = batch.data.children;
      const off = s!.valueOffsets as Int32Array;
      for (let i = 0; i < batch.numRows; i++) {
        const str = utf8.decode((s!.values as Uint8Array).subarray(off[s!.offset + i]!, off[s!.offset + i + 1]!));
        yield [(f!.values as Float64Array)[f!.offset + i]!, str, (u!.values as BigUint64Array)[u!.offset + i]!];
      }
    }
  }
}

function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** A value as the difference names it; a value of another type than the generator's says its type. */
function show(v: unknown, want: unknown): string {
  const text = typeof v === 'bigint' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : String(v);
  return typeof v === typeof want ? text : `${text} (${v === null ? 'null' : typeof v})`;
}

export interface Difference {
  /**
   * The first record that differs, naming every field that differs ("record 3: uint64
   * 9223372036854775808 came back as -9223372036854775808"), or null when every compared record is equal.
   */
  first: string | null;
  /**
   * Some record came back as itself (its float or its string equal to the generator's) with another
   * uint64, or a uint64 of another type than bigint. A record whose float and string both differ is
   * another record (dropped or reordered ones shift every later one) and tells nothing about the uint64.
   */
  uint64Differs: boolean;
  /** Records whose uint64 could not be judged that way (neither float nor string came back). */
  uint64Unjudged: number;
  /** Some record's uint64 in the generated data is >= 2**63 (so an exact result says something about the high half). */
  holdsHighUint64: boolean;
}

/**
 * Compare loaded data with the generator's tuples record by record (over the shorter of the two),
 * up to the first record whose uint64 alone differs (after it, the verdict cannot change).
 */
export function diffLoaded(data: LoadedData, n: number, seed: number): Difference {
  let first: string | null = null;
  let uint64Differs = false;
  let uint64Unjudged = 0;
  let holdsHighUint64 = false;
  const want = iterateTuples(n, seed);
  let i = 0;
  for (const got of loadedRecords(data)) {
    const w = want.next();
    if (w.done) break;
    const [f, s, u] = w.value;
    if (u >= TWO_63) holdsHighUint64 = true;
    if (!Array.isArray(got) || got.length !== 3) {
      first ??= `record ${i}: is not [float, string, uint64]: ${show(got, w.value)}`;
      uint64Unjudged++;
      i++;
      continue;
    }
    const fields: [string, unknown, unknown, boolean][] = [
      ['float', f, got[0], typeof got[0] === 'number' && sameFloat(f, got[0])],
      ['string', s, got[1], got[1] === s],
      ['uint64', u, got[2], got[2] === u],
    ];
    const differing = fields.filter(([, , , same]) => !same);
    if (differing.length > 0) first ??= `record ${i}: ${differing.map(([name, a, b]) => `${name} ${show(a, a)} came back as ${show(b, a)}`).join('; ')}`;
    const sameRecord = fields[0]![3] || fields[1]![3];
    if (!sameRecord) uint64Unjudged++;
    else if (!fields[2]![3]) uint64Differs = true;
    i++;
    if (uint64Differs) break; // the verdict is lossy whatever follows, and the first difference is named: a lossy million records need not all be compared
  }
  return { first, uint64Differs, uint64Unjudged, holdsHighUint64 };
}

/** Whether the generated data holds a uint64 >= 2**63 (almost always the first few records). */
export function holdsHighUint64(n: number, seed: number): boolean {
  for (const t of iterateTuples(n, seed)) if (t[2] >= TWO_63) return true;
  return false;
}

/**
 * The uint64 verdict of one verification. Undefined when it cannot tell: the data held no value >=
 * 2**63, or some records came back as other records (neither float nor string equal), so their
 * uint64 was not judged and none of those judged differed.
 */
export function verdictOf(verified: boolean, n: number, seed: number, diff?: Difference): Uint64Verdict | undefined {
  if (diff?.uint64Differs) return 'lossy';
  const high = diff ? diff.holdsHighUint64 : holdsHighUint64(n, seed);
  if (!high) return undefined;
  if (verified) return 'exact';
  return diff && diff.uint64Unjudged === 0 ? 'exact' : undefined;
}

/** A load returned another number of records than the data holds: the case fails (no lossy verdict), naming both counts. */
export class RecordCountError extends Error {
  override name = 'RecordCountError';
  constructor(
    readonly loaded: number,
    readonly expected: number,
  ) {
    super(`loaded ${loaded} records, expected ${expected}`);
  }
}

/** What a verification found: the data came back exactly or not (`error` names the first difference), and the uint64 verdict. */
export interface Judged {
  verified: boolean;
  error?: string;
  uint64?: Uint64Verdict;
}

/**
 * Judge what a load returned against the generator's data: first the number of records (a wrong
 * count throws RecordCountError: every later record would be compared with another one), then the
 * checksum, and only when it differs (or cannot be computed: a field of another type) a
 * record-by-record comparison that names the first difference.
 */
export function judgeLoaded(data: LoadedData, n: number, seed: number, expectedChecksum: () => string): Judged {
  const len = loadedLength(data);
  if (len !== n) throw new RecordCountError(len, n);
  let got: string | null;
  try {
    got = checksumLoaded(data);
  } catch (err) {
    // a field of another type (a uint64 that came back as a Number) or shape: the comparison below names it
    if (!(err instanceof TypeError || err instanceof RangeError)) throw err;
    got = null;
  }
  if (got !== null && got === expectedChecksum()) return withUint64({ verified: true }, verdictOf(true, n, seed));
  const diff = diffLoaded(data, n, seed);
  const error = `data differs from the generator's: ${diff.first ? `first differing ${diff.first}` : `checksum ${got} != ${expectedChecksum()}`}`;
  return withUint64({ verified: false, error }, verdictOf(false, n, seed, diff));
}

function withUint64(v: Judged, uint64: Uint64Verdict | undefined): Judged {
  return uint64 ? { ...v, uint64 } : v;
}

/**
 * After a dump threw: does the codec refuse a uint64 >= 2**63 while it takes
 * a small one? Dumps one record of each to a scratch folder. Returns the
 * large value's error, or null when the failure was about something else.
 */
export async function probeUint64Rejection(codec: Codec): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-u64-'));
  const attempt = async (u: bigint): Promise<string | null> => {
    try {
      await codec.dump([[0.5, 'ABCDEFGHIJKLMNOPQRST', u]], join(dir, `${u}.${codec.extension}`));
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  try {
    if ((await attempt(1n)) !== null) return null;
    return (await attempt(2n ** 64n - 1n)) ?? (await attempt(TWO_63));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A case's verdict from its runs' verdicts, or from the error of a dump that failed. */
export function caseUint64(runs: readonly { uint64?: Uint64Verdict }[], failureError?: string): Uint64Verdict | undefined {
  if (failureError?.includes(UINT64_REJECTED)) return 'rejected';
  if (runs.some((r) => r.uint64 === 'lossy')) return 'lossy';
  if (runs.some((r) => r.uint64 === 'exact')) return 'exact';
  return undefined;
}

/** One verdict per codec over its dump and load cases: the worst seen (rejected, then lossy, then exact). */
export function codecUint64(cases: readonly { codec: string; uint64?: Uint64Verdict }[], codec: string): Uint64Verdict | undefined {
  const seen = new Set(cases.filter((c) => c.codec === codec).map((c) => c.uint64));
  for (const v of ['rejected', 'lossy', 'exact'] as const) if (seen.has(v)) return v;
  return undefined;
}
