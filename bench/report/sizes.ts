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

/** What a record is and how many bytes of content it holds: the tuples' 36, or another dataset's mean per record. */
interface RecordSize {
  word: string;
  bytes: number;
  /** What the bytes are, for the note. */
  what: string;
}

const TUPLE_SIZE: RecordSize = { word: 'tuple', bytes: INTRINSIC_BYTES_PER_TUPLE, what: 'float64 + uint64 + 20 one-byte chars' };

function header(r: RecordSize) {
  const b = r.word === 'tuple' ? String(r.bytes) : r.bytes.toFixed(1);
  return columnsOf(
    ['format', 'N', 'compression', 'size (MiB)', `bytes/${r.word}`, `× intrinsic (${b} B/${r.word})`, '% of raw', 'CPU time (ms)'],
    (_, i) => i !== 0 && i !== 2,
  );
}

function line(row: SizeRow, label: string, bytes: number, ms: number | null, wall = false, size: RecordSize = TUPLE_SIZE): string[] {
  const perTuple = row.n > 0 ? bytes / row.n : null;
  return [
    row.sameFileAs ? `${row.codec} (the file of ${row.sameFileAs}, byte for byte)` : row.codec,
    formatInt(row.n),
    label,
    formatMiBValue(bytes),
    perTuple === null ? '–' : perTuple.toFixed(2),
    perTuple === null ? '–' : `${(perTuple / size.bytes).toFixed(2)}×`,
    row.rawBytes > 0 ? `${((100 * bytes) / row.rawBytes).toFixed(1)}%` : '–',
    ms === null ? '' : `${formatSig(ms)}${wall ? ' (wall)' : ''}`,
  ];
}

function compressed(row: SizeRow, name: string, levelName: string, c: CompressedSize | 'n/a' | 'skipped', size: RecordSize): string[] {
  if (c === 'n/a') return [row.codec, formatInt(row.n), name, "n/a (not in this Node's zlib)", '', '', '', ''];
  if (c === 'skipped') return [row.codec, formatInt(row.n), name, 'not measured in this run (--no-brotli; the --datasets all preset)', '', '', '', ''];
  // CPU time where recorded; reports made before it existed have only the stream's wall time (marked)
  return line(row, `${name} ${levelName} ${c.level}`, c.bytes, c.cpuMs ?? c.ms, c.cpuMs === undefined, size);
}

/** The sizes of one dataset's files (a report, or its slice for one dataset: bench/report/datasets.ts). */
export function renderSizesMarkdown(report: Pick<Report, 'sizes'> & { config?: { jobs?: number }; datasets?: Report['datasets'] }): string {
  const rows = report.sizes;
  if (!rows || rows.length === 0) return '';
  const dataset = rows[0]!.dataset;
  const info = report.datasets?.[dataset];
  const size: RecordSize =
    dataset === undefined || dataset === 'tuples' || !info
      ? TUPLE_SIZE
      : { word: 'record', bytes: info.intrinsicBytesPerRecord, what: `the mean of ${dataset}'s records, bench/data/size.ts` };
  const body = rows.flatMap((r) => [
    line(r, 'none (file)', r.rawBytes, null, false, size),
    compressed(r, 'gzip', 'level', r.gzip, size),
    compressed(r, 'brotli', 'quality', r.brotli, size),
    compressed(r, 'zstd', 'level', r.zstd, size),
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
      `× intrinsic: bytes per ${size.word} over the ${size.word === 'tuple' ? size.bytes : size.bytes.toFixed(1)} bytes of content (${size.what}). MiB = 1024² bytes.` +
      (info?.source?.kind === 'sample'
        ? ` A repeated sample: the N records repeat the sample's ${info.source.sampleRecords.toLocaleString('en-US')} records, so every compressed size flatters its format, most those that deduplicate.`
        : ''),
    '',
    markdownTable(header(size), body),
    '',
  ].join('\n');
}
