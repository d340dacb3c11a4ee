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
import { withCodecContext } from './errors.js';

const NAME = 'arrow-stream';
/** Rows per record batch (dump); load takes whatever batches the file has. */
export const ARROW_BATCH_ROWS = 65_536;

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
      const reader = await RecordBatchReader.from(createReadStream(path));
      const read: RecordBatch[] = [];
      for await (const batch of reader) read.push(batch);
      const table = read.length > 0 ? new Table(read) : new Table(reader.schema);
      return checkArrowTable(await arrowLib(), table, NAME, path);
    });
  },
};
