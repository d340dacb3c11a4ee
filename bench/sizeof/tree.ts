/**
 * Turns a parsed snapshot plus the child's description of its values into the
 * `show_sizeof` tree: per value its shallow and retained size, and below it
 * the children a reader expects (array elements, object properties, a Map's
 * hash table and entries, a string's parts) plus any internal object the value
 * owns alone (backing stores), so the children account for its retained size.
 */
import { NO_NODE, dominates, type DominatorTree } from './dominators.js';
import { ROOT_CLASS, type ChildOk } from './protocol.js';
import { edgeName, nodeName, nodeTypeName, type HeapGraph } from './snapshot.js';
import type { SizeofEntry, SizeofNode } from '../types.js';

export class SnapshotLayoutError extends Error {
  override name = 'SnapshotLayoutError';
}

const MAX_DEPTH = 3;
const MAX_CHILDREN = 12;
const STRING_PARTS = new Set(['first', 'second', 'parent', 'actual']);

interface Ctx {
  g: HeapGraph;
  t: DominatorTree;
  weak: number;
  element: number;
  property: number;
}

function findRoot(g: HeapGraph): number {
  const objectType = g.nodeTypes.indexOf('object');
  let found = NO_NODE;
  for (let n = 0; n < g.nodeCount; n++) {
    if (g.nodeType[n] === objectType && nodeName(g, n) === ROOT_CLASS) {
      if (found !== NO_NODE) throw new SnapshotLayoutError(`two ${ROOT_CLASS} objects in the snapshot`);
      found = n;
    }
  }
  if (found === NO_NODE) throw new SnapshotLayoutError(`no ${ROOT_CLASS} object in the snapshot`);
  return found;
}

function edgeTarget(ctx: Ctx, from: number, type: number, name: string): number {
  const { g } = ctx;
  for (let e = g.firstEdge[from]!; e < g.firstEdge[from + 1]!; e++) {
    if (g.edgeType[e] === type && edgeName(g, e) === name) return g.edgeTo[e]!;
  }
  return NO_NODE;
}

/** Element index -> target node of an array's element edges. */
function elements(ctx: Ctx, array: number): Map<number, number> {
  const { g } = ctx;
  const out = new Map<number, number>();
  for (let e = g.firstEdge[array]!; e < g.firstEdge[array + 1]!; e++) {
    if (g.edgeType[e] === ctx.element) out.set(g.edgeNameOrIndex[e]!, g.edgeTo[e]!);
  }
  return out;
}

function what(g: HeapGraph, n: number): string {
  const type = nodeTypeName(g, n);
  const name = nodeName(g, n);
  switch (type) {
    case 'number':
      return 'heap number';
    case 'string':
      return `string ${JSON.stringify(name.length > 24 ? `${name.slice(0, 21)}...` : name)}`;
    case 'concatenated string':
    case 'sliced string':
    case 'bigint':
    case 'symbol':
      return type;
    case 'object':
    case 'closure':
    case 'native':
    case 'hidden':
    case 'array':
    case 'object shape':
    case 'code':
      return name.length > 40 ? `${name.slice(0, 37)}...` : name || type;
    default:
      return `${type} ${name}`.trim();
  }
}

function edgeLabel(ctx: Ctx, e: number): string {
  const { g } = ctx;
  const type = g.edgeTypes[g.edgeType[e]!];
  const name = edgeName(g, e);
  if (type === 'element') return `[${name}]`;
  if (type === 'property') return `.${name}`;
  if (type === 'hidden') return nodeTypeName(g, g.edgeTo[e]!) === 'number' ? '(double field)' : `(hidden ${name})`;
  if (type === 'internal' && name === 'map') return 'map (hidden class)';
  if (type === 'context') return `context ${name}`;
  return name;
}

/** Why a child is there, when its label alone does not say. */
function childNote(ctx: Ctx, e: number, to: number, owned: boolean): string | undefined {
  const { g } = ctx;
  const type = g.edgeTypes[g.edgeType[e]!];
  const name = edgeName(g, e);
  if (type === 'internal' && name === 'map' && owned) return 'hidden class (shape): no other live object has this shape, so it is counted here';
  if (type === 'hidden' && nodeTypeName(g, to) === 'number') return 'box of a double field (V8 names no property for it)';
  if (name === 'table') return 'hash table: entries are key/value slots in it';
  return undefined;
}

/**
 * @param owner the node whose retained size this one counts toward: the holder for a value, the value for its insides.
 * @param parent the node this one is listed under.
 */
