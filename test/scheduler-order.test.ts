/** The task list's order with more than one worker: codecs staggered so a worker rarely waits (bench/run/scheduler.ts). */
import { describe, expect, it } from 'vitest';
import { staggered } from '../bench/run/scheduler.js';

const stages = (c: string) => [[`${c}.dump`], [`${c}.load`], [`${c}.sizes`]];

describe('staggered', () => {
  it('with lag 1: the next codec first dumps before this one loads, and loads before this one is sized', () => {
    expect(staggered(['a', 'b', 'c'].map(stages), 1)).toEqual(['a.dump', 'b.dump', 'a.load', 'c.dump', 'b.load', 'a.sizes', 'c.load', 'b.sizes', 'c.sizes']);
  });

  it('with lag 0: codec after codec, as one worker takes them', () => {
    expect(staggered(['a', 'b'].map(stages), 0)).toEqual(['a.dump', 'a.load', 'a.sizes', 'b.dump', 'b.load', 'b.sizes']);
  });

  it("keeps each codec's own items in order, empty stages included (a codec without sizes, several runs a stage)", () => {
    const byCodec = [
      [['a.d1', 'a.d2'], ['a.l1', 'a.d3', 'a.l2'], []],
      [['b.d1'], [], ['b.s']],
      [[], ['c.l1'], ['c.s']],
    ];
    const out = staggered(byCodec, 1);
    expect(out).toHaveLength(9);
    for (const [i, codec] of ['a', 'b', 'c'].entries()) {
      const own = out.filter((x) => x.startsWith(`${codec}.`));
      expect(own).toEqual(byCodec[i]!.flat());
    }
  });
});
