/**
 * Columns hashed without rows (bench/data/columns.ts): the column hasher writes the row hasher's
 * stream, for the tuples' legacy columnar layout, for real Arrow tables, and for the generic
 * ColumnData of a schema with bools, optionals and a nested record.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { tuplesToTable } from '../bench/codecs/arrow.js';
import { generateTuples, TUPLE_SCHEMA } from '../bench/data/datasets/tuples.js';
import { batchesOf, type ColumnData, checksumBatches, countLoaded, loadedRows, NotRecordsError } from '../bench/data/columns.js';
import { checksumRecords } from '../bench/data/hash.js';
import { t } from '../bench/data/schema.js';
import type { Tuple } from '../bench/types.js';

const checksumCols = (schema: Parameters<typeof batchesOf>[0], data: Parameters<typeof batchesOf>[1]): string => {
  const cols = batchesOf(schema, data)!;
  return checksumBatches(schema, cols.source, cols.batches);
};

describe('columns', () => {
  const data = generateTuples(2000, 5);
  // non-ASCII and empty strings go through the UTF-8 decoder, ASCII ones straight from the bytes
  data[3] = [0.25, 'é€😀 non-ASCII', 2n ** 64n - 1n];
  data[4] = [0.5, '', 0n];

  it('an Arrow table of the tuples has the checksum of its rows, and gives back its rows', () => {
    const table = tuplesToTable(arrow, data, 0, data.length);
    const loaded = { kind: 'arrow' as const, n: data.length, table };
    expect(countLoaded(loaded)).toBe(2000);
    expect(checksumCols(TUPLE_SCHEMA, loaded)).toBe(checksumRecords(TUPLE_SCHEMA, data));
    expect([...loadedRows(TUPLE_SCHEMA, loaded)]).toEqual(data);
  });

  it("the tuples' legacy columnar layout has the checksum of its rows (trailing NULs are padding)", () => {
    const rows: Tuple[] = [
      [0.5, 'ABCDEFGHIJKLMNOPQRST', 1n],
      [5e-324, 'SHORT', 2n ** 64n - 1n],
    ];
    const strings = new Uint8Array(40);
    strings.set(Buffer.from(rows[0]![1], 'latin1'), 0);
    strings.set(Buffer.from(rows[1]![1], 'latin1'), 20);
    const col = {
      kind: 'columnar' as const,
      n: 2,
      floats: Float64Array.from([0.5, 5e-324]),
      ints: BigUint64Array.from([1n, 2n ** 64n - 1n]),
      strings,
      stringWidth: 20,
    };
    expect(checksumCols(TUPLE_SCHEMA, col)).toBe(checksumRecords(TUPLE_SCHEMA, rows));
    expect([...loadedRows(TUPLE_SCHEMA, col)]).toEqual(rows);
  });

  it('generic columns: bools as bytes or bits, an optional through its null bitmap, a nested record', () => {
    const schema = t.record('R', { ok: t.bool(), name: t.optional(t.string()), at: t.record('P', { x: t.f64(), id: t.int32() }) });
    const rows = [
      { ok: true, name: 'a', at: { x: 1.5, id: 1 } },
      { ok: false, name: null, at: { x: -0, id: -7 } },
      { ok: true, name: 'ccc', at: { x: 3, id: 3 } },
    ];
    const name: ColumnData = { length: 3, offset: 0, nullBitmap: Uint8Array.of(0b101), valueOffsets: Int32Array.of(0, 1, 1, 4), values: Buffer.from('accc') };
    const at: ColumnData = {
      length: 3,
      offset: 0,
      children: [
        { length: 3, offset: 0, values: Float64Array.of(1.5, -0, 3) },
        { length: 3, offset: 0, values: Int32Array.of(1, -7, 3) },
      ],
    };
    const asBytes = { kind: 'columnar' as const, n: 3, batches: [{ length: 3, fields: [{ length: 3, offset: 0, values: Uint8Array.of(1, 0, 1) }, name, at] }] };
    const asBits = { kind: 'arrow' as const, n: 3, batches: [{ length: 3, fields: [{ length: 3, offset: 0, values: Uint8Array.of(0b101) }, name, at] }] };
    expect(checksumCols(schema, asBytes)).toBe(checksumRecords(schema, rows));
    expect(checksumCols(schema, asBits)).toBe(checksumRecords(schema, rows));
    expect([...loadedRows(schema, asBits)]).toEqual(rows);
  });

  it('a null in a column the schema does not make optional is a misfit (N!), not the rows checksum', () => {
    const schema = t.record('R', { x: t.f64() });
    const col = {
      kind: 'columnar' as const,
      n: 2,
      batches: [{ length: 2, fields: [{ length: 2, offset: 0, nullBitmap: Uint8Array.of(0b01), values: Float64Array.of(1, 2) }] }],
    };
    expect(checksumCols(schema, col)).toMatch(/^2!/);
  });

  it('something that is neither rows nor columns is not records', () => {
    expect(() => batchesOf(TUPLE_SCHEMA, { kind: 'columnar', n: 1 } as never)).toThrow(NotRecordsError);
    expect(() => countLoaded({ kind: 'x' } as never)).toThrow(/neither rows nor columns/);
  });

  it('a kind without a column form is refused naming the field', () => {
    const schema = t.record('R', { xs: t.list(t.union(t.f64(), t.string())) });
    expect(() => checksumBatches(schema, 'columnar', [])).toThrow(/\.xs\[\]: a union has no column form here/);
  });
});
