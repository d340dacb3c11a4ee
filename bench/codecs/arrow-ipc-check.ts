/**
 * A structural check of an Arrow IPC file or stream before apache-arrow reads
 * it, written here because the library trusts the file and flatbuffers'
 * JavaScript runtime has no verifier: a read past the end of the metadata
 * returns 0 instead of throwing, so a corrupt count or offset is never noticed.
 * Fuzzing found single-byte corruptions on which tableFromIPC and the
 * RecordBatchReader never returned:
 * - a root-table offset of 2.5 GB in a 248-byte message;
 * - a vector length the decoder loops over, e.g. the schema's `fields` (3 became
 *   4,259,843) or a field's `children` (0 became 2,130,706,432): apache-arrow's
 *   decodeSchemaFields / decodeFieldChildren call Field.decode that many times,
 *   each on zeros read past the end, synchronously;
 * - a record batch buffer past the body, on which the stream reader waited for
 *   bytes that never come.
 *
 * What it checks: the message framing (0xFFFFFFFF continuation, int32 metadata
 * length, flatbuffer `Message`, body inside the file); in each message, every
 * table the decoder follows (root, header, schema fields and their children,
 * the type tables apache-arrow reads, dictionary encodings, key-value pairs,
 * compression) lies inside the metadata with its vtable; every vector it loops
 * over or views (fields, children, custom metadata, features, field nodes,
 * buffers, variadic buffer counts, union type ids) and every string fits in the
 * metadata; the schema nests at most MAX_DEPTH levels and has at most
 * MAX_FIELDS fields; type tags and message header types are ones the format
 * defines; the metadata version is V4 or later (the buffer layout modelled
 * here); a record batch's buffers lie inside its body. For the file format also
 * the magic bytes, the footer's schema (the one tableFromIPC decodes) as above,
 * and that the footer's blocks point at messages found by the walk. It reads
 * only the metadata (a few hundred bytes a message), never the bodies.
 *
 * It is stricter than the library: a corrupt offset the library happens to
 * ignore (a validity buffer of a column without nulls, a field past its
 * table's declared size) is refused too, as a corrupt file should be.
 *
 * What it does not prove: that the file is well formed or means anything. It
 * does not check that the schema is the one we wrote, that field nodes match
 * the schema, or that buffer contents (offsets, validity bits) are sane: the
 * library then decodes wrong data or throws, and checkArrowTable (arrow.ts)
 * and the verification catch that. Its goal is the bound: every count the
 * decoder loops over is bounded by the bytes that hold it.
 */
import { open, type FileHandle } from 'node:fs/promises';

const MAGIC = Buffer.from('ARROW1');
const CONTINUATION = 0xffffffff;
/** MessageHeader union tags (Message.fbs). */
const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;
/** MetadataVersion V4 (enum value 3): before it, buffers had another layout (apache-arrow shifts them), which this check does not model. Our writer writes V5. */
const METADATA_V4 = 3;
/** The last Type union tag of Schema.fbs (LargeListView = 26); apache-arrow throws on the others, we say so first. */
const LAST_TYPE = 26;
/** Type tags whose decoding reads a type table (apache-arrow dereferences it without a null check). */
const TYPES_WITH_TABLE = new Set([2, 3, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18]); // Int FloatingPoint Decimal Date Time Timestamp Interval Union FixedSizeBinary FixedSizeList Map Duration
const TIMESTAMP = 10;
const UNION = 14;
/** A message's metadata above this is not something our writer makes (the tuples' are under 1 KiB, the documents' schema 6.6 KiB). */
const MAX_METADATA_BYTES = 1024 * 1024;
/** Schema nesting bound, the default max_depth of flatbuffers' C++ Verifier (the tuples' schema is 1 level, the documents' 4). */
export const MAX_DEPTH = 64;
/**
 * Fields in one schema, children included (the tuples' has 3, the documents' 135). Vector lengths are bounded by the metadata's size, but
 * entries may point at the same table, so the decoder's walk, like this one, could otherwise grow exponentially.
 */
export const MAX_FIELDS = 10_000;

class Reader {
  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}
  async bytes(pos: number, len: number): Promise<Buffer> {
    if (pos < 0 || len < 0 || pos + len > this.size) throw new Error(`truncated: ${len} bytes at byte ${pos} go past the end of the ${this.size}-byte file`);
    const buf = Buffer.alloc(len);
    const { bytesRead } = await this.fh.read(buf, 0, len, pos);
    if (bytesRead !== len) throw new Error(`short read at byte ${pos}`);
    return buf;
  }
}

/**
 * A flatbuffer table at `at` in `m` whose vtable and inline fields were found inside `m`; every position it hands
 * out (fields, referenced tables, vectors, strings) is checked to lie inside `m` too. Offsets that flatbuffers'
 * JavaScript runtime reads as signed (vtable and table sizes and field offsets are int16 there) are refused at
 * 0x8000 and above, so this check and the library never disagree about where a field is.
 */
