/**
 * arrow-stream: the Apache Arrow IPC *stream* format (schema message, then
 * record batch messages, then an end-of-stream marker), written and read one
 * record batch at a time with apache-arrow's RecordBatchStreamWriter
 * (throughNode, through stream.pipeline for backpressure) and
 * RecordBatchReader over a file stream. Columns and uint64 mapping as `arrow`
 * (arrow.ts).
 *
 * Batch size: ARROW_BATCH_ROWS = 65,536 rows (about 2.4 MB of Arrow buffers
 * per batch at 36 bytes of content a row), the batch size Arrow's own
 * readers commonly default to; dump builds one batch from the tuples, writes
 * it, then builds the next. Load keeps the batches it reads and returns them
 * as one Table (Arrow vectors of N / 65,536 chunks), never as rows.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RecordBatch } from 'apache-arrow';
import type { Codec, Tuple } from '../types.js';
import { arrowLib, checkArrowTable, tuplesToTable } from './arrow.js';
import { checkArrowIpc } from './arrow-ipc-check.js';
import { withCodecContext } from './errors.js';

const NAME = 'arrow-stream';
/** Rows per record batch (dump); load takes whatever batches the file has. */
export const ARROW_BATCH_ROWS = 65_536;
/** How long the reader may still run after the whole file was read (a batch decodes in milliseconds). */
const STALL_MS = 2_000;

function* batches(lib: Awaited<ReturnType<typeof arrowLib>>, data: readonly Tuple[]): Generator<RecordBatch> {
  // an empty stream still needs its schema: one empty batch carries it
  if (data.length === 0) yield* tuplesToTable(lib, data).batches;
  for (let start = 0; start < data.length; start += ARROW_BATCH_ROWS) {
    yield* tuplesToTable(lib, data, start, Math.min(start + ARROW_BATCH_ROWS, data.length)).batches;
  }
}

export const arrowStream: Codec = {
  name: NAME,
  kind: 'stream',
  returns: 'lazy',
  extension: 'arrows',
  description:
    'Apache Arrow IPC stream format via apache-arrow RecordBatchStreamWriter / RecordBatchReader, record batches of 65,536 rows both ways; columns f Float64, s Utf8, u Uint64 (BigUint64Array); loads into Arrow vectors (columnar, no rows built).',
  packages: ['apache-arrow'],
  async init() {
    await arrowLib();
  },
  dump(data, path) {
    return withCodecContext(NAME, path, async () => {
      const lib = await arrowLib();
      await pipeline(Readable.from(batches(lib, data)), lib.RecordBatchStreamWriter.throughNode(), createWriteStream(path));
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
      const stalled = new Promise<never>((_, reject) => {
        source.once('close', () => {
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
        clearTimeout(timer);
        source.destroy();
      }
      const table = new Table(read);
      return checkArrowTable(await arrowLib(), table, NAME, path);
    });
  },
};
