/**
 * arrow-stream: the Apache Arrow IPC *stream* format (schema message, then
 * record batch messages, then an end-of-stream marker), written and read one
 * record batch at a time with apache-arrow's RecordBatchStreamWriter and
 * RecordBatchReader over a file stream. Columns and uint64 mapping as `arrow`
 * (arrow.ts).
 *
 * Batch size: ARROW_BATCH_ROWS = 65,536 rows (about 2.4 MB of Arrow buffers
 * per batch at 36 bytes of content a row), the batch size Arrow's own
 * readers commonly default to. Dump fills one batch's buffers from the
 * tuples, writes its bytes to the file, waits until the file has them, and
 * only then fills the same buffers with the next batch (writeArrowStream).
 * Load keeps the batches it reads and returns them as one Table (Arrow
 * vectors of N / 65,536 chunks), never as rows.
 *
 * Other datasets: columns from the schema (mapping/arrow.ts), batches of
 * max(64, floor(65,536 × 36 / intrinsic bytes per record)) rows (about the
 * tuples' 2.4 MB of content a batch; design §5.3), each built, written and
 * waited for before the next is built, as for the tuples.
 */
import { createReadStream } from 'node:fs';
import type { RecordBatch } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import type { Codec, Tuple } from '../types.js';
import type { ArrowTuples } from './arrow-data.js';
import { ARROW_CARRIES, arrowColumns, arrowLib, bindArrow, checkArrowTable, tuplesToTable } from './arrow.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import { withCodecContext } from './errors.js';
import type { ArrowMapping } from './mapping/arrow.js';
import { FLUSH, writeChunks, type WriteStats } from './stream-util.js';
import { tuplesOr } from './bind.js';

const NAME = 'arrow-stream';
/** Rows per record batch (dump); load takes whatever batches the file has. */
export const ARROW_BATCH_ROWS = 65_536;
/** How long the reader may still run after the whole file was read (a batch decodes in milliseconds). */
const STALL_MS = 2_000;

type ArrowLib = Awaited<ReturnType<typeof arrowLib>>;

/**
 * One record batch's buffers, filled again for every batch: the floats, the uint64s, and the strings
 * UTF-8-encoded into one byte buffer with their offsets (TextEncoder.encodeInto, no object per
 * string). Built with vectorFromArray (as `arrow` does), every batch left some 14 MiB of garbage
 * (an encoded Uint8Array per string, the builder's chunks) and 5 MiB of external buffers that
 * outlived the batch, promoted before a collection, so a 1M dump grew by some 30 MiB of RSS a
 * batch until the next full GC; with the batch's bytes waiting for the file in between, nothing
 * but these buffers is left from one batch to the next. The bytes written are the same.
 */
class BatchBuffers {
  private floats: Float64Array;
  private ints: BigUint64Array;
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private readonly encoder = new TextEncoder();

  constructor(rows: number) {
    this.floats = new Float64Array(rows);
    this.ints = new BigUint64Array(rows);
    this.offsets = new Int32Array(rows + 1);
    this.bytes = new Uint8Array(rows * 20);
  }

  /** Rows [start, end) of `data` as a record batch over these buffers (valid until the next call). */
  batch(lib: ArrowLib, data: readonly Tuple[], start: number, end: number): RecordBatch<ArrowTuples> {
    const n = end - start;
    if (n > this.floats.length) {
      this.floats = new Float64Array(n);
      this.ints = new BigUint64Array(n);
      this.offsets = new Int32Array(n + 1);
    }
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const t = data[start + i]!;
      this.floats[i] = t[0];
      this.ints[i] = t[2];
      this.offsets[i] = pos;
      // at most 3 bytes of UTF-8 per UTF-16 code unit
      if (this.bytes.length - pos < 3 * t[1].length) this.bytes = grow(this.bytes, pos + 3 * t[1].length);
      pos += this.encoder.encodeInto(t[1], this.bytes.subarray(pos)).written;
    }
    this.offsets[n] = pos;
    const { makeData, makeVector, Table, Utf8 } = lib;
    const strings = makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: this.offsets.subarray(0, n + 1), data: this.bytes.subarray(0, pos) });
    const table = new Table<ArrowTuples>({ f: makeVector(this.floats.subarray(0, n)), s: makeVector(strings), u: makeVector(this.ints.subarray(0, n)) });
    return table.batches[0]!;
  }
}

/** A larger copy of `bytes` (the first `keep` of them kept), at least doubled. */
function grow(bytes: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, 2 * bytes.length));
  next.set(bytes);
  return next;
}

/**
 * The IPC stream's bytes, one record batch at a time, with a FLUSH after each: the next batch is
 * built (the generator `batches` resumed) only once the file has all of this one's bytes. apache-arrow's own
 * Node stream (`throughNode()`) cannot wait for the file: its duplex acknowledges every write at
 * once, so a pipeline from it to the file built every batch before the file drained. Here the
 * writer writes into a byte queue of ours (`reset()` takes any AsyncByteQueue as the writer's
 * sink), which hands each chunk over.
 */
