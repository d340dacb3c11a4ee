/**
 * Bytes across the read chunks: every codec that carries `blobs` round-trips 200 of its records
 * (about 1.2 MB, many 64 KiB chunks of stream-util.ts's one reused read buffer). A decoder that
 * returns bytes as views into that buffer (v8.deserialize, bson's promoteBuffers) came back with
 * other records' payloads from the stream codecs until they copied each frame (found by a new
 * user's dataset with a bytes field; the stub's 60 records fit in one chunk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bindCodec, isUnsupported } from '../bench/codecs/bind.js';
import { CODECS } from '../bench/codecs/index.js';
import { datasetRef, getDataset } from '../bench/data/registry.js';

const N = 200;
const SEED = 3;
const dir = mkdtempSync(join(tmpdir(), 'footprint-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const blobs = await getDataset('blobs');
const carrying = CODECS.filter((c) => !isUnsupported(bindCodec(c, datasetRef(blobs))));

describe('bytes that span the read chunks come back as written', () => {
  it('the stream codecs are among those that carry blobs', () => {
    expect(carrying.map((c) => c.name)).toEqual(
      expect.arrayContaining(['v8-stream', 'bson-stream', 'msgpack-stream', 'cbor-stream', 'protobuf-stream', 'avro-stream']),
    );
  });

  it.each(carrying.map((c) => [c.name, c] as const))('%s', async (_name, codec) => {
    const bound = bindCodec(codec, datasetRef(blobs));
    if (isUnsupported(bound)) throw new Error(bound.unsupported);
    await codec.init?.();
    await bound.init?.();
    const file = join(dir, `${codec.name}.${codec.extension}`);
    await bound.dump(blobs.generate(N, SEED), file);
    const verdict = blobs.verify(await bound.load(file), N, SEED, () => blobs.expectedChecksum(N, SEED));
    expect(verdict.verified ? 'verified' : verdict.error).toBe('verified');
  });
});
