/**
 * V8's sampling heap profile (`HeapProfiler.getSamplingProfile`) and what `footprint explain`
 * makes of it: totals, the top functions by self and total bytes, and a pruned call tree for
 * the flame graph. Pure functions of the profile; the child side is bench/explain/hook.ts.
 */
import type { ExplainFrame, ExplainView, FlameNode } from '../types.js';

export type { ExplainView };

/** One node of the profile's call tree, as the inspector protocol returns it. */
export interface ProfileNode {
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
  /** Estimated bytes allocated by this frame itself (V8 scales each sample by its sampling probability). */
  selfSize: number;
  id: number;
  children: ProfileNode[];
}

/** `{head, samples}`: what Chrome DevTools' Memory panel and speedscope open as a .heapprofile. */
export interface SamplingProfile {
  head: ProfileNode;
  samples: { size: number; nodeId: number; ordinal: number }[];
}

/** What the explain child writes: the profile and the readings of the same window. */
export interface RawExplain {
  view: ExplainView;
  samplingIntervalBytes: number;
  params: Record<string, unknown>;
  /** Heap used at the phase's end (before any GC after it) minus heap used at the baseline, in the same child. */
  endHeapIncrementBytes: number;
  /** Heap used after a full GC at the phase's end (the GC V8 runs before it reads the profile) minus the baseline. */
  liveHeapIncrementBytes: number;
  endExternalBytes: number;
  /** From startSampling to getSamplingProfile. */
  profiledMs: number;
  profile: SamplingProfile;
}

/**
 * `held`: samples disappear when their object is collected (V8's default); V8's inspector runs a
 * full GC before it returns the profile, so the profile read at the phase's end is what the
 * phase allocated and still held alive then. `allocated`: V8 keeps the
 * samples of objects collected by minor and major GCs (both flags exist in Node 20's V8 11.3;
 * checked by test/explain.test.ts), so the profile is every allocation of the phase.
 */
export function samplingParams(view: ExplainView, interval: number): Record<string, unknown> {
  return view === 'held'
    ? { samplingInterval: interval }
    : { samplingInterval: interval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
}

/** Sum of selfSize over the tree. */
export function totalBytes(node: ProfileNode): number {
  let t = node.selfSize;
  for (const c of node.children) t += totalBytes(c);
  return t;
}

/** Maps a compiled file's line to its TypeScript source (the suite compiles with source maps). */
export type SourceMapper = (url: string, line: number, column: number) => { url: string; line: number } | null;

/** `node_modules/<pkg>` in the path, `node:` for Node's own code, `(v8)` for frames without a script, else the suite. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? '(v8)' : '(v8 builtin)';
  if (url.startsWith('node:')) return 'node';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (m) return m[1]!;
  return 'serialization-footprint';
}

/** A readable location: project-relative path and 1-based line. */
export function location(url: string, line: number, root: string): string {
  if (!url) return '';
  let path = url.replace(/^file:\/\//, '');
  if (root && path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) path = path.slice(nm + 'node_modules/'.length);
  return line >= 0 ? `${path}:${line + 1}` : path;
}

interface Frame {
  functionName: string;
  location: string;
  package: string;
}

function frameOf(node: ProfileNode, root: string, map?: SourceMapper): Frame {
  const f = node.callFrame;
  let url = f.url;
  let line = f.lineNumber;
  const mapped = url && line >= 0 && map ? map(url, line, f.columnNumber) : null;
  if (mapped) ({ url, line } = mapped);
  return {
    // no name and no script: one of V8's own JavaScript builtins (an async function's resumption, a promise job)
    functionName: f.functionName || (url ? '(anonymous)' : '(anonymous builtin)'),
    location: location(url, line, root),
    package: packageOf(f.url, f.functionName),
  };
}

const keyOf = (f: Frame): string => `${f.functionName}\u0000${f.location}`;

/**
 * The top functions by self bytes and by total bytes (a function's total counts each stack
 * once, however often it recurses), each with its share of the view.
 */
export function topFunctions(
  profile: SamplingProfile,
  opts: { limit: number; root: string; map?: SourceMapper },
): { bySelf: ExplainFrame[]; byTotal: ExplainFrame[] } {
  const view = totalBytes(profile.head);
  const acc = new Map<string, Frame & { selfBytes: number; totalBytes: number }>();
  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    const frame = frameOf(node, opts.root, opts.map);
    const key = keyOf(frame);
    let total = node.selfSize;
    const inner = onStack.has(key) ? onStack : new Set(onStack).add(key);
    for (const c of node.children) total += walk(c, inner);
    const a = acc.get(key) ?? { ...frame, selfBytes: 0, totalBytes: 0 };
    a.selfBytes += node.selfSize;
    if (!onStack.has(key)) a.totalBytes += total;
    acc.set(key, a);
    return total;
  };
  walk(profile.head, new Set());
  acc.delete(keyOf(frameOf(profile.head, opts.root)));
  const rows = [...acc.values()].map((a) => ({ ...a, selfShare: view > 0 ? a.selfBytes / view : 0, totalShare: view > 0 ? a.totalBytes / view : 0 }));
  return {
    bySelf: rows
      .filter((r) => r.selfBytes > 0)
      .sort((a, b) => b.selfBytes - a.selfBytes)
      .slice(0, opts.limit),
    // frames without a script that allocate little themselves (an async resumption at the bottom of every stack) span everything: not informative
    byTotal: rows
      .filter((r) => r.location !== '' || r.selfShare >= 0.01)
      .sort((a, b) => b.totalBytes - a.totalBytes)
      .slice(0, opts.limit),
  };
}

/**
 * The call tree for the flame graph, children merged by frame and pruned below `minShare` of
 * the view (what is pruned stays in its parent's total: the gap beside its children).
 */
export function flameTree(profile: SamplingProfile, opts: { minShare: number; root: string; map?: SourceMapper }): FlameNode {
  const view = totalBytes(profile.head);
  const min = view * opts.minShare;
  const build = (node: ProfileNode): FlameNode => {
    const f = frameOf(node, opts.root, opts.map);
    const merged = new Map<string, ProfileNode[]>();
    for (const c of node.children) {
      const k = keyOf(frameOf(c, opts.root, opts.map));
      merged.set(k, [...(merged.get(k) ?? []), c]);
    }
    const children: FlameNode[] = [];
    for (const group of merged.values()) {
      // siblings with the same frame (V8 splits them by script id or inlining) become one box
      const one: ProfileNode = group.length === 1 ? group[0]! : { ...group[0]!, selfSize: 0, children: [], id: group[0]!.id };
      if (group.length > 1)
        for (const g of group) {
          one.selfSize += g.selfSize;
          one.children.push(...g.children);
        }
      if (totalBytes(one) >= min && min > 0) children.push(build(one));
    }
    children.sort((a, b) => b.totalBytes - a.totalBytes);
    return {
      functionName: f.functionName,
      location: f.location,
      package: f.package,
      selfBytes: node.selfSize,
      totalBytes: totalBytes(node),
      ...(children.length ? { children } : {}),
    };
  };
  return build(profile.head);
}
