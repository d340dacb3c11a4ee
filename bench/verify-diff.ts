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

function show(v: unknown): string {
  return typeof v === 'bigint' ? String(v) : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export interface Difference {
  /** "record 3: uint64 9223372036854775808 came back as -9223372036854775808", or null when every compared record is equal. */
  first: string | null;
  /** Some record's uint64 came back different. */
  uint64Differs: boolean;
  /** Some record's uint64 in the generated data is >= 2**63 (so an exact result says something about the high half). */
  holdsHighUint64: boolean;
}

/** Compare loaded data with the generator's tuples record by record (over the shorter of the two). */
export function diffLoaded(data: LoadedData, n: number, seed: number): Difference {
  let first: string | null = null;
  let uint64Differs = false;
  let holdsHighUint64 = false;
  const want = iterateTuples(n, seed);
  let i = 0;
  for (const got of loadedRecords(data)) {
    const w = want.next();
    if (w.done) break;
    const [f, s, u] = w.value;
    if (u >= TWO_63) holdsHighUint64 = true;
    const fields: [string, unknown, unknown, boolean][] = [
      ['float', f, got[0], typeof got[0] === 'number' && sameFloat(f, got[0])],
      ['string', s, got[1], got[1] === s],
      ['uint64', u, got[2], got[2] === u],
    ];
    for (const [name, a, b, same] of fields) {
      if (same) continue;
      if (name === 'uint64') uint64Differs = true;
      first ??= `record ${i}: ${name} ${show(a)} came back as ${show(b)}`;
    }
    i++;
  }
  return { first, uint64Differs, holdsHighUint64 };
}

/** Whether the generated data holds a uint64 >= 2**63 (almost always the first few records). */
export function holdsHighUint64(n: number, seed: number): boolean {
  for (const t of iterateTuples(n, seed)) if (t[2] >= TWO_63) return true;
  return false;
}

/** The uint64 verdict of one verification. Undefined when it cannot tell (the data held no value >= 2**63). */
export function verdictOf(verified: boolean, n: number, seed: number, diff?: Difference): Uint64Verdict | undefined {
  if (diff?.uint64Differs) return 'lossy';
  const high = diff ? diff.holdsHighUint64 : holdsHighUint64(n, seed);
  if (!high) return undefined;
  return verified || diff ? 'exact' : undefined;
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
