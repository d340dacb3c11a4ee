import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The child runs compiled JavaScript (npm test builds first), as the suite's children do.
import { runThroughputChild } from '../dist/bench/throughput/run-child.js';

const ORDERS = join(process.cwd(), 'examples/orders-dataset.mjs');
const TINY = { batch: 50, seed: 7, warmupTimeMs: 5, warmupIterations: 2, timeMs: 10, iterations: 3 };

describe('runThroughputChild', () => {
  it('measures built-in and external codecs in a fresh --expose-gc process and forwards progress', async () => {
    const progress: string[] = [];
    const section = await runThroughputChild({
      ...TINY,
      nodeBinary: process.execPath,
      codecs: ['v8'],
      codecModules: [join(process.cwd(), 'examples/msgpack-records-codec.mjs')],
      onProgress: (l) => progress.push(l),
    });
    expect(section.rows.map((r) => [r.codec, r.state, r.verified])).toEqual([
      ['v8', 'ok', true],
      ['msgpack-records', 'ok', true],
    ]);
    expect(section.gcBetweenCodecs).toBe(true);
    expect(section.seed).toBe(7);
    expect(progress.map((l) => l.split(':')[0])).toEqual(['throughput v8', 'throughput msgpack-records']);
  });

  it("rejects with the child's error when a codec module cannot be loaded", async () => {
    await expect(
      runThroughputChild({ ...TINY, nodeBinary: process.execPath, codecs: [], codecModules: [join(process.cwd(), 'test/fixtures/nope.mjs')] }),
    ).rejects.toThrow(/throughput child exited with code 1: .*nope\.mjs: .*no such file/);
  });

  it('times each requested dataset, a reader module one included, with its batch', async () => {
    const section = await runThroughputChild({
      ...TINY,
      nodeBinary: process.execPath,
      codecs: ['json'],
      codecModules: [],
      datasets: [
        { name: 'mesh', batch: 12 },
        { name: 'orders', batch: 9, source: { kind: 'module', path: ORDERS, sha256: createHash('sha256').update(readFileSync(ORDERS)).digest('hex') } },
      ],
    });
    expect(section.rows.map((r) => [r.dataset, r.codec, r.state, r.verified])).toEqual([
      ['mesh', 'json', 'ok', true],
      ['orders', 'json', 'ok', true],
    ]);
    expect(section.batches).toEqual({ mesh: 12, orders: 9 });
  });
});