class FbTable {
  private readonly vt: number;
  private readonly vtSize: number;
  private readonly tableSize: number;
  constructor(
    readonly m: Buffer,
    readonly at: number,
    readonly what: string,
  ) {
    if (at < 0 || at + 4 > m.length) throw new Error(`${what}: table offset ${at} is outside the ${m.length}-byte metadata`);
    this.vt = at - m.readInt32LE(at);
    if (this.vt < 0 || this.vt + 4 > m.length) throw new Error(`${what}: vtable offset ${this.vt} is outside the metadata`);
    this.vtSize = m.readUInt16LE(this.vt);
    this.tableSize = m.readUInt16LE(this.vt + 2);
    if (
      this.vtSize < 4 ||
      this.vtSize % 2 !== 0 ||
      this.vtSize >= 0x8000 ||
      this.tableSize < 4 ||
      this.tableSize >= 0x8000 ||
      this.vt + this.vtSize > m.length ||
      at + this.tableSize > m.length
    ) {
      throw new Error(`${what}: vtable or table size out of bounds`);
    }
  }

  /** Position of field `id` (`size` bytes inline), or 0 when absent. */
  field(id: number, size: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtSize) return 0;
    const off = this.m.readUInt16LE(this.vt + slot);
    if (off === 0) return 0;
    if (off < 4 || off + size > this.tableSize) throw new Error(`${this.what}: field ${id} lies outside its table`);
    return this.at + off;
  }

  uint8(id: number): number {
    const p = this.field(id, 1);
    return p === 0 ? 0 : this.m.readUInt8(p);
  }

  int16(id: number): number {
    const p = this.field(id, 2);
    return p === 0 ? 0 : this.m.readInt16LE(p);
  }

  int64(id: number): bigint {
    const p = this.field(id, 8);
    return p === 0 ? 0n : this.m.readBigInt64LE(p);
  }

  /** Where the offset in field `id` points, or 0 when absent. */
  private target(id: number): number {
    const p = this.field(id, 4);
    return p === 0 ? 0 : p + this.m.readUInt32LE(p);
  }

  table(id: number, what: string): FbTable | null {
    const t = this.target(id);
    return t === 0 ? null : new FbTable(this.m, t, `${this.what}, ${what}`);
  }

  /** Vector in field `id` of `n` elements of `elemBytes` each, all inside the metadata; null when absent. */
  vector(id: number, elemBytes: number, what: string): { start: number; n: number } | null {
    const v = this.target(id);
    if (v === 0) return null;
    if (v + 4 > this.m.length) throw new Error(`${this.what}: ${what} vector at ${v} is outside the ${this.m.length}-byte metadata`);
    const n = this.m.readUInt32LE(v);
    if (v + 4 + elemBytes * n > this.m.length)
      throw new Error(`${this.what}: ${what} vector of ${n} entries does not fit in the ${this.m.length}-byte metadata`);
    return { start: v + 4, n };
  }

  /** The tables of a vector of tables in field `id`. */
  tables(id: number, what: string): FbTable[] {
    const v = this.vector(id, 4, what);
    const out: FbTable[] = [];
    for (let i = 0; v && i < v.n; i++) {
      const e = v.start + 4 * i;
      out.push(new FbTable(this.m, e + this.m.readUInt32LE(e), `${this.what}, ${what}[${i}]`));
    }
    return out;
  }

  /** A string in field `id` (length and bytes) inside the metadata. */
  string(id: number, what: string): void {
    this.vector(id, 1, what);
  }
}

/** Key-value pairs (custom_metadata) in field `id`: apache-arrow loops over them and reads both strings. */
function checkKeyValues(t: FbTable, id: number): void {
  for (const kv of t.tables(id, 'custom metadata')) {
    kv.string(0, 'key');
    kv.string(1, 'value');
  }
}

/** A Field table and its children, as apache-arrow's decodeField walks them. */
function checkField(f: FbTable, depth: number, count: { fields: number }): void {
  if (depth > MAX_DEPTH) throw new Error(`${f.what}: schema nested deeper than ${MAX_DEPTH} levels`);
  if (++count.fields > MAX_FIELDS) throw new Error(`${f.what}: schema has more than ${MAX_FIELDS} fields`);
  f.string(0, 'name');
  const typeTag = f.uint8(2);
  if (typeTag > LAST_TYPE) throw new Error(`${f.what}: type tag ${typeTag} is not an Arrow type`);
  // apache-arrow reads the type table only for these tags (the others, Utf8 among them, have an empty one)
  const type = TYPES_WITH_TABLE.has(typeTag) ? f.table(3, 'type') : null;
  if (TYPES_WITH_TABLE.has(typeTag) && !type) throw new Error(`${f.what}: type ${typeTag} lacks its type table`);
  if (type && typeTag === UNION) type.vector(1, 4, 'union type ids');
  if (type && typeTag === TIMESTAMP) type.string(1, 'timezone');
  f.table(4, 'dictionary encoding')?.table(1, 'index type');
  for (const child of f.tables(5, 'children')) checkField(child, depth + 1, count);
  checkKeyValues(f, 6);
}

