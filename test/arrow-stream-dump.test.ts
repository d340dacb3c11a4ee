/**
 * arrow-stream's dump writes one record batch at a time, waiting for the file to take its bytes
 * before it builds the next (bench/codecs/arrow-stream.ts), like the other streaming codecs'
 * writers (test/codecs-stream.test.ts checks their largest queue), for the tuples and for any other
 * dataset (its batches built by mapping/arrow.ts).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowLib, tuplesToTable } from '../bench/codecs/arrow.js';
import { ARROW_BATCH_ROWS, arrowStream, writeArrowStream, writeArrowStreamMapped } from '../bench/codecs/arrow-stream.js';
import { arrowMapping } from '../bench/codecs/mapping/arrow.js';
import { defineDataset } from '../bench/data/dataset.js';
import { getDefinition } from '../bench/data/registry.js';
import type { DatasetCodec, Tuple } from '../bench/types.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { checksumLoaded, checksumTuples } from '../bench/data/builtin.js';

const dir = mkdtempSync(join(tmpdir(), 'arrow-stream-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * `rows` seen through a Proxy that notes, when a batch's first row is read (every `size` rows), the
 * file's size then: how many batches' worth of bytes were built but not yet in the file.
 */
function watchBatches<T>(rows: T[], size: number, path: string): { data: T[]; ahead: () => number[] } {
  const fileAtBatch: number[] = [];
  const data = new Proxy(rows, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) % size === 0 && fileAtBatch[Number(key) / size] === undefined) {
        let bytes = 0;
        try {
          bytes = statSync(path).size;
        } catch {
          // not created yet
        }
        fileAtBatch[Number(key) / size] = bytes;
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const ahead = (): number[] => {
    const batches = Math.ceil(rows.length / size);
    expect(fileAtBatch).toHaveLength(batches);
    const bytesPerBatch = statSync(path).size / batches;
    return fileAtBatch.map((bytes, k) => k - bytes / bytesPerBatch);
  };
  return { data, ahead };
}

describe('arrow-stream dump', () => {
  it('builds a record batch only once the file holds the ones before it (no batch queued ahead of the file)', async () => {
    // Seen from outside, through the codec's own dump. The old pipeline through apache-arrow's Node
    // duplex (which acknowledges every write at once) read every batch before the file grew.
    const batches = 8;
    const base = generateTuples(1000, 7);
    const rows = Array.from({ length: batches * ARROW_BATCH_ROWS }, (_, i) => base[i % base.length]!);
    const path = join(dir, 'queue.arrows');
    const watched = watchBatches(rows, ARROW_BATCH_ROWS, path);
    await arrowStream.dump(watched.data, path);
    expect(Math.max(...watched.ahead())).toBeLessThan(1.5);
    expect(checksumLoaded(await arrowStream.load(path))).toBe(checksumTuples(rows));
  });

  it("another dataset too: a batch (here under the file stream's 16 KiB high-water mark) only once the file has the last, and the library's own stream bytes", async () => {
    // only the flush after each batch makes the dump wait for the file here: no write fills the stream's buffer
    const ds = defineDataset(await getDefinition('logs'));
    const batches = 8;
    const size = 20;
    const rows = ds.generate(batches * size, 7) as unknown[];
    const m = arrowMapping(await arrowLib(), ds.schema);
    const path = join(dir, 'logs-queue.arrows');
    const watched = watchBatches(rows, size, path);
    await writeArrowStreamMapped(m, watched.data, path, size);
    expect(Math.max(...watched.ahead())).toBeLessThan(1.5);
    const lib = await arrowLib();
    const oneShot = lib.RecordBatchStreamWriter.writeAll(Array.from({ length: batches }, (_, k) => m.batch(rows, k * size, (k + 1) * size))).toUint8Array(true);
    expect(Buffer.compare(readFileSync(path), Buffer.from(oneShot))).toBe(0);
    const bound = arrowStream.forDataset!(ds.info) as DatasetCodec;
    const loaded = await bound.load(path);
    expect((loaded as unknown as { batches: unknown[] }).batches).toHaveLength(batches);
    expect(ds.verify(loaded, batches * size, 7, () => ds.expectedChecksum(batches * size, 7)).verified).toBe(true);
  });

  it("keeps at most about one chunk queued in the file stream, and writes the bytes of the library's own stream writer", async () => {
    const lib = await arrowLib();
    const data: Tuple[] = generateTuples(20_000, 3);
    const path = join(dir, 'stats.arrows');
    const stats = await writeArrowStream(data, path, 1000);
    // 20 batches of 1,000 rows: the largest chunk is a batch's 20,000 string bytes
    expect(stats.drainWaits).toBeGreaterThanOrEqual(20);
    expect(stats.maxBufferedBytes).toBeLessThan(20_000 + 16 * 1024);
    const oneShot = lib.RecordBatchStreamWriter.writeAll(
      Array.from({ length: 20 }, (_, k) => tuplesToTable(lib, data, k * 1000, (k + 1) * 1000).batches[0]!),
    ).toUint8Array(true);
    expect(Buffer.compare(readFileSync(path), Buffer.from(oneShot))).toBe(0);
  });
});
