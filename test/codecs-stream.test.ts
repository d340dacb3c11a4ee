import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unpackr } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import { columnarLayout, encodeHeader } from '../bench/codecs/columnar.js';
import { CodecError } from '../bench/codecs/errors.js';
import { CODECS, DEFAULT_CODECS, getCodec } from '../bench/codecs/index.js';
import { MSGPACK_OPTIONS } from '../bench/codecs/msgpack.js';
import { countLines, scanLines, writeChunks } from '../bench/codecs/stream-util.js';
import { floatText, writeTextLines } from '../bench/codecs/text-stream.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { checksumLoaded, checksumTuples } from '../bench/data/builtin.js';
import type { Tuple } from '../bench/types.js';

const STREAM_CODECS = ['msgpack-stream', 'text-stream', 'ndjson', 'json-stream', 'v8-stream', 'columnar', 'text-to-columnar'];

const dir = mkdtempSync(join(tmpdir(), 'codecs-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const tmp = (ext: string): string => join(dir, `f${fileNo++}.${ext}`);

const EDGE: Tuple[] = [
  [5e-324, 'ABCDEFGHIJKLMNOPQRST', 2n ** 53n + 1n],
  [0.1, '@@@@@@@@@@@@@@@@@@@@', 2n ** 63n],
  [1 - 2 ** -53, 'YYYYYYYYYYYYYYYYYYYY', 2n ** 64n - 1n],
  [0, 'QWERTYUIOPASDFGHJKLZ', 0n],
];
const DATASETS: Record<string, Tuple[]> = { empty: [], edge: EDGE, seeded: generateTuples(3000, 42) };

async function roundTrip(codecName: string, data: Tuple[]): Promise<{ path: string; sum: string }> {
  const codec = getCodec(codecName);
  const path = tmp(codec.extension);
  await codec.dump(data, path);
  return { path, sum: checksumLoaded(await codec.load(path)) };
}

async function expectRefused(codecName: string, path: string, pattern: RegExp): Promise<void> {
  const err: unknown = await getCodec(codecName)
    .load(path)
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(CodecError);
  expect((err as Error).message).toContain(`${codecName}: ${path}: `);
  expect((err as Error).message).toMatch(pattern);
}

describe('registry', () => {
  it('registers every streaming codec as kind stream and runs it by default', () => {
    for (const name of STREAM_CODECS) {
      expect(getCodec(name).kind).toBe('stream');
      expect(DEFAULT_CODECS).toContain(name);
    }
    expect(new Set(CODECS.map((c) => c.name)).size).toBe(CODECS.length);
  });
});

describe.each(STREAM_CODECS)('%s round trip', (name) => {
  it.each(Object.keys(DATASETS))('%s', async (set) => {
    const data = DATASETS[set]!;
    const { sum } = await roundTrip(name, data);
    expect(sum).toBe(checksumTuples(data));
  });
});

describe('same file format as the whole-document codec', () => {
  // strings Papa.unparse must quote: the streaming writer has to match it byte for byte
  const awkward: Tuple[] = [...EDGE, [0.5, 'a,b', 1n], [0.25, 'say "hi"', 2n], [0.75, ' lead', 3n], [0.125, 'trail ', 4n], [2, 'two\nlines', 5n]];

  it.each([
    ['text', 'text-stream', DATASETS.seeded!],
    ['text', 'text-stream', awkward],
    ['text', 'text-to-columnar', DATASETS.seeded!],
    ['json', 'json-stream', DATASETS.seeded!],
    ['json', 'json-stream', awkward],
    ['json', 'json-stream', []],
  ] as const)('%s and %s write identical bytes and read each other', async (wholeName, streamName, data) => {
    const whole = getCodec(wholeName);
    const stream = getCodec(streamName);
    const a = tmp(whole.extension);
    const b = tmp(stream.extension);
    await whole.dump(data, a);
    await stream.dump(data, b);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    const want = checksumTuples(data);
    expect(checksumLoaded(await stream.load(a))).toBe(want);
    expect(checksumLoaded(await whole.load(b))).toBe(want);
  });

  it('text-to-columnar loads a file written by text', async () => {
    const path = tmp('csv');
    await getCodec('text').dump(DATASETS.seeded!, path);
    const loaded = await getCodec('text-to-columnar').load(path);
    expect(Array.isArray(loaded)).toBe(false);
    expect(checksumLoaded(loaded)).toBe(checksumTuples(DATASETS.seeded!));
  });
});

describe('text-stream float formatting', () => {
  it('writes every float exactly as Number#toString does', () => {
    const floats = [5e-324, 0.1, 1 - 2 ** -53, -0, 0, 1e21, 1e-7, 123456789012345680000, -1.5, NaN, Infinity, -Infinity, ...DATASETS.seeded!.map((t) => t[0])];
    for (const f of floats) expect(floatText(f)).toBe(String(f));
  });
});

describe('msgpack-stream', () => {
  it('writes one plain MessagePack value per record', async () => {
    const { path } = await roundTrip('msgpack-stream', EDGE);
    const values = new Unpackr(MSGPACK_OPTIONS).unpackMultiple(readFileSync(path)) as unknown[];
    expect(values).toHaveLength(EDGE.length);
    expect(checksumTuples(values as Tuple[])).toBe(checksumTuples(EDGE));
  });

  it('refuses a truncated file', async () => {
    const { path } = await roundTrip('msgpack-stream', EDGE);
    truncateSync(path, readFileSync(path).length - 3);
    await expectRefused('msgpack-stream', path, /end of MessagePack data/);
  });
});

describe('v8-stream', () => {
  it('frames each record as uint32 LE length + v8.serialize bytes', async () => {
    const { path } = await roundTrip('v8-stream', EDGE);
    const buf = readFileSync(path);
    let pos = 0;
    let frames = 0;
    while (pos < buf.length) {
      pos += 4 + buf.readUInt32LE(pos);
      frames++;
    }
    expect(pos).toBe(buf.length);
    expect(frames).toBe(EDGE.length);
  });

  it.each([
    ['inside a payload', 1, /truncated: file ends inside record 3 .*payload/],
    ['inside a length prefix', 0, /truncated: file ends inside record 3 .*length prefix/],
  ])('refuses a file that ends %s', async (_what, extraBytes, pattern) => {
    const { path } = await roundTrip('v8-stream', EDGE);
    const buf = readFileSync(path);
    let pos = 0;
    for (let i = 0; i < 3; i++) pos += 4 + buf.readUInt32LE(pos);
    truncateSync(path, pos + (extraBytes === 0 ? 2 : 4 + extraBytes));
    await expectRefused('v8-stream', path, pattern);
  });

  it('refuses a file that is not v8-stream', async () => {
    const path = tmp('v8-frames');
    writeFileSync(path, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    await expectRefused('v8-stream', path, /frame length .* not plausible/);
  });
});

describe('line codecs refuse bad input', () => {
  it('ndjson names the bad line', async () => {
    const { path } = await roundTrip('ndjson', EDGE);
    appendFileSync(path, '[0.5,"x",\n');
    await expectRefused('ndjson', path, /line 5:/);
  });

  it('ndjson refuses a uint64 that is a number, not a string', async () => {
    const path = tmp('ndjson');
    writeFileSync(path, '[0.5,"x",12]\n');
    await expectRefused('ndjson', path, /not a decimal uint64/);
  });

  it('json-stream refuses a truncated array and a non-array', async () => {
    const { path } = await roundTrip('json-stream', EDGE);
    truncateSync(path, readFileSync(path).length - 1);
    await expectRefused('json-stream', path, /Parser/);
    const obj = tmp('json');
    writeFileSync(obj, '{"a":1}');
    await expectRefused('json-stream', obj, /array/);
  });

  it('text-stream refuses a row with the wrong field count', async () => {
    const { path } = await roundTrip('text-stream', EDGE);
    appendFileSync(path, '0.5,ABC\n');
    await expectRefused('text-stream', path, /line 5 does not have 3 fields/);
  });

  it('text-to-columnar refuses quoted, long and short rows and skips blank lines', async () => {
    const cases: [string, RegExp][] = [
      ['0.5,"A,B",1\n', /does not have 3 fields|byte 0x22/],
      ['0.5,"AB",1\n', /byte 0x22/],
      ['0.5,ABCDEFGHIJKLMNOPQRSTU,1\n', /longer than 20 bytes/],
      ['0.5,ABC\n', /line 1 does not have 3 fields/],
      ['0.5,ABC,-1\n', /not a decimal uint64/],
      ['0.5,ABC,18446744073709551616\n', /does not fit in 64 bits/],
      ['0.5,ABC,99999999999999999999\n', /does not fit in 64 bits/],
      ['0.5,ABC,123456789012345678901\n', /not a decimal uint64/],
      ['0.5,ABC,01\n', /not a decimal uint64/],
      ['0.5,ABC,\n', /not a decimal uint64/],
      ['0.5,ABC,1x\n', /not a decimal uint64/],
      [',ABC,1\n', /float field is empty/],
    ];
    for (const [body, pattern] of cases) {
      const path = tmp('csv');
      writeFileSync(path, body);
      await expectRefused('text-to-columnar', path, pattern);
    }
    const path = tmp('csv');
    writeFileSync(path, '\n0.5,AB,7\n\n0.25,CD,18446744073709551615\n1,,0\n0,E,4294967296\n0,F,4294967295');
    const loaded = await getCodec('text-to-columnar').load(path);
    const want: Tuple[] = [
      [0.5, 'AB', 7n],
      [0.25, 'CD', 2n ** 64n - 1n],
      [1, '', 0n],
      [0, 'E', 2n ** 32n],
      [0, 'F', 2n ** 32n - 1n],
    ];
    expect(checksumLoaded(loaded)).toBe(checksumTuples(want));
  });
});

describe('columnar', () => {
  it('writes the documented layout and loads typed arrays', async () => {
    const { path, sum } = await roundTrip('columnar', DATASETS.seeded!);
    expect(sum).toBe(checksumTuples(DATASETS.seeded!));
    const buf = readFileSync(path);
    expect(buf.length).toBe(64 + 36 * 3000);
    expect(buf.subarray(0, 8).toString('latin1')).toBe('SFPCOLS\n');
    expect(buf.equals(Buffer.concat([encodeHeader(columnarLayout(3000)), buf.subarray(64)]))).toBe(true);
    const loaded = await getCodec('columnar').load(path);
    if (Array.isArray(loaded) || loaded.kind !== 'columnar') throw new Error('expected columnar data');
    expect(loaded.floats).toBeInstanceOf(Float64Array);
    expect(loaded.ints).toBeInstanceOf(BigUint64Array);
    expect(loaded.ints[0]).toBe(DATASETS.seeded![0]![2]);
  });

  async function corrupt(edit: (buf: Buffer) => Buffer): Promise<string> {
    const { path } = await roundTrip('columnar', EDGE);
    writeFileSync(path, edit(readFileSync(path)));
    return path;
  }

  it('refuses a bad magic', async () => {
    const path = await corrupt((b) => {
      b.write('NOTCOLS!', 0, 'latin1');
      return b;
    });
    await expectRefused('columnar', path, /bad magic/);
  });

  it('refuses an unsupported version', async () => {
    const path = await corrupt((b) => {
      b.writeUInt32LE(2, 8);
      return b;
    });
    await expectRefused('columnar', path, /unsupported format version 2/);
  });

  it('refuses a truncated file, a short header and trailing bytes', async () => {
    await expectRefused('columnar', await corrupt((b) => b.subarray(0, b.length - 1)), /truncated: file is 207 bytes, header says 208/);
    await expectRefused('columnar', await corrupt((b) => b.subarray(0, 10)), /truncated: 10 bytes/);
    await expectRefused('columnar', await corrupt((b) => Buffer.concat([b, Buffer.alloc(8)])), /size mismatch/);
  });

  it('refuses a header whose layout disagrees with N', async () => {
    const path = await corrupt((b) => {
      b.writeBigUInt64LE(72n, 40);
      return b;
    });
    await expectRefused('columnar', path, /unsupported layout/);
  });

  it('refuses strings it cannot hold in 20 latin1 bytes', async () => {
    const path = tmp('cols');
    await expect(getCodec('columnar').dump([[0.5, 'x'.repeat(21), 1n]], path)).rejects.toThrow(/columnar: .*record 0: string/);
    await expect(getCodec('columnar').dump([[0.5, 'snow\u2603', 1n]], path)).rejects.toThrow(/latin1/);
  });
});

describe('stream helpers', () => {
  it('writeChunks waits for drain and keeps the buffer near the high-water mark', async () => {
    const path = tmp('bin');
    const chunk = 'x'.repeat(100);
    const stats = await writeChunks(
      path,
      (function* () {
        for (let i = 0; i < 5000; i++) yield chunk;
      })(),
      1024,
    );
    expect(readFileSync(path).length).toBe(500_000);
    expect(stats.chunks).toBe(5000);
    expect(stats.drainWaits).toBeGreaterThan(100);
    expect(stats.maxBufferedBytes).toBeLessThan(1024 + 100);
  });

  it('text-stream dump applies backpressure across many high-water marks', async () => {
    const path = tmp('csv');
    const stats = await writeTextLines(DATASETS.seeded!, path);
    const bytes = readFileSync(path).length;
    expect(bytes).toBeGreaterThan(10 * 16 * 1024);
    expect(stats.drainWaits).toBeGreaterThanOrEqual(Math.floor(bytes / (16 * 1024)) - 1);
    expect(stats.maxBufferedBytes).toBeLessThan(16 * 1024 + 200);
  });

  it('writeChunks rejects when the file cannot be opened', async () => {
    await expect(writeChunks(join(dir, 'no-such-dir', 'x'), ['a'])).rejects.toThrow(/ENOENT/);
  });

  it('scanLines splits lines across chunk boundaries and counts an unterminated last line', async () => {
    const path = tmp('txt');
    const lines = Array.from({ length: 5000 }, (_, i) => `line-${i}-${'y'.repeat(i % 97)}`);
    writeFileSync(path, lines.join('\n'));
    const seen: string[] = [];
    const n = await scanLines(path, (buf, start, end) => seen.push(buf.toString('latin1', start, end)));
    expect(n).toBe(5000);
    expect(seen).toEqual(lines);
    expect(await countLines(path)).toBe(5000);
    appendFileSync(path, '\n');
    expect(await countLines(path)).toBe(5000);
  });
});
