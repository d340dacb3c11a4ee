/**
 * Throughput measured in several fresh processes, merged into one section: each codec and direction
 * keeps every process's mean latency (`processMeansMs`, what `compare` tests) and shows the median
 * over the processes. Pure.
 *
 * Why several processes: the margin of error of one process covers its own samples only. Between
 * processes the JIT decides differently and the machine's load moves, and one build's throughput
 * moved −13% to −37% from one process to the next here while each process reported margins of a few
 * percent. The process is the unit that repeats, as it is for the memory runs.
 */
import type { DirectionStats, ThroughputRow, ThroughputSection } from '../types.js';

function med(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function mergeDirection(all: readonly DirectionStats[], batch: number, encodedBytes: number): DirectionStats {
  const meanMs = med(all.map((s) => s.meanMs));
  const opsPerSec = meanMs > 0 ? 1000 / meanMs : 0;
  return {
    samples: all.reduce((n, s) => n + s.samples, 0),
    meanMs,
    p50Ms: med(all.map((s) => s.p50Ms)),
    p99Ms: med(all.map((s) => s.p99Ms)),
    minMs: Math.min(...all.map((s) => s.minMs)),
    maxMs: Math.max(...all.map((s) => s.maxMs)),
    rmePercent: med(all.map((s) => s.rmePercent)),
    opsPerSec,
    tuplesPerSec: opsPerSec * batch,
    encodedBytesPerSec: opsPerSec * encodedBytes,
    processMeansMs: all.map((s) => s.meanMs),
  };
}

/** One codec's rows from every process: ok only when ok in each (a failure or loss in any one is the row's state). */
function mergeRow(rows: readonly ThroughputRow[], batch: number): ThroughputRow {
  const bad = rows.find((r) => r.state === 'failed') ?? rows.find((r) => r.state === 'lossy') ?? rows.find((r) => r.state === 'n/a');
  if (bad) return bad;
  const first = rows[0]!;
  const encodedBytes = first.encodedBytes ?? 0;
  return {
    ...first,
    verified: rows.every((r) => r.verified),
    encode: mergeDirection(
      rows.map((r) => r.encode!),
      batch,
      encodedBytes,
    ),
    decode: mergeDirection(
      rows.map((r) => r.decode!),
      batch,
      encodedBytes,
    ),
  };
}

/** The datasets of a section's rows, in their order of appearance. */
function datasetsOf(s: ThroughputSection): string[] {
  return [...new Set(s.rows.map((r) => r.dataset))];
}

/**
 * Merge the sections of processes that measured the same codecs (each in its own order) into one,
 * its rows by dataset, in `order` within each. One section is returned with its process mean
 * recorded, so every report written now says how many processes it has.
 */
export function mergeThroughput(sections: readonly ThroughputSection[], order: readonly string[], orderSeed: number): ThroughputSection {
  if (sections.length === 0) throw new RangeError('mergeThroughput: no sections');
  const first = sections[0]!;
  const rows = datasetsOf(first).flatMap((dataset) =>
    order.flatMap((codec) => {
      const mine = sections.map((s) => s.rows.find((r) => r.dataset === dataset && r.codec === codec)).filter((r): r is ThroughputRow => r !== undefined);
      return mine.length === sections.length ? [mergeRow(mine, first.batches?.[dataset] ?? first.batch)] : [];
    }),
  );
  return {
    ...first,
    rows,
    processes: sections.length,
    // each process's codec order (the same in each of its datasets)
    codecOrders: sections.map((s) => s.rows.filter((r) => r.dataset === s.rows[0]?.dataset).map((r) => r.codec)),
    orderSeed,
    calibrationMs: sections.flatMap((s) => s.calibrationMs ?? []),
  };
}
