/**
 * A heap limit too small for one format: that format's case is 'oom', the
 * others complete. At 60,000 tuples a 16 MiB old space holds a columnar load
 * (typed arrays off the heap: about 0.1 MiB of live heap) but not a JSON.parse
 * of the same data (about 21 MiB at 50,000). Loads only, formats far from the limit
 * on either side: the JSON dump's live peak (about 14 MiB at 50,000), and a v8
 * load's (12.9 MiB at 50,000: V8 gave up with "ineffective mark-compacts near
 * heap limit" in 3 of 4 runs on a loaded machine), sit so close to the limit
 * that whether they fit depends on GC timing, which a test must not.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { helperFlags } from '../bench/measure/heap-limit.js';
import type { Report } from '../bench/types.js';
import { CLI } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-oom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helperFlags', () => {
  it("replaces the phase's heap limit with a generous one and keeps the other flags", () => {
    expect(helperFlags(['--expose-gc', '--max-old-space-size=16'])).toEqual(['--expose-gc', '--max-old-space-size=16384']);
    expect(helperFlags(['--max_old_space_size=65536', '--expose-gc'])).toEqual(['--expose-gc', '--max-old-space-size=65536']);
    expect(helperFlags(['--expose-gc'])).toEqual(['--expose-gc', '--max-old-space-size=16384']);
  });
});

describe('a heap limit too small for JSON', () => {
  it('records oom for the JSON load, the columnar load completes; the inputs are written outside the limit; exit 1', async () => {
    const out = join(dir, 'r.json');
    const run = promisify(execFile)(process.execPath, [
      CLI,
      'run',
      '--n',
      '60000',
      '--codecs',
      'json,columnar',
      '--phases',
      'load',
      '--max-old-space-size',
      '16',
      '--repeats',
      '1',
      '--sample-ms',
      '0',
      '--memory-only',
      '--no-sizes',
      '--out',
      out,
    ]);
    const code = await run.then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const byName = Object.fromEntries(report.cases.map((c) => [`${c.codec}.${c.phase}`, c]));
    expect(byName['json.load']).toMatchObject({ state: 'oom', runs: [] });
    expect(byName['json.load']!.error).toMatch(/out of memory \(heap limit 16 MiB\)/);
    expect(byName['json.load']!.error).toMatch(/heap out of memory|Reached heap limit/);
    // the load's input was written outside the limit: the oom is the load's own
    expect(byName['json.load']!.error).not.toMatch(/could not write the input file/);
    expect(byName['columnar.load']!.state).toBe('ok');
    expect(Object.keys(byName).sort()).toEqual(['columnar.load', 'json.load']);
    expect(report.config.maxOldSpaceSizeMb).toBe(16);
    expect(report.environment.nodeFlags).toContain('--max-old-space-size=16');
  });
});
