/**
 * A structural check of an Arrow IPC file or stream before apache-arrow reads
 * it, written here because the library trusts the file: fuzzing found
 * single-byte corruptions of a message's flatbuffer metadata (a root-table
 * offset of 2.5 GB in a 248-byte message) on which tableFromIPC and the
 * RecordBatchReader never returned. The check walks the message framing
 * (0xFFFFFFFF continuation, int32 metadata length, flatbuffer `Message`, body)
 * and, for each message, checks that the flatbuffer's root table, its vtable
 * and its header table lie inside the metadata and that the body lies inside
 * the file; for the file format also the magic bytes and that the footer's
 * record-batch blocks point at messages found by the walk. It reads only the
 * metadata (a few hundred bytes a message), never the bodies. It does not
 * prove the file well formed; it rejects what made the library hang.
 */
import { open, type FileHandle } from 'node:fs/promises';

const MAGIC = Buffer.from('ARROW1');
const CONTINUATION = 0xffffffff;
/** MessageHeader union tag of a RecordBatch (Schema is 1, DictionaryBatch 2). */
const RECORD_BATCH = 3;
/** A message's metadata above this is not something our writer makes (ours are under 1 KiB). */
const MAX_METADATA_BYTES = 1024 * 1024;

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

/** Flatbuffer table at `table` in `m`: its vtable in bounds; returns the field offset reader. */
function table(m: Buffer, at: number, what: string): (field: number) => number {
  if (at < 0 || at + 4 > m.length) throw new Error(`${what}: table offset ${at} is outside the ${m.length}-byte metadata`);
  const vt = at - m.readInt32LE(at);
  if (vt < 0 || vt + 4 > m.length) throw new Error(`${what}: vtable offset ${vt} is outside the metadata`);
  const vtSize = m.readUInt16LE(vt);
  const tableSize = m.readUInt16LE(vt + 2);
  if (vtSize < 4 || vtSize % 2 !== 0 || vt + vtSize > m.length || at + tableSize > m.length) throw new Error(`${what}: vtable or table size out of bounds`);
  return (field) => {
    const slot = 4 + 2 * field;
    if (slot + 2 > vtSize) return 0;
    const off = m.readUInt16LE(vt + slot);
    if (off !== 0 && off >= tableSize) throw new Error(`${what}: field ${field} lies outside its table`);
    return off === 0 ? 0 : at + off;
  };
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
    if (metaLen < 8 || metaLen > MAX_METADATA_BYTES || pos + 8 + metaLen > end) throw new Error(`byte ${pos}: message metadata length ${metaLen} is not plausible`);
    const m = await r.bytes(pos + 8, metaLen);
    const what = `message at byte ${pos}`;
    const field = table(m, m.readUInt32LE(0), what);
    const bodyAt = field(3);
    const body = bodyAt === 0 ? 0 : Number(m.readBigInt64LE(bodyAt));
    if (body < 0 || pos + 8 + metaLen + body > end) throw new Error(`${what}: body of ${body} bytes goes past the end`);
    const header = field(2);
    if (header !== 0) {
      const headerAt = header + m.readUInt32LE(header);
      const h = table(m, headerAt, `${what}, header`);
      const typeAt = field(1);
      if (typeAt !== 0 && m.readUInt8(typeAt) === RECORD_BATCH) {
        // a buffer region past the body made the stream reader wait for bytes that never come
        for (const [id, size, name] of [[1, 16, 'field nodes'], [2, 16, 'buffers']] as const) {
          const v = h(id);
          if (v === 0) continue;
          const vec = v + m.readUInt32LE(v);
          if (vec + 4 > m.length || vec + 4 + size * m.readUInt32LE(vec) > m.length) throw new Error(`${what}: ${name} vector outside the metadata`);
          if (name !== 'buffers') continue;
          for (let i = 0; i < m.readUInt32LE(vec); i++) {
            const off = m.readBigInt64LE(vec + 4 + 16 * i);
            const len = m.readBigInt64LE(vec + 12 + 16 * i);
            if (off < 0n || len < 0n || off + len > BigInt(body)) throw new Error(`${what}: buffer ${i} (${off}+${len}) lies outside the ${body}-byte body`);
          }
        }
      }
    }
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
    if (r.size < 8 + 10 || !(await r.bytes(0, 6)).equals(MAGIC) || !(await r.bytes(r.size - 6, 6)).equals(MAGIC)) throw new Error('not an Arrow IPC file (magic bytes ARROW1 missing)');
    const footerLen = (await r.bytes(r.size - 10, 4)).readInt32LE(0);
    const footerAt = r.size - 10 - footerLen;
    if (footerLen < 8 || footerAt < 8) throw new Error(`footer length ${footerLen} is not plausible`);
    const messages = await walkMessages(r, 8, footerAt);
    const f = await r.bytes(footerAt, footerLen);
    const footer = table(f, f.readUInt32LE(0), 'footer');
    for (const id of [2, 3]) {
      // dictionaries (2) and record batches (3): vectors of Block { int64 offset; int32 metaDataLength; int64 bodyLength }
      const at = footer(id);
      if (at === 0) continue;
      const vec = at + f.readUInt32LE(at);
      if (vec + 4 > f.length) throw new Error('footer: block vector outside the footer');
      const n = f.readUInt32LE(vec);
      if (vec + 4 + 24 * n > f.length) throw new Error(`footer: ${n} blocks cannot fit in the footer`);
      for (let i = 0; i < n; i++) {
        const b = vec + 4 + 24 * i;
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
