/**
 * arrow-stream's dump writes one record batch at a time, waiting for the file to take its bytes
 * before it builds the next (bench/codecs/arrow-stream.ts), like the other streaming codecs'
 * writers (test/codecs-stream.test.ts checks their largest queue).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowLib, tuplesToTable } from '../bench/codecs/arrow.js';
import { ARROW_BATCH_ROWS, arrowStream, writeArrowStream } from '../bench/codecs/arrow-stream.js';
import type { Tuple } from '../bench/types.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { checksumLoaded, checksumTuples } from '../bench/data/builtin.js';

const dir = mkdtempSync(join(tmpdir(), 'arrow-stream-dump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('arrow-stream dump', () => {
  it('builds a record batch only once the file holds the ones before it (no batch queued ahead of the file)', async () => {
    // Seen from outside, through the codec's own dump: when a batch's first row is read, how many batches'
    // worth of bytes were built but not yet in the file. The old pipeline through apache-arrow's Node duplex
    // (which acknowledges every write at once) read every batch before the file grew.
    const batches = 8;
    const base = generateTuples(1000, 7);
    const rows = Array.from({ length: batches * ARROW_BATCH_ROWS }, (_, i) => base[i % base.length]!);
    const path = join(dir, 'queue.arrows');
    const fileAtBatch: number[] = [];
    const data = new Proxy(rows, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) % ARROW_BATCH_ROWS === 0) {
          let size = 0;
          try {
            size = statSync(path).size;
          } catch {
            // not created yet
          }
          fileAtBatch[Number(key) / ARROW_BATCH_ROWS] = size;
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await arrowStream.dump(data, path);
    const bytesPerBatch = statSync(path).size / batches;
    const ahead = fileAtBatch.map((bytes, k) => k - bytes / bytesPerBatch);
    expect(fileAtBatch).toHaveLength(batches);
    expect(Math.max(...ahead)).toBeLessThan(1.5);
    expect(checksumLoaded(await arrowStream.load(path))).toBe(checksumTuples(rows));
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