/** A Schema table (in a schema message or the file footer). */
function checkSchema(s: FbTable): void {
  const count = { fields: 0 };
  for (const f of s.tables(1, 'fields')) checkField(f, 1, count);
  checkKeyValues(s, 2);
  s.vector(3, 8, 'features');
}

/** A RecordBatch table whose buffers must lie in a `body`-byte body: one past it left the stream reader waiting for bytes that never come. */
function checkRecordBatch(rb: FbTable, body: number): void {
  rb.vector(1, 16, 'field nodes');
  const buffers = rb.vector(2, 16, 'buffers');
  for (let i = 0; buffers && i < buffers.n; i++) {
    const off = rb.m.readBigInt64LE(buffers.start + 16 * i);
    const len = rb.m.readBigInt64LE(buffers.start + 16 * i + 8);
    if (off < 0n || len < 0n || off + len > BigInt(body)) throw new Error(`${rb.what}: buffer ${i} (${off}+${len}) lies outside the ${body}-byte body`);
  }
  rb.table(3, 'compression');
  rb.vector(4, 8, 'variadic buffer counts');
}

/** Walk the messages from `pos` up to `end`; returns each message's start, metadata length and body length. */
async function walkMessages(r: Reader, pos: number, end: number): Promise<Map<number, [number, number]>> {
  const found = new Map<number, [number, number]>();
  while (pos < end) {
    if (end - pos < 8) throw new Error(`truncated: ${end - pos} bytes at byte ${pos} cannot hold a message header`);
    const head = await r.bytes(pos, 8);
    if (head.readUInt32LE(0) !== CONTINUATION) throw new Error(`byte ${pos}: no message continuation marker`);
    const metaLen = head.readInt32LE(4);
    if (metaLen === 0) return found; // end of stream
    if (metaLen < 8 || metaLen > MAX_METADATA_BYTES || pos + 8 + metaLen > end)
      throw new Error(`byte ${pos}: message metadata length ${metaLen} is not plausible`);
    const m = await r.bytes(pos + 8, metaLen);
    const msg = new FbTable(m, m.readUInt32LE(0), `message at byte ${pos}`);
    const version = msg.int16(0);
    if (version < METADATA_V4) throw new Error(`${msg.what}: metadata version V${version + 1} predates V4`);
    const body = Number(msg.int64(3));
    if (body < 0 || pos + 8 + metaLen + body > end) throw new Error(`${msg.what}: body of ${body} bytes goes past the end`);
    checkKeyValues(msg, 4);
    const kind = msg.uint8(1);
    const header = msg.table(2, 'header');
    if (!header) throw new Error(`${msg.what}: no header`);
    if (kind === SCHEMA) checkSchema(header);
    else if (kind === RECORD_BATCH) checkRecordBatch(header, body);
    else if (kind === DICTIONARY_BATCH) {
      const data = header.table(1, 'data');
      if (data) checkRecordBatch(data, body);
    } else throw new Error(`${msg.what}: header type ${kind} is not a schema, dictionary or record batch`);
    found.set(pos, [metaLen + 8, body]);
    pos += 8 + metaLen + body;
  }
  return found;
}

/** Check an Arrow IPC stream file (arrow-stream) or IPC file (arrow); throws an Error saying what is wrong. */
export async function checkArrowIpc(path: string, format: 'file' | 'stream'): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const r = new Reader(fh, (await fh.stat()).size);
    if (format === 'stream') {
      await walkMessages(r, 0, r.size);
      return;
    }
    if (r.size < 8 + 10 || !(await r.bytes(0, 6)).equals(MAGIC) || !(await r.bytes(r.size - 6, 6)).equals(MAGIC))
      throw new Error('not an Arrow IPC file (magic bytes ARROW1 missing)');
    const footerLen = (await r.bytes(r.size - 10, 4)).readInt32LE(0);
    const footerAt = r.size - 10 - footerLen;
    if (footerLen < 8 || footerAt < 8 || footerLen > MAX_METADATA_BYTES) throw new Error(`footer length ${footerLen} is not plausible`);
    const messages = await walkMessages(r, 8, footerAt);
    const f = await r.bytes(footerAt, footerLen);
    const footer = new FbTable(f, f.readUInt32LE(0), 'footer');
    // tableFromIPC decodes the footer's copy of the schema, not the schema message
    const schema = footer.table(1, 'schema');
    if (!schema) throw new Error('footer: no schema');
    checkSchema(schema);
    checkKeyValues(footer, 4);
    for (const id of [2, 3]) {
      // dictionaries (2) and record batches (3): vectors of Block { int64 offset; int32 metaDataLength; int64 bodyLength }
      const blocks = footer.vector(id, 24, 'block');
      for (let i = 0; blocks && i < blocks.n; i++) {
        const b = blocks.start + 24 * i;
        const off = Number(f.readBigInt64LE(b));
        const known = messages.get(off);
        if (!known || known[0] !== f.readInt32LE(b + 8) || known[1] !== Number(f.readBigInt64LE(b + 16))) {
          throw new Error(`footer: block ${i} does not point at a message of the file`);
        }
      }
    }
  } finally {
    await fh.close();
  }
}
