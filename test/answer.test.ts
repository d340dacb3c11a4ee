/**
 * The first screen's summary: every figure in it is the one in the results
 * (synthetic results from test/helpers/synthetic.ts; nothing here was measured).
 */
import { describe, expect, it } from 'vitest';
import { answer, QUESTION, renderAnswerMarkdown } from '../bench/report/answer.js';
import { renderBrief } from '../bench/report/brief.js';
import type { Report } from '../bench/types.js';
import { syntheticReport } from './helpers/synthetic.js';

const MiB = 1024 * 1024;

function report(): Report {
  return syntheticReport({
    n: [1_000_000],
    repeats: 3,
    cases: [
      { codec: 'json', phase: 'dump', memoryFactor: 1.1 },
      { codec: 'json', phase: 'load', memoryFactor: 1.7 },
      { codec: 'msgpack', phase: 'dump', memoryFactor: 0.4 },
      { codec: 'msgpack', phase: 'load', memoryFactor: 1.2 },
      { codec: 'columnar', phase: 'dump', memoryFactor: 0.01 },
      { codec: 'columnar', phase: 'load', memoryFactor: 0.2 },
      { codec: 'lossy-one', phase: 'dump', memoryFactor: 0.001 },
      { codec: 'lossy-one', phase: 'load', memoryFactor: 0.001 },
      { codec: 'big', phase: 'load', state: 'oom' },
    ],
  });
}

/** Marks the 'lossy-one' cases lossy, as the orchestrator does: runs kept, state says the data did not come back. */
function withLossy(r: Report): Report {
  for (const c of r.cases) if (c.codec === 'lossy-one') c.state = 'lossy';
  return r;
}

