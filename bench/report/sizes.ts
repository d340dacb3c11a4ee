/**
 * Markdown for the report's sizes section: per codec and N, the raw file and
 * its gzip / brotli / zstd sizes, as MiB, bytes per tuple and a multiple of
 * the data's intrinsic 36 bytes per tuple. Pure: report in, string out; empty
 * string when the report has no sizes.
 */
import { INTRINSIC_BYTES_PER_TUPLE } from '../data/datasets/tuples.js';
import type { CompressedSize, Report, SizeRow } from '../types.js';
import { formatInt, formatMiBValue, formatSig } from './format.js';
import { columnsOf, markdownTable } from './table.js';

const HEADER = columnsOf(
  ['format', 'N', 'compression', 'size (MiB)', 'bytes/tuple', `× intrinsic (${INTRINSIC_BYTES_PER_TUPLE} B/tuple)`, '% of raw', 'CPU time (ms)'],
  (_, i) => i !== 0 && i !== 2,
);

function line(row: SizeRow, label: string, bytes: number, ms: number | null, wall = false): string[] {
  const perTuple = row.n > 0 ? bytes / row.n : null;
  return [
    row.sameFileAs ? `${row.codec} (the file of ${row.sameFileAs}, byte for byte)` : row.codec,
    formatInt(row.n),
    label,
    formatMiBValue(bytes),
    perTuple === null ? '–' : perTuple.toFixed(2),
    perTuple === null ? '–' : `${(perTuple / INTRINSIC_BYTES_PER_TUPLE).toFixed(2)}×`,
    row.rawBytes > 0 ? `${((100 * bytes) / row.rawBytes).toFixed(1)}%` : '–',
    ms === null ? '' : `${formatSig(ms)}${wall ? ' (wall)' : ''}`,
  ];
}

function compressed(row: SizeRow, name: string, levelName: string, c: CompressedSize | 'n/a'): string[] {
  if (c === 'n/a') return [row.codec, formatInt(row.n), name, "n/a (not in this Node's zlib)", '', '', '', ''];
  // CPU time where recorded; reports made before it existed have only the stream's wall time (marked)
  return line(row, `${name} ${levelName} ${c.level}`, c.bytes, c.cpuMs ?? c.ms, c.cpuMs === undefined);
}

export function renderSizesMarkdown(report: Pick<Report, 'sizes'> & { config?: { jobs?: number } }): string {
  const rows = report.sizes;
  if (!rows || rows.length === 0) return '';
  const body = rows.flatMap((r) => [
    line(r, 'none (file)', r.rawBytes, null),
    compressed(r, 'gzip', 'level', r.gzip),
    compressed(r, 'brotli', 'quality', r.brotli),
    compressed(r, 'zstd', 'level', r.zstd),
  ]);
  return [
    '## File sizes, raw and compressed',
    '',
    "Each codec's dump file, streamed through node:zlib. CPU time = what the compressing process spent reading and compressing, one stream at a time" +
      ((report.config?.jobs ?? 1) > 1
        ? ` (with --jobs ${report.config?.jobs} beside other children, which slows its wall time, kept in the JSON, more than its CPU time)`
        : '') +
      // only where a row is such a repeat: a run that compressed every file (results made before the identity check) did not do it
      (rows.some((r) => r.sameFileAs)
        ? '. A file byte-identical (SHA-256) to one already measured is compressed once; its row repeats those figures. '
        : '. ') +
      `× intrinsic: bytes per tuple over the ${INTRINSIC_BYTES_PER_TUPLE} bytes of content (float64 + uint64 + 20 one-byte chars). MiB = 1024² bytes.`,
    '',
    markdownTable(HEADER, body),
    '',
  ].join('\n');
}