function* ipcStreamChunks(lib: ArrowLib, batches: Iterable<RecordBatch>): Generator<Uint8Array | typeof FLUSH> {
  const taken: Uint8Array[] = [];
  class Handover extends lib.AsyncByteQueue {
    override write(chunk: unknown): void {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('the Arrow writer wrote something other than bytes');
      taken.push(chunk);
    }
  }
  const writer = new lib.RecordBatchStreamWriter();
  writer.reset(new Handover());
  for (const batch of batches) {
    writer.write(batch);
    yield* taken.splice(0);
    yield FLUSH;
  }
  writer.close(); // the end-of-stream marker
  yield* taken.splice(0);
}

/** The tuples' stream: batches of `rows` built in one set of reused buffers (an empty stream still needs its schema: one empty batch). */
export function arrowStreamChunks(lib: ArrowLib, data: readonly Tuple[], rows = ARROW_BATCH_ROWS): Generator<Uint8Array | typeof FLUSH> {
  function* batches(): Generator<RecordBatch> {
    if (data.length === 0) yield tuplesToTable(lib, data).batches[0]!;
    const buffers = new BatchBuffers(Math.min(rows, Math.max(1, data.length)));
    for (let start = 0; start < data.length; start += rows) yield buffers.batch(lib, data, start, Math.min(start + rows, data.length));
  }
  return ipcStreamChunks(lib, batches());
}

/** Dump `data` as an Arrow IPC stream with backpressure: one batch's buffers, the next once the file has them. */
export async function writeArrowStream(data: readonly Tuple[], path: string, rows = ARROW_BATCH_ROWS): Promise<WriteStats> {
  return writeChunks(path, arrowStreamChunks(await arrowLib(), data, rows));
}

/** Any other dataset's records as an IPC stream, `rows` a batch (default: batchRowsFor), with the same backpressure. */
export async function writeArrowStreamMapped(m: ArrowMapping, data: readonly unknown[], path: string, rows = m.batchRows(data)): Promise<WriteStats> {
  function* batches(): Generator<RecordBatch> {
    if (data.length === 0) yield m.batch(data, 0, 0);
    for (let start = 0; start < data.length; start += rows) yield m.batch(data, start, Math.min(start + rows, data.length));
  }
  return writeChunks(path, ipcStreamChunks(await arrowLib(), batches()));
}

/** Read an IPC stream's record batches as one Table, failing if the reader waits on a file that has ended. */
async function readArrowStream(path: string): Promise<Table> {
  const { RecordBatchReader, Table } = await arrowLib();
  await checkArrowIpc(path, 'stream'); // the library trusts the file: arrow-ipc-check.ts (reads only the message headers)
  const source = createReadStream(path);
  // A corrupt batch whose buffers claim more bytes than the file has left the reader waiting
  // forever for bytes that never come (found by fuzzing): once the file is fully read, the
  // reader gets STALL_MS to finish, else the load fails.
  let timer: NodeJS.Timeout | undefined;
  let done = false;
  const stalled = new Promise<never>((_, reject) => {
    source.once('close', () => {
      // the file also closes after the load (destroyed below): a timer armed then kept the process alive for 2 s
      if (done) return;
      timer = setTimeout(
        () => reject(new Error(`the file ended but the Arrow reader still waited for more bytes ${STALL_MS} ms later (truncated or corrupt)`)),
        STALL_MS,
      );
    });
  });
  stalled.catch(() => {});
  const read: RecordBatch[] = [];
  try {
    const reader = await Promise.race([RecordBatchReader.from(source), stalled]);
    const it = reader[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([it.next(), stalled]);
      if (next.done) break;
      read.push(next.value);
    }
  } finally {
    done = true;
    clearTimeout(timer);
    source.destroy();
  }
  return new Table(read);
}

export const arrowStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'lazy',
  extension: 'arrows',
  description: `Apache Arrow IPC stream format via apache-arrow RecordBatchStreamWriter / RecordBatchReader, record batches of 65,536 rows both ways (dump: one batch of reused buffers at a time, the next once the file has the last); columns f Float64, s Utf8, u Uint64 (BigUint64Array); loads into Arrow vectors (columnar, no rows built). ${ARROW_CARRIES} Batches of max(64, 65,536 × 36 / intrinsic bytes per record) rows.`,
  packages: ['apache-arrow'],
  async init() {
    await arrowLib();
  },
  forDataset: (dataset) =>
    tuplesOr(arrowStream, dataset, (schema) =>
      bindArrow(
        schema,
        (rows, path, m) =>
          withCodecContext(NAME, path, async () => {
            await writeArrowStreamMapped(m, rows, path);
          }),
        (path, m) => withCodecContext(NAME, path, async () => arrowColumns(m, await readArrowStream(path), NAME, path)),
      ),
    ),
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeArrowStream(data, path);
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => checkArrowTable(await arrowLib(), await readArrowStream(path), NAME, path));
  },
};
