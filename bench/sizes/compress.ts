/**
 * Compressed size of a data file with gzip, brotli and (where this Node has
 * it) zstd, each streamed from disk through node:zlib into a byte counter, so
 * a 60 MB file is never held in memory and no compressed copy is kept.
 *
 * Levels are fixed and recorded: gzip 6 (zlib's default), brotli quality 5
 * (Node's default, 11, takes minutes on a 60 MB file and is what static
 * pre-compression uses, not what a service pays per request; 5 rather than 6
 * because on these files it took 45-60% less CPU and its sizes were within
 * -0.6% to +1.8% of quality 6's, smaller for 10 of 14 formats: docs/speed.md),
 * zstd 3 (zstd's default). Time is the wall time of the whole stream (read + compress) and the
 * CPU time this process spent on it (`cpuMs`, all threads: zlib works on libuv's
 * pool), which is the comparable one when the machine is shared.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { CompressedSize, CompressedSizes } from '../types.js';

export const GZIP_LEVEL = 6;
export const BROTLI_QUALITY = 5;
export const ZSTD_LEVEL = 3;

/** node:zlib's zstd, typed locally: @types/node for Node 20 does not declare it. */
type ZstdZlib = {
  createZstdCompress?: (options?: { params?: Record<number, number> }) => Transform;
  constants: { ZSTD_c_compressionLevel?: number };
};

export function zstdAvailable(): boolean {
  return typeof (zlib as unknown as ZstdZlib).createZstdCompress === 'function';
}

/** Stream `file` through `compressor`, counting the output bytes. */
async function streamedSize(file: string, compressor: Transform, level: number): Promise<CompressedSize> {
  let bytes = 0;
  const counter = new Writable({
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done();
    },
  });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await pipeline(createReadStream(file), compressor, counter);
  const cpu = process.cpuUsage(cpu0);
  return { bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, level };
}

/** `brotli: false` skips brotli (two thirds of the time: the `--datasets all` preset). */
export async function compressedSizes(file: string, { brotli: withBrotli = true }: { brotli?: boolean } = {}): Promise<CompressedSizes> {
  const rawBytes = (await stat(file)).size;
  const gzip = await streamedSize(file, zlib.createGzip({ level: GZIP_LEVEL }), GZIP_LEVEL);
  const brotli = withBrotli
    ? await streamedSize(
        file,
        zlib.createBrotliCompress({
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: rawBytes,
          },
        }),
        BROTLI_QUALITY,
      )
    : 'skipped';
  const z = zlib as unknown as ZstdZlib;
  let zstd: CompressedSize | 'n/a' = 'n/a';
  if (typeof z.createZstdCompress === 'function') {
    const param = z.constants.ZSTD_c_compressionLevel;
    const compressor = z.createZstdCompress(param === undefined ? {} : { params: { [param]: ZSTD_LEVEL } });
    zstd = await streamedSize(file, compressor, ZSTD_LEVEL);
  }
  return { rawBytes, gzip, brotli, zstd };
}