function heapNode(ctx: Ctx, n: number, label: string, owner: number, parent: number, seen: Set<number>, depth: number, isTable = false): SizeofNode {
  const { g, t } = ctx;
  const isOddball = nodeName(g, n) === 'system / Oddball';
  const owned = dominates(t, owner, n);
  const node: SizeofNode = {
    label,
    kind: isOddball ? 'oddball' : owned ? 'object' : 'shared',
    what: isOddball ? 'oddball' : what(g, n),
    v8Type: nodeTypeName(g, n),
    shallowBytes: g.selfSize[n]!,
    retainedBytes: t.retainedSize[n]!,
    children: [],
  };
  if (isOddball) node.note = 'shared oddball (one per heap), not owned: the holder pays only its slot';
  else if (!owned) node.note = 'shared: also referenced elsewhere, not freed with its holder';
  else if (!dominates(t, parent, n)) node.note = 'also reached by another path inside this value (counted once)';
  // Only an owned object's insides are its cost; shared ones are shown, not opened.
  if (!owned || isOddball) return node;
  seen.add(n);
  const candidates: { e: number; to: number }[] = [];
  const isString = node.v8Type === 'concatenated string' || node.v8Type === 'sliced string';
  for (let e = g.firstEdge[n]!; e < g.firstEdge[n + 1]!; e++) {
    const to = g.edgeTo[e]!;
    const type = g.edgeType[e]!;
    if (type === ctx.weak || to === n || seen.has(to)) continue;
    const name = edgeName(g, e);
    // A Map's or Set's hash table holds the entries in numbered internal slots.
    const content = ((type === ctx.element || type === ctx.property) && name !== '__proto__') || (isTable && name !== 'map');
    const part = isString && STRING_PARTS.has(name);
    if (content || part || t.idom[to] === n) {
      seen.add(to);
      candidates.push({ e, to });
    }
  }
  if (depth >= MAX_DEPTH) {
    if (candidates.length > 0) node.omittedChildren = candidates.length;
    return node;
  }
  for (const { e, to } of candidates.slice(0, MAX_CHILDREN)) {
    const name = edgeName(g, e);
    const label = isTable ? `(slot ${name})` : edgeLabel(ctx, e);
    const child = heapNode(ctx, to, label, depth === 0 ? n : owner, n, seen, depth + 1, name === 'table');
    const note = childNote(ctx, e, to, child.kind === 'object');
    if (note) child.note = child.note ? `${note}; ${child.note}` : note;
    node.children.push(child);
  }
  if (candidates.length > MAX_CHILDREN) node.omittedChildren = candidates.length - MAX_CHILDREN;
  return node;
}

function smiNode(label: string, value: string, slotBytes: number): SizeofNode {
  return {
    label,
    kind: 'smi',
    what: 'Smi',
    v8Type: null,
    shallowBytes: null,
    retainedBytes: null,
    smiValue: value,
    note: `no own heap object (Smi held in the ${slotBytes}-byte slot)`,
    children: [],
  };
}

/** Array elements first, in index order (heap ones and Smis interleaved), then everything else as found. */
function sortChildren(node: SizeofNode): void {
  const index = (c: SizeofNode): number => {
    const m = /^\[(\d+)\]$/.exec(c.label);
    return m ? Number(m[1]) : Infinity;
  };
  node.children = node.children
    .map((c, i) => ({ c, i, k: index(c) }))
    .sort((a, b) => (a.k === b.k ? a.i - b.i : a.k - b.k))
    .map((x) => x.c);
}

export interface Layout {
  entries: SizeofEntry[];
  /** Slot size measured from the calibration arrays' backing stores; null if they could not be read. */
  measuredSlotBytes: number | null;
}

export function buildEntries(g: HeapGraph, t: DominatorTree, child: ChildOk, slotBytes: number): Layout {
  const ctx: Ctx = {
    g,
    t,
    weak: g.edgeTypes.indexOf('weak'),
    element: g.edgeTypes.indexOf('element'),
    property: g.edgeTypes.indexOf('property'),
  };
  const root = findRoot(g);
  const holder = edgeTarget(ctx, root, ctx.property, 'values');
  if (holder === NO_NODE) throw new SnapshotLayoutError(`${ROOT_CLASS} has no 'values' array in the snapshot`);
  const held = elements(ctx, holder);

  const entries = child.values.map((v, i): SizeofEntry => {
    const target = held.get(i + 1);
    const base = { source: v.source, jsType: v.jsType };
    if (target === undefined) {
      if (!v.smi) throw new SnapshotLayoutError(`value ${JSON.stringify(v.label)} has no heap object in the snapshot but is not a Smi`);
      return { ...smiNode(v.label, v.label, slotBytes), ...base };
    }
    const node = heapNode(ctx, target, v.label, holder, holder, new Set([holder]), 0);
    // A Map's Smi keys and values live in its hash table's slots.
    const slotsIn = node.children.find((c) => c.label === 'table') ?? node;
    for (const s of v.smiSlots) slotsIn.children.push(smiNode(s.key, s.value, slotBytes));
    sortChildren(slotsIn);
    if (v.note) node.note = node.note ? `${v.note}; ${node.note}` : v.note;
    return { ...node, ...base };
  });

  // Backing stores of new Array(16) and new Array(32): (header + 16 slots) vs (header + 32 slots).
  let measuredSlotBytes: number | null = null;
  const calibration = edgeTarget(ctx, root, ctx.property, 'calibration');
  if (calibration !== NO_NODE) {
    const arrays = elements(ctx, calibration);
    const store = (k: number): number => {
      const a = arrays.get(k);
      const s = a === undefined ? NO_NODE : edgeTarget(ctx, a, g.edgeTypes.indexOf('internal'), 'elements');
      return s === NO_NODE ? NaN : g.selfSize[s]!;
    };
    const slot = (store(1) - store(0)) / 16;
    if (Number.isInteger(slot) && slot > 0) measuredSlotBytes = slot;
  }
  return { entries, measuredSlotBytes };
}
