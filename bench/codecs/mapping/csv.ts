/**
 * The CSV form of a flat dataset (mapping/flat.ts says which are flat), for text, text-stream and
 * text-to-columnar on every dataset but the tuples (design §5.3, §5.5). Per scalar:
 * - f64: Number#toString (what Papa.unparse writes): exact but for −0, written "0" (lossy);
 *   NaN and ±Infinity as their names (exact);
 * - f32: the same text of its double, parsed then Math.fround (exact);
 * - int32, a uint8 vector element: decimal; uint64: decimal, read to a BigInt;
 * - bool: true / false; enum: its symbol (quoted if it needs it); string: as it is, quoted by
 *   RFC 4180 when it holds a comma, quote, CR, LF or BOM or starts or ends with a space (papaparse's
 *   rule), quotes doubled; the file is UTF-8, so a lone surrogate becomes U+FFFD (lossy);
 * - an optional number, bool or enum: an empty field for null.
 * Loads return the dataset's in-memory form (records with named fields, nested records rebuilt,
 * fixed vectors as their typed arrays, enum values the schema's own symbol strings), or, for
 * text-to-columnar, the columns bench/data/columns.ts hashes.
 * Loaded only when a text codec binds to a dataset other than the tuples (plan.ts says why).
 */
import type { ColumnBatch, ColumnData } from '../../data/columns.js';
import type { RecordSchema, Type } from '../../data/schema.js';
import type { LoadedData } from '../../types.js';
import { appendCarry, fileChunks } from '../stream-util.js';
import { type FlatColumn, floatText, PLAIN, parseUint64Bytes } from './flat.js';

/** One CSV field as Papa.unparse writes it (its `safe`): null empty, numbers by toString, strings quoted when they must be. */
export function cellText(v: unknown): string {
  if (typeof v === 'number') return floatText(v);
  if (typeof v === 'string') return PLAIN.test(v) ? v : `"${v.replaceAll('"', '""')}"`;
  return v === null || v === undefined ? '' : String(v); // bigint, boolean: never quoted
}

type Get = (r: unknown) => unknown;
type Build = (cells: readonly unknown[], i: number) => unknown;