describe('answer', () => {
  it('ranks dumps together and loads apart by what they return, cheapest first, ok cases only', () => {
    const r = withLossy(report());
    const a = answer(r);
    // columnar declares that its load returns columns (taken from the built-in codec: this report records none)
    expect(a.phases.map((p) => `${p.phase}:${p.returns}`)).toEqual(['dump:null', 'load:rows', 'load:columns']);
    expect(a.phases[0]!.ranked.map((x) => x.codec)).toEqual(['columnar', 'msgpack', 'json']);
    expect(a.phases[1]!.ranked.map((x) => x.codec)).toEqual(['msgpack', 'json']);
    expect(a.phases[2]!.ranked.map((x) => x.codec)).toEqual(['columnar']);
    for (const p of a.phases) {
      for (const x of p.ranked) {
        const c = r.cases.find((k) => k.codec === x.codec && k.phase === p.phase)!;
        expect(x.peak).toEqual(c.summary.peakRssIncrementBytes);
        expect(x.xDataHeap).toBe(c.summary.peakRssIncrementBytes!.median / r.data[0]!.heapBytes!);
      }
    }
    expect(a.lossy.map((c) => `${c.codec}/${c.phase}`)).toEqual(['lossy-one/dump', 'lossy-one/load']);
    expect(a.notCompleted.map((c) => `${c.codec}/${c.phase}/${c.state}`)).toEqual(['big/load/oom']);
  });

  it('takes what a load returns from the report when it records it', () => {
    const r = withLossy(report());
    r.codecs.json!.returns = 'lazy';
    const a = answer(r);
    expect(a.phases.map((p) => `${p.phase}:${p.returns}:${p.ranked.map((x) => x.codec).join(',')}`)).toEqual([
      'dump:null:columnar,msgpack,json',
      'load:rows:msgpack',
      'load:columns:columnar',
      'load:lazy:json',
    ]);
  });

  it('words the figures of the results: cheapest and most expensive per phase and kind, × data heap, lossy, not completed', () => {
    const r = withLossy(report());
    const md = renderAnswerMarkdown(r);
    const fig = (codec: string, phase: string) => {
      const s = r.cases.find((c) => c.codec === codec && c.phase === phase)!.summary.peakRssIncrementBytes!;
      const mib = s.median / MiB;
      return `\`${codec}\` at +${mib.toFixed(mib >= 100 ? 0 : 1)} MiB (${(s.median / r.data[0]!.heapBytes!).toFixed(2)}× the data's heap)`;
    };
    expect(md.startsWith(`**${QUESTION}**`)).toBe(true);
    expect(md).toContain(`- **dump** (3 formats): cheapest ${fig('columnar', 'dump')}; most expensive ${fig('json', 'dump')}.`);
    expect(md).toContain(
      `- **load into rows** (JavaScript values, used as they are; 2 formats): cheapest ${fig('msgpack', 'load')}; most expensive ${fig('json', 'load')}.`,
    );
    expect(md).toContain(`- **load into columns** (typed arrays: no value built per record): only ${fig('columnar', 'load')} completed.`);
    expect(md).toContain('Loads are ranked apart by what they return');
    expect(md).toContain('- **Lossy** (the data did not come back exactly; not ranked): `lossy-one` dump, `lossy-one` load.');
    expect(md).toContain('- **Did not complete**: `big` load (oom).');
    expect(md).toContain('median of 3 fresh processes per case');
    expect(md).toContain(`${(160e6 / MiB).toFixed(0)} MiB in V8's heap`);
  });

  it('names formats closer than the floor together, as a tie, with their range', () => {
    const r = syntheticReport({
      n: [1_000_000],
      repeats: 3,
      memoryNoise: 0,
      cases: [
        { codec: 'a', phase: 'dump', base: { peakRssIncrementBytes: 3.1 * MiB } },
        { codec: 'b', phase: 'dump', base: { peakRssIncrementBytes: 3.6 * MiB } },
        { codec: 'c', phase: 'dump', base: { peakRssIncrementBytes: 6.9 * MiB } },
        { codec: 'd', phase: 'dump', base: { peakRssIncrementBytes: 7.2 * MiB } },
        { codec: 'e', phase: 'dump', base: { peakRssIncrementBytes: 300 * MiB } },
        { codec: 'f', phase: 'dump', base: { peakRssIncrementBytes: 303 * MiB } },
      ],
    });
    const p = answer(r).phases[0]!;
    expect(p.cheapest.map((x) => x.codec)).toEqual(['a', 'b', 'c']); // d is 4.1 MiB above a: the floor is compare's memory floor, 4 MiB
    expect(p.mostExpensive.map((x) => x.codec)).toEqual(['e', 'f']);
    const md = renderAnswerMarkdown(r);
    expect(md).toMatch(
      /cheapest `a`, `b` and `c`, within 4 MiB of each other \(\+3\.1 MiB to \+6\.9 MiB, [\d.]+-[\d.]+× the data's heap\); most expensive `f` and `e`, within 4 MiB of each other/,
    );
    // the floor is compare's: another floor, other ties
    expect(answer(r, 0.4 * MiB).phases[0]!.cheapest.map((x) => x.codec)).toEqual(['a']);
  });

  it('says which dump is not run, and why', () => {
    const r = withLossy(report());
    r.codecs.columnar!.dumpBy = 'json';
    expect(answer(r).notRun).toEqual([{ codec: 'columnar', dumpBy: 'json' }]);
    expect(renderAnswerMarkdown(r)).toContain("- **dump** (3 formats; `columnar` writes `json`'s file: no dump of its own)");
  });

  it('changes with the results: a different cheapest format, no lossy one', () => {
    const r = report();
    r.cases.find((c) => c.codec === 'lossy-one' && c.phase === 'dump')!.state = 'ok';
    const md = renderAnswerMarkdown(r);
    // lossy-one is now the cheapest, with columnar closer to it than the floor: a tie
    expect(md).toMatch(/- \*\*dump\*\* \(4 formats\): cheapest `lossy-one` and `columnar`, within 4 MiB of each other \(\+0\.2 MiB to /);
    expect(md).toContain('**Lossy** (the data did not come back exactly; not ranked): none.');
  });

  it('says so when nothing can be ranked', () => {
    const r = syntheticReport({ cases: [{ codec: 'json', phase: 'dump', state: 'failed' }] });
    expect(renderAnswerMarkdown(r)).toContain('No dump or load case finished ok');
  });
});

describe('renderBrief', () => {
  it('is the summary, the image, one table and the environment in one line', () => {
    const r = withLossy(report());
    const md = renderBrief(r, 'run.headline.png');
    expect(md.startsWith(renderAnswerMarkdown(r))).toBe(true);
    expect(md).toContain('![Extra peak RSS per format, dump and load](run.headline.png)');
    expect(md.match(/^\| format \| phase \|/gm)).toHaveLength(1);
    const last = md.trim().split('\n').pop()!;
    expect(last).toMatch(
      /^Node v20\.20\.2 \(V8 [^)]+\) · linux\/x64 · Synthetic CPU @ 3\.0GHz, 2 cores, 24576 MiB RAM · N = 1,000,000, seed 42, 3 fresh processes per case · /,
    );
  });
});
