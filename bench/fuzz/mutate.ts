/**
 * Seeded, reproducible mutations of a valid file: the bad inputs a codec's
 * `load` must survive. Mutation i depends only on (seed, i), so one failing
 * input can be re-made from its index whatever the count.
 */
import { createRng, type Rng } from '../data/rng.js';

export type MutationKind = 'empty' | 'other-format' | 'truncate' | 'random-bytes' | 'flip-bit' | 'set-byte' | 'insert-byte' | 'delete-byte' | 'multi-byte';

export interface Mutation {
  index: number;
  kind: MutationKind;
  /** What was done, e.g. `truncate to 57 of 212 bytes`. */
  detail: string;
  bytes: Uint8Array;
}

/** Weighted choice of the random kinds (single-byte corruptions and truncation most often: they stay close to valid). */
const RANDOM_KINDS: ReadonlyArray<[MutationKind, number]> = [
  ['truncate', 3],
  ['random-bytes', 1],
  ['flip-bit', 3],
  ['set-byte', 3],
  ['insert-byte', 2],
  ['delete-byte', 2],
  ['multi-byte', 2],
];
const WEIGHT_TOTAL = RANDOM_KINDS.reduce((s, [, w]) => s + w, 0);

const below = (rng: Rng, n: number): number => rng() % Math.max(1, n);

function pickKind(rng: Rng): MutationKind {
  let r = below(rng, WEIGHT_TOTAL);
  for (const [kind, w] of RANDOM_KINDS) {
    if (r < w) return kind;
    r -= w;
  }
  return 'truncate';
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng() & 0xff;
  return out;
}

function splice(src: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(src.length - remove + insert.length);
  out.set(src.subarray(0, at), 0);
  out.set(insert, at);
  out.set(src.subarray(at + remove), at + insert.length);
  return out;
}

/** One random mutation of `valid`, drawn from `rng`. */
function randomMutation(valid: Uint8Array, rng: Rng): Omit<Mutation, 'index'> {
  const len = valid.length;
  const kind = pickKind(rng);
  const pos = below(rng, len);
  switch (kind) {
    case 'truncate': {
      const to = below(rng, len);
      return { kind, detail: `truncate to ${to} of ${len} bytes`, bytes: valid.slice(0, to) };
    }
    case 'random-bytes': {
      const n = 1 + below(rng, 2 * len);
      return { kind, detail: `${n} random bytes`, bytes: randomBytes(rng, n) };
    }
    case 'flip-bit': {
      const bit = below(rng, 8);
      const bytes = valid.slice();
      bytes[pos] = bytes[pos]! ^ (1 << bit);
      return { kind, detail: `flip bit ${bit} of byte ${pos}`, bytes };
    }
    case 'set-byte': {
      const v = rng() & 0xff;
      const bytes = valid.slice();
      bytes[pos] = v;
      return { kind, detail: `set byte ${pos} to 0x${v.toString(16)}`, bytes };
    }
    case 'insert-byte': {
      const v = rng() & 0xff;
      const at = below(rng, len + 1);
      return { kind, detail: `insert 0x${v.toString(16)} at ${at}`, bytes: splice(valid, at, 0, Uint8Array.of(v)) };
    }
    case 'delete-byte':
      return { kind, detail: `delete byte ${pos}`, bytes: splice(valid, pos, 1) };
    case 'multi-byte': {
      const k = 2 + below(rng, 7);
      const bytes = valid.slice();
      const where: number[] = [];
      for (let j = 0; j < k; j++) {
        const p = below(rng, len);
        bytes[p] = rng() & 0xff;
        where.push(p);
      }
      return { kind, detail: `set ${k} random bytes at ${where.join(',')}`, bytes };
    }
    default:
      throw new Error(`unreachable mutation kind ${kind}`);
  }
}

/**
 * `count` mutations of `valid`: first the empty file, then each other format's
 * valid file, then random ones. `others` are (name, bytes) of the other codecs' files.
 */
export function makeMutations(validIn: Uint8Array, others: ReadonlyArray<{ name: string; bytes: Uint8Array }>, seed: number, count: number): Mutation[] {
  // a plain Uint8Array copy: Buffer#slice returns a view, and mutations must never write into the original
  const valid = new Uint8Array(validIn);
  const out: Mutation[] = [];
  for (let index = 0; index < count; index++) {
    if (index === 0) out.push({ index, kind: 'empty', detail: 'empty file', bytes: new Uint8Array(0) });
    else if (index <= others.length) {
      const o = others[index - 1]!;
      out.push({ index, kind: 'other-format', detail: `the ${o.name} file of the same data`, bytes: o.bytes });
    } else out.push({ index, ...randomMutation(valid, createRng(seed * 1_000_003 + index)) });
  }
  return out;
}
