import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodecModuleError, codecProblems, loadCodecModule, loadCodecModules } from '../bench/codecs/external.js';
import { InputError } from '../bench/errors.js';
import type { Tuple } from '../bench/types.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { checksumLoaded, checksumTuples } from '../bench/data/builtin.js';

const EDGE: Tuple[] = [
  [5e-324, '@@@@@@@@@@@@@@@@@@@@', 0n],
  [0.1, 'YYYYYYYYYYYYYYYYYYYY', 2n ** 53n + 1n],
  [1 - 2 ** -53, 'ABCDEFGHIJKLMNOPQRST', 2n ** 63n],
  [0, '', 2n ** 64n - 1n],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'footprint-external-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadCodecModule: the msgpack-records example', () => {
  it('loads examples/msgpack-records-codec.mjs and round-trips seeded data and the uint64 edge values exactly', async () => {
    const codec = await loadCodecModule('examples/msgpack-records-codec.mjs');
    expect(codec.name).toBe('msgpack-records');
    expect(codec.kind).toBe('whole');
    const data = [...generateTuples(500, 42), ...EDGE];
    const file = join(dir, `roundtrip.${codec.extension}`);
    await codec.dump(data, file);
    const loaded = await codec.load(file);
    expect(checksumLoaded(loaded)).toBe(checksumTuples(data));
    expect(Array.isArray(loaded) && loaded.at(-1)?.[2]).toBe(2n ** 64n - 1n);
  });

  it('round-trips an empty dataset', async () => {
    const codec = await loadCodecModule('examples/msgpack-records-codec.mjs');
    const file = join(dir, 'empty.msgpack-rec');
    await codec.dump([], file);
    expect(checksumLoaded(await codec.load(file))).toBe(checksumTuples([]));
  });

  it('resolves the path against the given cwd', async () => {
    const codec = await loadCodecModule('msgpack-records-codec.mjs', join(process.cwd(), 'examples'));
    expect(codec.name).toBe('msgpack-records');
  });
});

describe('loadCodecModule: refusals', () => {
  it('names the missing load and the wrong kind', async () => {
    const err = await loadCodecModule('test/fixtures/codec-missing-load.mjs').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecModuleError);
    expect(err).toBeInstanceOf(InputError); // the CLI exits 2 with one line for every InputError
    const msg = (err as Error).message;
    expect(msg).toContain('codec module test/fixtures/codec-missing-load.mjs');
    expect(msg).toContain('missing `load`');
    expect(msg).toContain("`kind` must be 'whole' or 'stream', got \"streaming\"");
    expect(msg).not.toContain('`dump`');
    expect(msg.split('\n')).toHaveLength(1);
  });

  it('refuses a path that is not a JavaScript module', async () => {
    await expect(loadCodecModule('test/fixtures/not-a-module.txt')).rejects.toThrow(
      'codec module test/fixtures/not-a-module.txt: not a JavaScript module (expected .js, .mjs, .cjs; compile TypeScript to JavaScript first)',
    );
  });

  it('in plain Node (as the CLI and the measured child run it): refuses a .js file that does not parse, and a module missing load', async () => {
    // vitest transforms dynamic imports; the compiled loader in a bare `node` is what users hit.
    const loader = pathToFileURL(join(process.cwd(), 'dist/bench/codecs/external.js')).href;
    const script = `const m = await import(${JSON.stringify(loader)});
for (const p of process.argv.slice(1)) console.log(await m.loadCodecModule(p).then(() => 'loaded', (e) => e.message));`;
    const paths = ['test/fixtures/not-javascript.js', 'test/fixtures/codec-missing-load.mjs', 'examples/msgpack-records-codec.mjs'];
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...paths], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [syntax, missing, ok] = r.stdout.trim().split('\n');
    expect(syntax).toMatch(/^codec module test\/fixtures\/not-javascript\.js: cannot import .*not-javascript\.js: SyntaxError: /);
    expect(missing).toMatch(/^codec module test\/fixtures\/codec-missing-load\.mjs: not a valid codec: .*missing `load`/);
    expect(ok).toBe('loaded');
  });

  it('refuses a path that does not exist, saying so', async () => {
    await expect(loadCodecModule('test/fixtures/nope.mjs')).rejects.toThrow(/cannot import .*nope\.mjs: no such file$/);
  });

  it('refuses a name that collides with a built-in codec', async () => {
    await expect(loadCodecModule('test/fixtures/codec-collides.mjs')).rejects.toThrow(/`name` "json" collides with a built-in codec/);
  });

  it('accepts a named `codec` export when there is no default export', async () => {
    const codec = await loadCodecModule('test/fixtures/codec-named-export.mjs');
    expect(codec.name).toBe('named-json');
  });

  it('refuses two modules with the same codec name', async () => {
    await expect(loadCodecModules(['examples/msgpack-records-codec.mjs', 'examples/msgpack-records-codec.mjs'])).rejects.toThrow(
      /already used by another --codec-module/,
    );
  });
});

describe('codecProblems', () => {
  it('lists every missing member of an empty object', () => {
    expect(codecProblems({}, [])).toEqual([
      expect.stringContaining('missing `name`'),
      expect.stringContaining('missing `kind`'),
      expect.stringContaining('missing `extension`'),
      expect.stringContaining('missing `description`'),
      expect.stringContaining('missing `dump`'),
      expect.stringContaining('missing `load`'),
    ]);
  });

  it('rejects wrong types, an extension with its dot, and a non-object export', () => {
    const problems = codecProblems({ name: 'x', kind: 'whole', extension: '.bin', description: 'd', dump: 'no', load: () => [], packages: 'x' }, []);
    expect(problems).toEqual([
      expect.stringContaining('`extension` must be'),
      expect.stringContaining('`dump` must be a function'),
      expect.stringContaining('`packages` must be an array'),
    ]);
    expect(codecProblems(42)).toEqual(['the export is number 42, expected an object implementing Codec']);
  });
});

describe('package entry', () => {
  it('resolves serialization-footprint to the built public entry (self-reference through "exports")', async () => {
    const mod = (await import('serialization-footprint')) as Record<string, unknown>;
    expect(typeof mod.loadCodecModule).toBe('function');
    expect(typeof mod.checksumLoaded).toBe('function');
  });
});