const TYPED = { f32: Float32Array, f64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;
const INT = /^-?(0|[1-9][0-9]*)$/;

/** A number field's text (as parseFloatField: Number() of a non-empty text, NaN only when it says so); NaN when it is none. */
function numberOr(s: string): number | undefined {
  const v = Number(s);
  return s === '' || (Number.isNaN(v) && s !== 'NaN') ? undefined : v;
}

const UINT64 = /^(0|[1-9][0-9]{0,19})$/;
const TWO_64 = 2n ** 64n;

/** A field's text to its value (`null` for an empty optional one); throws naming the record and the column. */
function parser(c: FlatColumn): (text: unknown, i: number) => unknown {
  const fail = (i: number, what: string, text: unknown): never => {
    throw new TypeError(`record ${i + 1}: ${c.name}: ${what}: ${JSON.stringify(text)}`);
  };
  const inner = ((): ((s: string, i: number) => unknown) => {
    switch (c.kind) {
      case 'f64':
        return (s, i) => numberOr(s) ?? fail(i, 'not a number', s);
      case 'f32':
        return (s, i) => Math.fround(numberOr(s) ?? fail(i, 'not a number', s));
      case 'uint64':
        return (s, i) => {
          const v = UINT64.test(s) ? BigInt(s) : TWO_64;
          return v < TWO_64 ? v : fail(i, 'not a decimal uint64', s);
        };
      case 'bool':
        return (s, i) => (s === 'true' ? true : s === 'false' ? false : fail(i, 'not true or false', s));
      case 'enum': {
        const symbols = new Map(c.symbols!.map((sym) => [sym, sym]));
        return (s, i) => symbols.get(s) ?? fail(i, 'not a symbol of the enum', s);
      }
      case 'string':
        return (s) => s;
      default: {
        // int32, or a uint8 vector's element
        const [lo, hi] = c.kind === 'uint8' ? [0, 255] : [-(2 ** 31), 2 ** 31 - 1];
        return (s, i) => {
          const v = INT.test(s) ? Number(s) : Number.NaN;
          return v >= lo && v <= hi ? v : fail(i, `not an integer in [${lo}, ${hi}]`, s);
        };
      }
    }
  })();
  return (text, i) => {
    if (typeof text !== 'string') return fail(i, 'field missing', text);
    return c.optional && text === '' ? null : inner(text, i);
  };
}

/** A flat dataset's CSV form: each column's value from a record, a record from its fields, the file into columns. */
export interface CsvMapping {
  readonly columns: readonly FlatColumn[];
  /** The record's field values, in column order (what Papa.unparse takes). */
  cells(r: unknown): unknown[];
  /** The record as one line, newline included: the bytes Papa.unparse writes. */
  line(r: unknown): string;
  /** A record in the in-memory form from a parsed row of field texts. */
  build(row: unknown, i: number): unknown;
  /** The file into columns (text-to-columnar). */
  loadColumns(path: string): Promise<LoadedData>;
}

export function csvMapping(schema: RecordSchema, columns: readonly FlatColumn[]): CsvMapping {
  const gets: Get[] = [];
  let next = 0;
  const compile = (type: Type, get: Get): Build => {
    switch (type.kind) {
      case 'record':
      case 'tuple': {
        const fields = type.fields.map((f, j) => ({
          name: f.name,
          build: compile(f.type, type.kind === 'record' ? (r) => (get(r) as Record<string, unknown>)[f.name] : (r) => (get(r) as unknown[])[j]),
        }));
        if (type.kind === 'tuple') return (cells, i) => fields.map((f) => f.build(cells, i));
        return (cells, i) => {
          const o: Record<string, unknown> = {};
          for (const f of fields) o[f.name] = f.build(cells, i);
          return o;
        };
      }
      case 'vector': {
        const T = TYPED[type.element];
        const parse = parser(columns[next]!);
        const first = next;
        const n = type.length!;
        for (let j = 0; j < n; j++) gets.push((r) => (get(r) as ArrayLike<number>)[j]);
        next += n;
        return (cells, i) => {
          const v = new T(n);
          for (let j = 0; j < n; j++) v[j] = parse(cells[first + j], i) as number;
          return v;
        };
      }
      default: {
        const at = next++;
        const parse = parser(columns[at]!);
        gets.push(get);
        return (cells, i) => parse(cells[at], i);
      }
    }
  };
  const build = compile(schema, (r) => r);
  const k = columns.length;
  return {
    columns,
    cells: (r) => gets.map((g) => g(r)),
    line(r) {
      let s = cellText(gets[0]!(r));
      for (let j = 1; j < k; j++) s += `,${cellText(gets[j]!(r))}`;
      return `${s}\n`;
    },
    build(row, i) {
      if (!Array.isArray(row) || row.length !== k) throw new TypeError(`record ${i + 1} has ${Array.isArray(row) ? row.length : 0} fields, not ${k}`);
      return build(row, i);
    },
    loadColumns: (path) => loadCsvColumns(schema, columns, path),
  };
}

// ---- text-to-columnar: the file's bytes straight into columns ----

const LF = 0x0a;
const COMMA = 0x2c;
const QUOTE = 0x22;
/** A field's content as splitFields found it: quoted (its quotes removed), and with doubled quotes inside. */
const QUOTED = 1;
const DOUBLED = 2;

/**
 * stream-util's scanLines for RFC 4180 CSV (kept here, loaded only with this mapping):
 * `onRecord(buf, start, end, recordNo)` for every record, where a record ends at an LF outside
 * quotes (a quoted field may hold LFs), blank records skipped. The
 * quote state toggles at every quote byte, which is exact for record boundaries: a doubled quote
 * inside a quoted field toggles twice. Positions of the next quote and LF are cached per chunk so
 * the scan stays linear (indexOf runs natively). With `onRecord` null it only counts, keeping no
 * carry: the first pass that sizes text-to-columnar's columns (records, not LFs).
 */
export async function scanRecords(path: string, onRecord: ((buf: Buffer, start: number, end: number, recordNo: number) => void) | null): Promise<number> {
  let carry: Buffer | null = null;
  let pending = false; // bytes of an unfinished record precede this chunk
  let inQuotes = false;
  let records = 0;
  const emit = (buf: Buffer, start: number, end: number): void => {
    if (start === end) return;
    records++;
    onRecord?.(buf, start, end, records);
  };
  for await (const chunk of fileChunks(path)) {
    const len = chunk.length;
    let start = 0;
    let p = 0;
    let q = -1;
    let nl = -1;
    while (p < len) {
      if (q < p) q = indexOrEnd(chunk, QUOTE, p);
      if (inQuotes) {
        if (q >= len) break;
        inQuotes = false;
        p = q + 1;
        continue;
      }
      if (nl < p) nl = indexOrEnd(chunk, LF, p);
      if (q < nl) {
        inQuotes = true;
        p = q + 1;
        continue;
      }
      if (nl >= len) break;
      if (pending) {
        const rec = onRecord ? appendCarry(carry, chunk.subarray(0, nl), records + 1) : chunk;
        emit(rec, 0, onRecord ? rec.length : 1); // counting only: the carried record is not blank
        carry = null;
        pending = false;
      } else emit(chunk, start, nl);
      start = p = nl + 1;
    }
    if (start < len) {
      if (onRecord) carry = appendCarry(carry, chunk.subarray(start), records + 1);
      pending = true;
    }
  }
  if (inQuotes) throw new SyntaxError(`record ${records + 1}: a quoted field is not closed at the end of the file`);
  if (pending) emit(carry ?? Buffer.alloc(1), 0, carry ? carry.length : 1);
  return records;
}

/** buf.indexOf(byte, from), or buf.length when absent. */
function indexOrEnd(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i < 0 ? buf.length : i;
}

/**
 * Split record [start, end) into exactly k RFC 4180 fields: content bounds into `bounds`
 * (2 per field) and flags (QUOTED, DOUBLED) into `flags`. Byte by byte: fields are short, and a
 * bounded indexOf does not exist. Strict: a quote inside an unquoted field, or text after a
 * closing quote, is an error (the text codecs never write either).
 */
function splitFields(buf: Buffer, start: number, end: number, k: number, bounds: Int32Array, flags: Uint8Array, recordNo: number): void {
  let p = start;
  for (let f = 0; f < k; f++) {
    if (f > 0) {
      if (p >= end) throw new TypeError(`record ${recordNo} has ${f} fields, not ${k}`);
      p++; // the comma
    }
    if (p < end && buf[p] === QUOTE) {
      let flag = QUOTED;
      let q = p + 1;
      for (;;) {
        while (q < end && buf[q] !== QUOTE) q++;
        if (q >= end) throw new SyntaxError(`record ${recordNo}: a quoted field is not closed`);
        if (q + 1 < end && buf[q + 1] === QUOTE) {
          flag = DOUBLED;
          q += 2;
          continue;
        }
        break;
      }
      bounds[2 * f] = p + 1;
      bounds[2 * f + 1] = q;
      flags[f] = flag;
      p = q + 1;
      if (p < end && buf[p] !== COMMA) throw new SyntaxError(`record ${recordNo}: text after the closing quote of field ${f + 1}`);
    } else {
      const a = p;
      while (p < end && buf[p] !== COMMA) {
        if (buf[p] === QUOTE) throw new SyntaxError(`record ${recordNo}: a quote inside unquoted field ${f + 1}`);
        p++;
      }
      bounds[2 * f] = a;
      bounds[2 * f + 1] = p;
      flags[f] = 0;
    }
  }
  if (p < end) throw new TypeError(`record ${recordNo} has more than ${k} fields`);
}

/** Copy [a, b) to `out` at `at`; returns the bytes written. */
function copyBytes(buf: Buffer, a: number, b: number, out: Uint8Array, at: number): number {
  for (let p = a; p < b; p++) out[at + p - a] = buf[p]!;
  return b - a;
}

/** Copy [a, b) to `out` at `at` with each doubled quote made one; returns the bytes written. */
function unquote(buf: Buffer, a: number, b: number, out: Uint8Array, at: number): number {
  let w = at;
  for (let p = a; p < b; p++) {
    out[w++] = buf[p]!;
    if (buf[p] === QUOTE) p++;
  }
  return w - at;
}

/** Writes one column's field into its typed array at a slot (`doubled`: the field holds doubled quotes, one each in the value). */
interface Sink {
  put(buf: Buffer, a: number, b: number, slot: number, recordNo: number, doubled: boolean): void;
  /** The column as ColumnData for `n` records (slots = n × stride). */
  column(n: number): ColumnData;
}

const DIGIT_0 = 0x30;
const MINUS = 0x2d;

function fieldError(c: FlatColumn, recordNo: number, what: string, buf: Buffer, a: number, b: number): never {
  throw new TypeError(`record ${recordNo}: ${c.name}: ${what}: ${JSON.stringify(buf.toString('utf8', a, Math.min(b, a + 40)))}`);
}

/** A column's sink, preallocated for `slots` values; `stringBytes` is the UTF-8 size of a string column's content. */
function sink(c: FlatColumn, slots: number, stringBytes: number): Sink {
  const nulls = c.optional ? new Uint8Array(Math.ceil(slots / 8)) : null;
  const present = (slot: number): void => {
    if (nulls) nulls[slot >> 3]! |= 1 << (slot & 7);
  };
  const done =
    (values: ColumnData['values'], more?: Partial<ColumnData>) =>
    (n: number): ColumnData => ({
      length: n,
      offset: 0,
      values,
      ...(nulls ? { nullBitmap: nulls } : {}),
      ...more,
    });
  switch (c.kind) {
    case 'string': {
      const values = new Uint8Array(stringBytes);
      const offsets = new Int32Array(slots + 1);
      let w = 0;
      return {
        put(buf, a, b, slot, recordNo, doubled) {
          // byte by byte, not Buffer#copy: copy makes a Uint8Array view per call (garbage per field, measured)
          w += doubled ? unquote(buf, a, b, values, w) : copyBytes(buf, a, b, values, w);
          // bytes past the end were dropped (a typed array): the first pass counted fewer
          if (w > values.length) throw new Error(`record ${recordNo}: ${c.name}: the file changed while being read`);
          offsets[slot + 1] = w;
        },
        column: done(values, { valueOffsets: offsets }),
      };
    }
    case 'f64':
    case 'f32': {
      const values = c.kind === 'f64' ? new Float64Array(slots) : new Float32Array(slots);
      return {
        put(buf, a, b, slot, recordNo) {
          const v = numberOr(buf.toString('latin1', a, b));
          if (v === undefined) fieldError(c, recordNo, 'not a number', buf, a, b);
          values[slot] = v;
          present(slot);
        },
        column: done(values),
      };
    }
    case 'int32':
    case 'uint8': {
      const values = c.kind === 'int32' ? new Int32Array(slots) : new Uint8Array(slots);
      const [lo, hi] = c.kind === 'uint8' ? [0, 255] : [-(2 ** 31), 2 ** 31 - 1];
      return {
        put(buf, a, b, slot, recordNo) {
          // by hand: digits to a number without a string per field
          const neg = buf[a] === MINUS;
          let p = neg ? a + 1 : a;
          if (p >= b || b - p > 10 || (b - p > 1 && buf[p] === DIGIT_0)) fieldError(c, recordNo, 'not a decimal integer', buf, a, b);
          let v = 0;
          for (; p < b; p++) {
            const d = buf[p]! - DIGIT_0;
            if (d < 0 || d > 9) fieldError(c, recordNo, 'not a decimal integer', buf, a, b);
            v = v * 10 + d;
          }
          if (neg) v = -v;
          if (!(v >= lo && v <= hi) || Object.is(v, -0)) fieldError(c, recordNo, `not an integer in [${lo}, ${hi}]`, buf, a, b);
          values[slot] = v;
          present(slot);
        },
        column: done(values),
      };
    }
    case 'uint64': {
      const values = new BigUint64Array(slots);
      const words = new Uint32Array(values.buffer, values.byteOffset, 2 * slots);
      return {
        put(buf, a, b, slot, recordNo) {
          parseUint64Bytes(buf, a, b, words, slot, recordNo);
          present(slot);
        },
        column: done(values),
      };
    }
    case 'bool': {
      const values = new Uint8Array(slots);
      const TRUE = Buffer.from('true');
      const FALSE = Buffer.from('false');
      return {
        put(buf, a, b, slot, recordNo) {
          if (buf.compare(TRUE, 0, 4, a, b) === 0) values[slot] = 1;
          else if (buf.compare(FALSE, 0, 5, a, b) !== 0) fieldError(c, recordNo, 'not true or false', buf, a, b);
          present(slot);
        },
        column: done(values),
      };
    }
    case 'enum': {
      const symbols = c.symbols!;
      const values = symbols.length <= 256 ? new Uint8Array(slots) : new Uint16Array(slots);
      // keyed by the symbol's UTF-8 bytes read as latin1: one short string per field, none decoded
      const index = new Map(symbols.map((s, i) => [Buffer.from(s).toString('latin1'), i]));
      return {
        put(buf, a, b, slot, recordNo) {
          const i = index.get(buf.toString('latin1', a, b));
          if (i === undefined) fieldError(c, recordNo, 'not a symbol of the enum', buf, a, b);
          values[slot] = i;
          present(slot);
        },
        column: done(values),
      };
    }
  }
}

/** A column and where its values go: slot = record × stride + lane (a vector's elements share one typed array). */
interface Placed {
  readonly column: FlatColumn;
  readonly stride: number;
  readonly lane: number;
  readonly sink: Sink;
}

/**
 * Load a flat dataset's CSV file into columns in two streaming passes with the same quote-aware
 * record scanner (scanRecords): the first splits every record to count records and each
 * string column's UTF-8 bytes (so every buffer is allocated once, at its final size: growing would
 * peak at old + new), the second parses each field into its preallocated typed array. Strings are
 * copied from the file's bytes into their column without becoming JS strings.
 */
export async function loadCsvColumns(schema: RecordSchema, columns: readonly FlatColumn[], path: string): Promise<LoadedData> {
  const k = columns.length;
  const bounds = new Int32Array(2 * k);
  const flags = new Uint8Array(k);
  const stringBytes = new Float64Array(k);
  const strings = columns.flatMap((c, j) => (c.kind === 'string' ? [j] : []));
  // without a string column the first pass only counts (the second checks every record's fields)
  const records = await scanRecords(
    path,
    strings.length === 0
      ? null
      : (buf, start, end, recordNo) => {
          splitFields(buf, start, end, k, bounds, flags, recordNo);
          for (const j of strings)
            stringBytes[j]! += bounds[2 * j + 1]! - bounds[2 * j]! - (flags[j] === DOUBLED ? doubledQuotes(buf, bounds[2 * j]!, bounds[2 * j + 1]!) : 0);
        },
  );

  // one Placed per column, and the ColumnData tree in the schema's shape
  const placed: Placed[] = [];
  let next = 0;
  const place = (type: Type): ((n: number) => ColumnData) => {
    switch (type.kind) {
      case 'record':
      case 'tuple': {
        const children = type.fields.map((f) => place(f.type));
        return (n) => ({ length: n, offset: 0, children: children.map((ch) => ch(n)) });
      }
      case 'vector': {
        const stride = type.length!;
        const s = sink(columns[next]!, records * stride, 0);
        for (let lane = 0; lane < stride; lane++) placed.push({ column: columns[next++]!, stride, lane, sink: s });
        return (n) => ({ length: n, offset: 0, stride, children: [s.column(n * stride)] });
      }
      default: {
        const j = next++;
        const s = sink(columns[j]!, records, stringBytes[j]!);
        placed.push({ column: columns[j]!, stride: 1, lane: 0, sink: s });
        return (n) => s.column(n);
      }
    }
  };
  const fields = (schema.fields as readonly { type: Type }[]).map((f) => place(f.type));

  const scratch = Buffer.allocUnsafe(1024);
  let n = 0;
  await scanRecords(path, (buf, start, end, recordNo) => {
    if (n >= records) throw new Error(`record ${recordNo}: the file grew while being read`);
    splitFields(buf, start, end, k, bounds, flags, recordNo);
    for (let j = 0; j < k; j++) {
      const p = placed[j]!;
      let a = bounds[2 * j]!;
      let b = bounds[2 * j + 1]!;
      const slot = n * p.stride + p.lane;
      if (p.column.optional && a === b && flags[j] === 0) continue; // null: its bit stays clear
      if (flags[j] === DOUBLED && p.column.kind !== 'string') {
        // a quote inside a non-string field (an enum symbol): parse its unquoted copy
        const into = b - a <= scratch.length ? scratch : Buffer.allocUnsafe(b - a);
        b = unquote(buf, a, b, into, 0);
        a = 0;
        p.sink.put(into, a, b, slot, recordNo, false);
      } else p.sink.put(buf, a, b, slot, recordNo, flags[j] === DOUBLED);
    }
    n++;
  });
  if (n !== records) throw new Error(`the file has ${n} records now, ${records} in the first pass`);
  const batch: ColumnBatch = { length: n, fields: fields.map((f) => f(n)) };
  return { kind: 'columnar', n, batches: [batch] } as unknown as LoadedData; // the columns bench/data/columns.ts reads (LoadedData names the tuples' forms)
}

function doubledQuotes(buf: Buffer, a: number, b: number): number {
  let d = 0;
  for (let p = a; p < b; p++) {
    if (buf[p] === QUOTE) {
      d++;
      p++;
    }
  }
  return d;
}
