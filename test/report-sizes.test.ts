import { describe, expect, it } from 'vitest';
import { renderSizesMarkdown } from '../bench/report/sizes.js';
import type { SizeRow } from '../bench/types.js';

const ROWS: SizeRow[] = [
  {
    dataset: 'tuples',
    codec: 'json',
    n: 1_000_000,
    rawBytes: 66_700_000,
    gzip: { bytes: 30_100_000, ms: 2345.6, level: 6 },
    brotli: { bytes: 27_000_000, ms: 3456.7, level: 6 },
    zstd: 'n/a',
  },
  {
    dataset: 'tuples',
    codec: 'msgpack',
    n: 1_000_000,
    rawBytes: 40_000_000,
    // CPU time recorded (the column shows it); the rows above and below are from reports made before it (wall time, marked)
    gzip: { bytes: 31_000_000, ms: 1500, cpuMs: 1234, level: 6 },
    brotli: { bytes: 30_500_000, ms: 2100.25, cpuMs: 987.6, level: 5 },
    zstd: { bytes: 30_900_000, ms: 180.5, cpuMs: 150.1, level: 3 },
  },
  { dataset: 'tuples', codec: 'empty', n: 0, rawBytes: 0, gzip: { bytes: 20, ms: 0.5, level: 6 }, brotli: { bytes: 1, ms: 0.25, level: 6 }, zstd: 'n/a' },
];

describe('renderSizesMarkdown', () => {
  it('renders raw and compressed sizes with bytes per tuple and the multiple of 36 B', () => {
    expect(renderSizesMarkdown({ sizes: ROWS })).toMatchSnapshot();
  });

  it('computes bytes per tuple and the intrinsic ratio from the figures', () => {
    const md = renderSizesMarkdown({ sizes: ROWS });
    // 40,000,000 B / 1e6 tuples = 40.00 B/tuple = 1.11 x 36 B
    expect(md).toContain('| msgpack | 1,000,000 | none (file) | 38.15 | 40.00 | 1.11× | 100.0% |  |');
  });

  it('says a byte-identical file was compressed once only where a row repeats another (not for runs that compressed every file)', () => {
    expect(renderSizesMarkdown({ sizes: ROWS })).not.toContain('compressed once');
    const repeat: SizeRow = { ...ROWS[0]!, codec: 'json-stream', sameFileAs: 'json' };
    const md = renderSizesMarkdown({ sizes: [ROWS[0]!, repeat] });
    expect(md).toContain('A file byte-identical (SHA-256) to one already measured is compressed once');
    expect(md).toContain('| json-stream (the file of json, byte for byte) | 1,000,000 | none (file) |');
  });

  it('renders nothing without sizes', () => {
    expect(renderSizesMarkdown({})).toBe('');
    expect(renderSizesMarkdown({ sizes: [] })).toBe('');
  });
});
