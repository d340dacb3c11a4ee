/** What the sizeof child prints on stdout (one JSON line), read by the parent. */
import type { DatasetSource } from '../types.js';

export interface ChildRequest {
  /** Measure the default value set. */
  defaults: boolean;
  /** User expressions, evaluated in the child. */
  exprs: string[];
  /** Folder for the temporary heap snapshot (a run passes its own work folder). @default os.tmpdir() */
  snapshotDir?: string;
  /** Datasets whose first record is measured too (a built-in by name, or a reader's, from its source). */
  datasets?: { name: string; source?: DatasetSource; seed: number }[];
}

/** The label of a dataset's first record among the values. */
export function recordLabel(dataset: string, seed: number): string {
  return `${dataset} record [0] (seed ${seed})`;
}

/** A slot inside a container that holds a small integer: no heap object, so no snapshot edge. */
export interface SmiSlot {
  key: string;
  value: string;
}

export interface ChildValue {
  label: string;
  note?: string;
  source: 'default' | 'expr' | 'dataset';
  /** `typeof` the value. */
  jsType: string;
  /** The value is a small integer (Smi): stored in the slot itself, no heap object. */
  smi: boolean;
  /** Direct children of a container (array element, object property, Map key or value) that are Smis. */
  smiSlots: SmiSlot[];
}

export interface ChildOk {
  ok: true;
  snapshotFile: string;
  node: string;
  v8: string;
  arch: string;
  /** From process.config: V8 built with pointer compression (4-byte tagged slots on 64-bit). null if not stated. */
  pointerCompression: boolean | null;
  /** Bits of a Smi on this build (31 with pointer compression or on 32-bit, else 32). */
  smiBits: number;
  /** The holder array is element 1.. of this; value i is element i + 1 (element 0 keeps the array generic). */
  values: ChildValue[];
}

export interface ChildFailed {
  ok: false;
  /** One line: which expression and what went wrong. */
  error: string;
}

export type ChildOutput = ChildOk | ChildFailed;

/** Constructor name of the object the child hangs the values on; the parent finds it by this name. */
export const ROOT_CLASS = 'FootprintSizeofRoot';
/** Exit code the child uses when a user expression is bad. */
export const CHILD_BAD_EXPR_EXIT = 2;
