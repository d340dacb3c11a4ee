/**
 * V8 heap snapshot (`.heapsnapshot` JSON) parsed once into typed arrays.
 *
 * The format is self-describing: `snapshot.meta` names the node and edge fields
 * and the type enums, so field positions are looked up, never assumed. The big
 * `nodes` and `edges` arrays (hundreds of thousands of integers) are scanned
 * straight from the text into typed arrays sized from `node_count` /
 * `edge_count`, so no intermediate JS array of numbers is built; only the small
 * `meta` header and the `strings` table go through `JSON.parse`.
 */
import { readFileSync } from 'node:fs';

export interface HeapGraph {
  nodeCount: number;
  edgeCount: number;
  /** Type names by enum value, from meta (e.g. 'hidden', 'string', 'number'). */
  nodeTypes: readonly string[];
  edgeTypes: readonly string[];
  /** Per node (ordinal): type enum, index into `strings` of its name, V8's shallow size. */
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  selfSize: Float64Array;
  /** Edges of node i are firstEdge[i] .. firstEdge[i+1]-1 (edges are stored grouped by source node). */
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  /** A `strings` index for named edges (property, internal, ...), the number itself for element/hidden edges. */
  edgeNameOrIndex: Uint32Array;
  /** Target node ordinal (not the raw node-array offset). */
  edgeTo: Uint32Array;
  strings: readonly string[];
}

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
}

export class SnapshotFormatError extends Error {
  override name = 'SnapshotFormatError';
}

/** Scans the unsigned integers of `"key":[...]` row by row; field `pick[k]` of each row goes to `sinks[k]`. */
function scanUintArray(
  text: string,
  key: string,
  rows: number,
  stride: number,
  pick: readonly number[],
  sinks: readonly (Uint32Array | Float64Array | Uint8Array)[],
): void {
  const open = text.indexOf(`"${key}":[`);
  if (open < 0) throw new SnapshotFormatError(`heap snapshot has no "${key}" array`);
  let i = open + key.length + 4;
  let field = 0;
  let row = 0;
  let value = 0;
  let inNumber = false;
  for (; ; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      inNumber = true;
      continue;
    }
    if (inNumber) {
      const slot = pick.indexOf(field);
      if (slot >= 0 && row < rows) sinks[slot]![row] = value;
      field++;
      if (field === stride) {
        field = 0;
        row++;
      }
      value = 0;
      inNumber = false;
    }
    if (c === 93 /* ] */) break;
    if (Number.isNaN(c)) throw new SnapshotFormatError(`heap snapshot "${key}" array is not terminated`);
  }
  if (field !== 0) throw new SnapshotFormatError(`heap snapshot "${key}" array length is not a multiple of ${stride}`);
  if (row !== rows) throw new SnapshotFormatError(`heap snapshot "${key}" has ${row} rows, meta says ${rows}`);
}

export function parseHeapSnapshotText(text: string): HeapGraph {
  const nodesAt = text.indexOf('"nodes":[');
  if (!text.startsWith('{"snapshot":') || nodesAt < 0) throw new SnapshotFormatError('not a V8 heap snapshot (no "snapshot" header)');
  const header = JSON.parse(`${text.slice(0, nodesAt).replace(/,\s*$/, '')}}`) as {
    snapshot: { meta: Meta; node_count: number; edge_count: number };
  };
  const { meta, node_count: nodeCount, edge_count: edgeCount } = header.snapshot;
  const nf = meta.node_fields;
  const ef = meta.edge_fields;
  const need = (fields: string[], name: string): number => {
    const at = fields.indexOf(name);
    if (at < 0) throw new SnapshotFormatError(`heap snapshot meta lacks field '${name}'`);
    return at;
  };

  const nodeType = new Uint8Array(nodeCount);
  const nodeName = new Uint32Array(nodeCount);
  const selfSize = new Float64Array(nodeCount);
  const edgeCountOf = new Uint32Array(nodeCount);
  scanUintArray(
    text,
    'nodes',
    nodeCount,
    nf.length,
    [need(nf, 'type'), need(nf, 'name'), need(nf, 'self_size'), need(nf, 'edge_count')],
    [nodeType, nodeName, selfSize, edgeCountOf],
  );

  const edgeType = new Uint8Array(edgeCount);
  const edgeNameOrIndex = new Uint32Array(edgeCount);
  const edgeTo = new Uint32Array(edgeCount);
  scanUintArray(text, 'edges', edgeCount, ef.length, [need(ef, 'type'), need(ef, 'name_or_index'), need(ef, 'to_node')], [edgeType, edgeNameOrIndex, edgeTo]);

  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) firstEdge[n + 1] = firstEdge[n]! + edgeCountOf[n]!;
  if (firstEdge[nodeCount] !== edgeCount) throw new SnapshotFormatError(`node edge counts sum to ${firstEdge[nodeCount]}, meta says ${edgeCount} edges`);
  // to_node is an offset into the flat nodes array; keep ordinals.
  for (let e = 0; e < edgeCount; e++) {
    const offset = edgeTo[e]!;
    if (offset % nf.length !== 0 || offset / nf.length >= nodeCount) throw new SnapshotFormatError(`edge ${e} points to invalid node offset ${offset}`);
    edgeTo[e] = offset / nf.length;
  }

  const stringsAt = text.indexOf('"strings":[');
  const end = text.lastIndexOf(']');
  if (stringsAt < 0 || end < stringsAt) throw new SnapshotFormatError('heap snapshot has no "strings" table');
  const strings = JSON.parse(text.slice(stringsAt + 10, end + 1)) as string[];

  return {
    nodeCount,
    edgeCount,
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    nodeType,
    nodeName,
    selfSize,
    firstEdge,
    edgeType,
    edgeNameOrIndex,
    edgeTo,
    strings,
  };
}

export function readHeapSnapshot(path: string): HeapGraph {
  return parseHeapSnapshotText(readFileSync(path, 'utf8'));
}

/** Display name of an edge: its string name, or the element/hidden index as a string. */
export function edgeName(g: HeapGraph, e: number): string {
  const t = g.edgeTypes[g.edgeType[e]!];
  const v = g.edgeNameOrIndex[e]!;
  return t === 'element' || t === 'hidden' ? String(v) : (g.strings[v] ?? `#${v}`);
}

export function nodeName(g: HeapGraph, n: number): string {
  return g.strings[g.nodeName[n]!] ?? '';
}

export function nodeTypeName(g: HeapGraph, n: number): string {
  return g.nodeTypes[g.nodeType[n]!] ?? 'unknown';
}
