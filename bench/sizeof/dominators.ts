/**
 * Dominator tree and retained sizes of a heap graph.
 *
 * Written by hand on purpose: the npm candidates did not fit. heap-snapshot-toolkit
 * (Chrome DevTools' own code) computes dominators but folds the sizes of
 * internal backing stores (array elements, hash tables) into their owner's
 * shallow size with no way to turn that off, and the table we print shows them
 * as children; @memlab/core depends on puppeteer (a browser download);
 * v8-heapsnapshot builds one JS object per node and computes no dominators.
 * (The DevTools package is used in the tests as an oracle for retained sizes.)
 *
 * Algorithm: Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm"
 * (2001): iterate over the nodes in reverse postorder, intersecting the
 * dominators of already-processed predecessors, until nothing changes. On heap
 * graphs it converges in a few passes and needs only flat typed arrays.
 *
 * An object's retained size = its shallow size + the shallow sizes of every
 * object it dominates: exactly what the GC would free if it became unreachable.
 */

export interface GraphForDominators {
  nodeCount: number;
  /** Edges of node i are firstEdge[i] .. firstEdge[i+1]-1. */
  firstEdge: Uint32Array;
  edgeTo: Uint32Array;
  selfSize: Float64Array;
}

export const NO_NODE = 0xffffffff;

export interface DominatorTree {
  root: number;
  /** Immediate dominator of each node; NO_NODE for the root and for nodes unreachable from it. */
  idom: Uint32Array;
  /** Retained size of each node (shallow size alone for unreachable nodes). */
  retainedSize: Float64Array;
}

/**
 * @param keepEdge which edges hold their target alive (weak edges do not); default all.
 */
export function computeDominators(g: GraphForDominators, root = 0, keepEdge: (edge: number) => boolean = () => true): DominatorTree {
  const n = g.nodeCount;
  const { firstEdge, edgeTo } = g;

  // 1. Iterative DFS from the root: postorder number of every reachable node.
  const post = new Uint32Array(n).fill(NO_NODE); // node -> postorder number
  const order: number[] = []; // postorder number -> node
  const visited = new Uint8Array(n);
  const stackNode = new Uint32Array(n);
  const stackEdge = new Uint32Array(n);
  let sp = 0;
  stackNode[0] = root;
  stackEdge[0] = firstEdge[root]!;
  visited[root] = 1;
  while (sp >= 0) {
    const v = stackNode[sp]!;
    const e = stackEdge[sp]!;
    if (e < firstEdge[v + 1]!) {
      stackEdge[sp] = e + 1;
      const w = edgeTo[e]!;
      if (!visited[w] && keepEdge(e)) {
        visited[w] = 1;
        sp++;
        stackNode[sp] = w;
        stackEdge[sp] = firstEdge[w]!;
      }
    } else {
      post[v] = order.length;
      order.push(v);
      sp--;
    }
  }
  const reached = order.length;

  // 2. Predecessors of reachable nodes, as a CSR in postorder numbering.
  const predCount = new Uint32Array(reached + 1);
  for (let v = 0; v < n; v++) {
    if (post[v] === NO_NODE) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
      const w = edgeTo[e]!;
      if (post[w] !== NO_NODE && keepEdge(e)) predCount[post[w]! + 1]!++;
    }
  }
  for (let i = 0; i < reached; i++) predCount[i + 1]! += predCount[i]!;
  const predStart = predCount.slice();
  const preds = new Uint32Array(predCount[reached]!);
  const fill = predCount.slice(0, reached);
  for (let v = 0; v < n; v++) {
    const pv = post[v]!;
    if (pv === NO_NODE) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) {
      const pw = post[edgeTo[e]!]!;
      if (pw !== NO_NODE && keepEdge(e)) preds[fill[pw]!++] = pv;
    }
  }

  // 3. Cooper-Harvey-Kennedy, all in postorder numbers (the root has the highest).
  const rootPost = reached - 1;
  const dom = new Uint32Array(reached).fill(NO_NODE);
  dom[rootPost] = rootPost;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a < b) a = dom[a]!;
      while (b < a) b = dom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let b = rootPost - 1; b >= 0; b--) {
      let newIdom = NO_NODE;
      for (let k = predStart[b]!; k < predStart[b + 1]!; k++) {
        const p = preds[k]!;
        if (dom[p] === NO_NODE) continue;
        newIdom = newIdom === NO_NODE ? p : intersect(p, newIdom);
      }
      if (newIdom !== NO_NODE && dom[b] !== newIdom) {
        dom[b] = newIdom;
        changed = true;
      }
    }
  }

  // 4. Back to node ids; retained sizes bottom-up (a dominator's postorder number exceeds its nodes').
  const idom = new Uint32Array(n).fill(NO_NODE);
  const retainedSize = Float64Array.from(g.selfSize);
  for (let b = 0; b < rootPost; b++) {
    const v = order[b]!;
    const d = order[dom[b]!]!;
    idom[v] = d;
    retainedSize[d]! += retainedSize[v]!;
  }
  return { root, idom, retainedSize };
}

/** True if `a` dominates `b` (every path from the root to `b` passes through `a`); a node dominates itself. */
export function dominates(t: DominatorTree, a: number, b: number): boolean {
  for (let v = b; v !== NO_NODE; v = t.idom[v]!) if (v === a) return true;
  return false;
}
