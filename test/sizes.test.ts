import * as zlib from 'node:zlib';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Report } from '../bench/types.js';
import { CLI } from './helpers/cli.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressedSizes, zstdAvailable } from '../bench/sizes/compress.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footprint-sizes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('compressedSizes', () => {
  it('compresses repetitive data below its raw size and matches one-shot zlib byte for byte', async () => {
    const content = Buffer.from('0.5,ABCDEFGHIJKLMNOPQRST,18446744073709551615\n'.repeat(2000));
    const file = join(dir, 'repetitive.csv');
    await writeFile(file, content);
    const s = await compressedSizes(file);
    if (s.brotli === 'skipped') throw new Error('brotli skipped by default');
    expect(s.rawBytes).toBe(content.length);
    expect(s.gzip.bytes).toBeGreaterThan(0);
    expect(s.gzip.bytes).toBeLessThan(s.rawBytes / 10);
    expect(s.brotli.bytes).toBeLessThan(s.rawBytes / 10);
    // streamed size equals the size of the same compression done in one call
    expect(s.gzip.bytes).toBe(zlib.gzipSync(content, { level: s.gzip.level }).length);
    expect(s.brotli.bytes).toBe(
      zlib.brotliCompressSync(content, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: s.brotli.level, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length },
      }).length,
    );
    expect(s.gzip.ms).toBeGreaterThan(0);
    expect(s.brotli.ms).toBeGreaterThan(0);
  });

  it('skips brotli when asked (--no-brotli, the --datasets all preset), gzip unchanged', async () => {
    const file = join(dir, 'repetitive.csv');
    const s = await compressedSizes(file, { brotli: false });
    expect(s.brotli).toBe('skipped');
    expect(s.gzip.bytes).toBe((await compressedSizes(file)).gzip.bytes);
  });

  it("gives zstd as a size where node:zlib has it, 'n/a' otherwise", async () => {
    const file = join(dir, 'small.bin');
    await writeFile(file, Buffer.alloc(5000, 7));
    const s = await compressedSizes(file);
    // from Node's changelog, not from the same check the code makes: zstd came in 22.15 and 23.8
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const has = major >= 24 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);
    expect(zstdAvailable()).toBe(has);
    if (has) {
      expect(s.zstd).toMatchObject({ level: 3 });
      expect(s.zstd !== 'n/a' && s.zstd.bytes).toBeLessThan(5000);
    } else {
      expect(s.zstd).toBe('n/a');
    }
  });

  it('handles an empty file', async () => {
    const file = join(dir, 'empty');
    await writeFile(file, '');
    const s = await compressedSizes(file);
    expect(s.rawBytes).toBe(0);
    expect(s.gzip.bytes).toBeGreaterThan(0); // gzip header and trailer
  });

  it('rejects a missing file', async () => {
    await expect(compressedSizes(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});

describe('footprint run --node: sizes', () => {
  it('are measured by the Node binary under test, not the orchestrator', async () => {
    // a stand-in "other Node": logs each script it runs, then runs it with this Node
    const log = join(dir, 'node-calls.log');
    const wrapper = join(dir, 'other-node');
    await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${process.execPath}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const out = join(dir, 'r', 'r.json');
    await promisify(execFile)(process.execPath, [
      CLI,
      'run',
      '--node',
      wrapper,
      '--n',
      '300',
      '--codecs',
      'json',
      '--phases',
      'dump',
      '--repeats',
      '1',
      '--sample-ms',
      '0',
      '--memory-only',
      '--out',
      out,
    ]);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    expect(report.sizes?.map((s) => [s.codec, s.n])).toEqual([['json', 300]]);
    expect(report.sizes![0]!.rawBytes).toBe(report.cases[0]!.runs[0]!.fileBytes);
    expect((await readFile(log, 'utf8')).split('\n').filter((l) => l.includes('bench/sizes/child.js'))).toHaveLength(1);
  });
});
