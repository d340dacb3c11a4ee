/**
 * The default values `footprint sizeof` measures: the original `show_sizeof`
 * set translated to JavaScript, plus this suite's own tuple.
 *
 * V8 shares constants: a string literal is an internalized string referenced by
 * the compiled code, a number literal may be a boxed constant in the bytecode's
 * constant pool, an all-constant array literal can share a copy-on-write
 * backing store with its boilerplate. A value shared that way is not owned by
 * the holder, so its retained size would say nothing. Where the point is a
 * fresh value (what deserializing data produces), it is built at run time.
 */
import { createRng } from '../data/rng.js';
import { nextTuple } from '../data/datasets/tuples.js';

export interface ValueDef {
  /** How the value reads in source code: the table's first column. */
  label: string;
  /** Why it is built the way it is, when that matters. */
  note?: string;
  make: () => unknown;
}

/** A fresh flat (sequential) string with the same characters as `s`: never internalized, never a cons. */
export function freshString(s: string): string {
  const codes: number[] = [];
  for (let i = 0; i < s.length; i++) codes.push(s.charCodeAt(i));
  return String.fromCharCode(...codes);
}

export const DEFAULT_VALUES: readonly ValueDef[] = [
  { label: 'undefined', make: () => undefined },
  { label: 'null', make: () => null },
  { label: 'true', make: () => true },
  { label: '42', note: 'small integer', make: () => Number('42') },
  { label: '3.14', note: 'float', make: () => Number('3.14') },
  { label: '2**53', make: () => 2 ** Number('53') },
  { label: '2n**63n', make: () => 2n ** BigInt('63') },
  { label: "BigInt('1234567890'.repeat(8))", note: '80 digits', make: () => BigInt('1234567890'.repeat(8)) },
  { label: "''", make: () => freshString('') },
  { label: "'My hovercraft is full of eels'", note: 'flat one-byte string', make: () => freshString('My hovercraft is full of eels') },
  { label: "'私のホバークラフトは鰻でいっぱいです'", note: 'flat two-byte string', make: () => freshString('私のホバークラフトは鰻でいっぱいです') },
  {
    label: "'My hovercraft is full of eels'.slice(3, 23)",
    note: 'sliced string: keeps its parent alive',
    make: () => freshString('My hovercraft is full of eels').slice(3, 23),
  },
  {
    label: "'My hovercraft' + ' is full of eels'",
    note: 'cons string (concatenation, not flattened)',
    make: () => freshString('My hovercraft') + freshString(' is full of eels'),
  },
  { label: '[]', make: () => [] },
  { label: "[4, 'toaster', 230.1]", make: () => [Number('4'), freshString('toaster'), Number('230.1')] },
  { label: '{}', make: () => ({}) },
  { label: '{a: 213, b: 2131}', make: () => ({ a: 213, b: 2131 }) },
  {
    label: "new Map([['a', 213], ['b', 2131]])",
    make: () =>
      new Map([
        ['a', 213],
        ['b', 2131],
      ]),
  },
  { label: 'nextTuple(createRng(42))', note: "one of the suite's tuples [float, string, bigint]", make: () => nextTuple(createRng(42)) },
  {
    label: '{x, s, n} of the same tuple',
    note: 'the same record as an object',
    make: () => {
      const [x, s, n] = nextTuple(createRng(42));
      return { x, s, n };
    },
  },
  { label: 'new Float64Array(1)', make: () => new Float64Array(1) },
  { label: 'Buffer.alloc(20)', make: () => Buffer.alloc(20) },
];

/** Label of the default value the per-tuple model reads its sizes from. */
export const TUPLE_LABEL = 'nextTuple(createRng(42))';
