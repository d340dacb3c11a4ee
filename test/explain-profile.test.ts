/**
 * The profile analysis of `footprint explain` on hand-made profiles, and what this Node's V8
 * does with the sampling heap profiler's options (the claims docs/explain.md makes).
 */
import { Session } from 'node:inspector';
import { GCProfiler } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { flameSvg, fitLabel, layoutFlame } from '../bench/charts/flame.js';
import { flameTree, location, packageOf, samplingParams, topFunctions, totalBytes, type ProfileNode, type SamplingProfile } from '../bench/explain/profile.js';
import { renderFrameTable } from '../bench/report/explain.js';

let id = 0;
function node(functionName: string, url: string, line: number, selfSize: number, children: ProfileNode[] = []): ProfileNode {
  return { callFrame: { functionName, scriptId: '1', url, lineNumber: line, columnNumber: 0 }, selfSize, id: ++id, children };
}
const ROOT = '/proj';
const A = `file://${ROOT}/dist/bench/codecs/a.js`;
const LIB = `file://${ROOT}/node_modules/msgpackr/unpack.js`;

// (root) -> load(a.js:10) -> [ read(msgpackr:266) 600 -> recurse(a.js:20) 100 -> recurse 50 ] + 200 self, parse 100 ; (root) -> tiny 1
const profile: SamplingProfile = {
  head: node('(root)', '', -1, 0, [
    node('load', A, 9, 200, [
      node('read', LIB, 265, 600),
      node('recurse', A, 19, 100, [node('recurse', A, 19, 50)]),
      node('read', LIB, 265, 100), // a sibling with the same frame (V8 splits them by script id)
    ]),
    node('tiny', A, 29, 1),
  ]),
  samples: [],
};

describe('sampling profile analysis', () => {
  it('totals, self and total per function; recursion counted once in total', () => {
    expect(totalBytes(profile.head)).toBe(1051);
    const { bySelf, byTotal } = topFunctions(profile, { limit: 10, root: ROOT });
    expect(bySelf.map((f) => [f.functionName, f.selfBytes])).toEqual([
      ['read', 700],
      ['load', 200],
      ['recurse', 150],
      ['tiny', 1],
    ]);
    const recurse = byTotal.find((f) => f.functionName === 'recurse')!;
    expect(recurse.totalBytes).toBe(150); // not 200: the inner call is inside the outer one
    expect(byTotal[0]).toMatchObject({ functionName: 'load', totalBytes: 1050, location: 'dist/bench/codecs/a.js:10', package: 'serialization-footprint' });
    expect(byTotal[0]!.totalShare).toBeCloseTo(1050 / 1051);
    expect(bySelf[0]).toMatchObject({ location: 'msgpackr/unpack.js:266', package: 'msgpackr' });
    expect(byTotal.some((f) => f.functionName === '(root)')).toBe(false);
  });

  it('the flame tree merges same-frame siblings and prunes small boxes, keeping their bytes in the parent', () => {
    const tree = flameTree(profile, { minShare: 0.01, root: ROOT });
    expect(tree.totalBytes).toBe(1051);
    expect(tree.children!.map((c) => c.functionName)).toEqual(['load']); // 'tiny' (1 B) pruned
    const load = tree.children![0]!;
    expect(load.children!.map((c) => [c.functionName, c.totalBytes])).toEqual([
      ['read', 700],
      ['recurse', 150],
    ]);
    const boxes = layoutFlame(tree, 1051);
    expect(boxes.find((b) => b.node.functionName === 'read')!.w).toBeCloseTo(700);
    const svg = flameSvg(tree, 'test <flame>');
    expect(svg).toContain('&lt;flame&gt;');
    expect(svg.match(/<rect /g)!.length).toBe(5); // root, load, read, recurse, recurse
  });

  it('maps source lines through a source mapper, names packages and V8 frames', () => {
    const { bySelf } = topFunctions(profile, {
      limit: 1,
      root: ROOT,
      map: (url, line) => (url === LIB ? null : { url: url.replace('dist/', '').replace('.js', '.ts'), line: line + 2 }),
    });
    expect(bySelf[0]!.location).toBe('msgpackr/unpack.js:266');
    const t = topFunctions(profile, { limit: 5, root: ROOT, map: (url, line) => ({ url: url.replace('dist/', '').replace('.js', '.ts'), line: line + 2 }) });
    expect(t.bySelf.find((f) => f.functionName === 'load')!.location).toBe('bench/codecs/a.ts:12');
    expect(packageOf('', 'split')).toBe('(v8 builtin)');
    expect(packageOf('', '(root)')).toBe('(v8)');
    expect(packageOf('node:internal/fs/promises', 'readFile')).toBe('node');
    expect(packageOf('file:///x/node_modules/@scope/pkg/node_modules/inner/i.js', 'f')).toBe('inner');
    expect(location('file:///x/node_modules/@scope/pkg/lib/a.js', 4, '/x')).toBe('@scope/pkg/lib/a.js:5');
    expect(fitLabel('averyveryverylongname', 60)).toMatch(/…$/);
    expect(fitLabel('x', 10)).toBe('');
    expect(renderFrameTable(topFunctions(profile, { limit: 2, root: ROOT }).bySelf, 'self', 2).split('\n')).toHaveLength(4);
  });
});

/** A synchronous inspector call (Session.post on the main thread answers before it returns). */
function post<T>(s: Session, method: string, params: object = {}): T {
  let out: T | undefined;
  s.post(method, params, (err, res) => {
    if (err) throw err;
    out = res as T;
  });
  return out as T;
}

function sampled(params: Record<string, unknown>): number {
  const s = new Session();
  s.connect();
  try {
    post(s, 'HeapProfiler.enable');
    post(s, 'HeapProfiler.startSampling', params);
    // 40 MB of short-lived garbage, 10% of it kept
    const keep: unknown[] = [];
    for (let i = 0; i < 500_000; i++) {
      const o = { i, s: `x${i}`, a: [i, i + 1] };
      if (i % 10 === 0) keep.push(o);
    }
    const { profile } = post<{ profile: SamplingProfile }>(s, 'HeapProfiler.getSamplingProfile');
    post(s, 'HeapProfiler.stopSampling');
    expect(keep.length).toBe(50_000);
    return totalBytes(profile.head);
  } finally {
    s.disconnect();
  }
}

describe("this Node's V8 sampling heap profiler", () => {
  it('accepts includeObjectsCollectedByMajorGC / includeObjectsCollectedByMinorGC: the allocated view keeps collected samples', () => {
    const held = sampled(samplingParams('held', 4096));
    const allocated = sampled(samplingParams('allocated', 4096));
    expect(samplingParams('allocated', 4096)).toMatchObject({ includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    // 90% of the objects die young: with the flags their samples stay
    expect(allocated).toBeGreaterThan(3 * held);
  });

  it('runs a full GC before it hands out the profile (why the held view is what was still alive)', () => {
    const s = new Session();
    s.connect();
    try {
      post(s, 'HeapProfiler.enable');
      post(s, 'HeapProfiler.startSampling', samplingParams('held', 8192));
      const gcs = new GCProfiler();
      gcs.start();
      post(s, 'HeapProfiler.getSamplingProfile');
      const types = (gcs.stop()?.statistics ?? []).map((x) => x.gcType);
      post(s, 'HeapProfiler.stopSampling');
      expect(types).toContain('MarkSweepCompact');
    } finally {
      s.disconnect();
    }
  });
});
