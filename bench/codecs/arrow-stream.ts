/**
 * arrow-stream: the Apache Arrow IPC *stream* format (schema message, then
 * record batch messages, then an end-of-stream marker), written and read one
 * record batch at a time with apache-arrow's RecordBatchStreamWriter and
 * RecordBatchReader over a file stream. Columns and uint64 mapping as `arrow`
 * (arrow.ts).
 *
 * Batch size: ARROW_BATCH_ROWS = 65,536 rows (about 2.4 MB of Arrow buffers
 * per batch at 36 bytes of content a row), the batch size Arrow's own
 * readers commonly default to. Dump builds one batch from the tuples, writes
 * its bytes to the file waiting for the file to drain, and only then builds
 * the next (writeArrowStream). Load keeps the batches it reads and returns
 * them as one Table (Arrow vectors of N / 65,536 chunks), never as rows.
 */
import { createReadStream } from 'node:fs';
import type { RecordBatch } from 'apache-arrow';
import type { Codec, Tuple } from '../types.js';
import { arrowLib, checkArrowTable, tuplesToTable } from './arrow.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import { withCodecContext } from './errors.js';
import { writeChunks, type WriteStats } from './stream-util.js';

const NAME = 'arrow-stream';
/** Rows per record batch (dump); load takes whatever batches the file has. */
export const ARROW_BATCH_ROWS = 65_536;
/** How long the reader may still run after the whole file was read (a batch decodes in milliseconds). */
const STALL_MS = 2_000;

type ArrowLib = Awaited<ReturnType<typeof arrowLib>>;

function* batches(lib: ArrowLib, data: readonly Tuple[], rows: number): Generator<RecordBatch> {
  // an empty stream still needs its schema: one empty batch carries it
  if (data.length === 0) yield* tuplesToTable(lib, data).batches;
  for (let start = 0; start < data.length; start += rows) {
    yield* tuplesToTable(lib, data, start, Math.min(start + rows, data.length)).batches;
  }
}

/**
 * The IPC stream's bytes, one record batch at a time: the next batch is built only when the
 * bytes of the last one were taken. apache-arrow's own Node stream (`throughNode()`) cannot do
 * that: its duplex acknowledges every write at once and queues the bytes, so a pipeline into a
 * file stream built and queued every batch before the file drained (the 1M dump's RSS climbed
 * by 440 MiB). Here the writer writes into a byte queue of ours: `reset()` takes any
 * AsyncByteQueue as the writer's sink, and ours hands each chunk over instead of queueing it.
 */
export function* arrowStreamChunks(lib: ArrowLib, data: readonly Tuple[], rows = ARROW_BATCH_ROWS): Generator<Uint8Array> {
  const taken: Uint8Array[] = [];
  class Handover extends lib.AsyncByteQueue {
    override write(chunk: unknown): void {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('the Arrow writer wrote something other than bytes');
      taken.push(chunk);
    }
  }
  const writer = new lib.RecordBatchStreamWriter();
  writer.reset(new Handover());
  for (const batch of batches(lib, data, rows)) {
    writer.write(batch);
    yield* taken.splice(0);
  }
  writer.close(); // the end-of-stream marker
  yield* taken.splice(0);
}

/** Dump `data` as an Arrow IPC stream with backpressure: at most about one batch's bytes wait for the file. */
export async function writeArrowStream(data: readonly Tuple[], path: string, rows = ARROW_BATCH_ROWS): Promise<WriteStats> {
  return writeChunks(path, arrowStreamChunks(await arrowLib(), data, rows));
}

export const arrowStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'lazy',
  extension: 'arrows',
  description:
    'Apache Arrow IPC stream format via apache-arrow RecordBatchStreamWriter / RecordBatchReader, record batches of 65,536 rows both ways (dump: the next batch built once the file took the last); columns f Float64, s Utf8, u Uint64 (BigUint64Array); loads into Arrow vectors (columnar, no rows built).',
  packages: ['apache-arrow'],
  async init() {
    await arrowLib();
  },
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      await writeArrowStream(data, path);
    });
  },
  load(path) {
    return withCodecContext(NAME, path, async () => {
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
      const table = new Table(read);
      return checkArrowTable(await arrowLib(), table, NAME, path);
    });
  },
};
