/**
 * Public types of `footprint sizeof`. The results report carries one of these
 * as `sizeof?: SizeofReport` (the sizeof table for the Node version that ran).
 * Sizes are bytes as V8's heap snapshot reports them (`self_size`).
 */

export type SizeofKind =
  /** A heap object this value owns (it is dominated by the slot holding it). */
  | 'object'
  /** A heap object shared with something else (an interned string, a V8 root such as ''), not owned by the holder. */
  | 'shared'
  /** undefined, null, true, false: one shared V8 object each; the holder only pays the slot. */
  | 'oddball'
  /** A small integer (Smi): stored inside the slot itself, no heap object at all. */
  | 'smi';

export interface SizeofNode {
  /** The value's source text (top level) or how the parent reaches it (`[1]`, `.x`, `elements`, `table`). */
  label: string;
  kind: SizeofKind;
  /** What V8 calls it: 'heap number', 'string', 'Array', 'system / Oddball', '(object elements)', ... */
  what: string;
  /** V8's snapshot type of the heap object ('number', 'string', 'object', 'hidden', ...); null for a Smi. */
  v8Type: string | null;
  /** The object's own size; null for a Smi (no object). */
  shallowBytes: number | null;
  /** Shallow size plus everything only reachable through it (what GC would free without it); null for a Smi. */
  retainedBytes: number | null;
  /** Small-integer value, for kind 'smi'. */
  smiValue?: string;
  note?: string;
  children: SizeofNode[];
  /** Children left out (depth or count limit). */
  omittedChildren?: number;
}

export interface SizeofEntry extends SizeofNode {
  source: 'default' | 'expr';
  /** `typeof` the value in the child. */
  jsType: string;
}

/** Bytes one suite tuple costs, summed from the measured sizes of the default tuple. */
export interface TupleModel {
  parts: { name: string; bytes: number }[];
  modelBytesPerTuple: number;
  /** The in-heap bytes per tuple measured by generating N tuples in a child (absent if not measured). */
  measured?: TupleHeapMeasurement;
  /** (model - measured) / measured, when measured. */
  differenceRatio?: number;
}

export interface TupleHeapMeasurement {
  n: number;
  seed: number;
  /** Live heap (used_heap_size after full GCs) growth from generating the N tuples and holding them. */
  heapGrowthBytes: number;
  bytesPerTuple: number;
}

export interface SizeofReport {
  schemaVersion: 1;
  node: string;
  v8: string;
  arch: string;
  nodeBinary: string;
  /** From process.config of the measured Node; null when the build does not say. */
  pointerCompression: boolean | null;
  /** Size of one tagged slot (a pointer or a Smi) in an array or object, bytes. */
  slotBytes: number;
  /** How slotBytes was established: measured from two arrays' backing stores in the snapshot, cross-checked with process.config. */
  slotBytesSource: string;
  smiBits: number;
  /** The snapshot analysed; parseMs covers parsing and the dominator tree. */
  snapshot: { nodeCount: number; edgeCount: number; fileBytes: number; parseMs: number };
  values: SizeofEntry[];
  tupleModel?: TupleModel;
}
