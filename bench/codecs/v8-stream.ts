/**
 * v8-stream: one `v8.serialize` per record, length-prefixed.
 *
 * Framing, repeated once per record, nothing before or after:
 *   uint32 little-endian L | L bytes of v8.serialize([float, string, bigint])
 * (v8.serialize writes its own header per value, so each frame is a complete
 * structured-clone message). An empty file holds zero records. A file that
 * ends inside a length or a payload is refused, naming the record.
 *
 * Streaming does not make this dump flat: every v8.serialize call creates a
 * native serializer and buffer, and at 1M records the dump's peak RSS grew by
 * about 200 MiB in our sanity check (a bare v8.serialize loop with no I/O grew
 * more, and still about 100 MiB with a forced GC every 10,000 records, so the
 * cause is native allocation, not our write path). Reusing one Serializer for
 * 1,000 records brought it to about +12 MiB, but is wrong in general (a shared object
 * becomes a back-reference that a single frame cannot resolve), so each record
 * gets its own v8.serialize, as the format says, and the report shows the cost.
 * Other datasets: one frame per record, as `v8` carries them.
 */
import { deserialize, serialize } from 'node:v8';
import type { Codec, LoadedData } from '../types.js';
import { tuplesOr } from './bind.js';
import { CodecError, withCodecContext } from './errors.js';
import { bindMapped, cannotCarry, holdsBytes } from './mapping/plan.js';
import { fileChunks, writeChunks } from './stream-util.js';
import { checkedTuple } from './tuples.js';
import { V8_CARRIES } from './v8.js';

const NAME = 'v8-stream';
const LENGTH_BYTES = 4;
/** A tuple serializes to well under 100 bytes; a frame this large means the file is not v8-stream. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

function* frames(data: readonly unknown[]): Generator<Uint8Array> {
  for (const t of data) {
    const body = serialize(t);
    const len = Buffer.allocUnsafe(LENGTH_BYTES);
    len.writeUInt32LE(body.length, 0);
    yield len;
    yield body;
  }
}

function writeFrames(data: readonly unknown[], path: string): Promise<void> {
  return withCodecContext(NAME, path, async () => {
    await writeChunks(path, frames(data));
  });
}

/** Every frame's record, through `onRecord` (record index), in order. */
/**
 * `ownBytes`: deserialize each frame from a copy of its own. v8.deserialize returns a Uint8Array or
 * typed array as a view into its input, and the file's chunks are one reused buffer (stream-util.ts
 * fileChunks): without the copy a later chunk overwrites a record's bytes (a blobs load came back
 * with other payloads). Only a schema with bytes or vectors needs it; the tuples' loads copy nothing.
 */
function readFrames(path: string, onRecord: (rec: unknown, i: number) => unknown, ownBytes = false): Promise<LoadedData> {
  return withCodecContext(NAME, path, async () => {
    const out: unknown[] = [];
    let carry: Buffer | null = null; // an incomplete frame from the previous chunk (copied: chunks are reused)
    let offset = 0; // file offset of `buf[0]`, for error messages
    for await (const chunk of fileChunks(path)) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let pos = 0;
      while (buf.length - pos >= LENGTH_BYTES) {
        const len = buf.readUInt32LE(pos);
        if (len === 0 || len > MAX_FRAME_BYTES) {
          throw new CodecError(
            NAME,
            path,
            `record ${out.length} at byte ${offset + pos}: frame length ${len} is not plausible (corrupt or not a v8-stream file)`,
          );
        }
        if (buf.length - pos - LENGTH_BYTES < len) break;
        const frame = buf.subarray(pos + LENGTH_BYTES, pos + LENGTH_BYTES + len);
        out.push(onRecord(deserialize(ownBytes ? Buffer.from(frame) : frame), out.length));
        pos += LENGTH_BYTES + len;
      }
      carry = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null;
      offset += pos;
    }
    if (carry) {
      const what = carry.length < LENGTH_BYTES ? 'its length prefix' : `its ${carry.readUInt32LE(0)}-byte payload`;
      throw new CodecError(NAME, path, `truncated: file ends inside record ${out.length} (${carry.length} bytes of ${what} at byte ${offset})`);
    }
    return out as LoadedData; // the dataset's records (LoadedData names only the tuples' row type)
  });
}

export const v8Stream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'rows',
  extension: 'v8-frames',
  description: `Per-record v8.serialize frames, each prefixed by its uint32 little-endian length, streamed both ways; BigInt native. Each v8.serialize allocates native memory, so the dump is not flat. ${V8_CARRIES}`,
  forDataset: (dataset) =>
    tuplesOr(v8Stream, dataset, (schema) =>
      bindMapped(
        cannotCarry('v8', schema),
        () => null, // v8 keeps every type as it is held
        (rows, path) => writeFrames(rows, path),
        (path) => readFrames(path, (rec) => rec, holdsBytes(schema)),
      ),
    ),
  dump: (data, path) => writeFrames(data, path),
  load: (path) => readFrames(path, checkedTuple),
};
