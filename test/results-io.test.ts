import { describe, expect, it } from 'vitest';
import { jsonText } from '../bench/results/io.js';
import { syntheticReport } from './helpers/synthetic.js';

describe('results JSON text', () => {
  const value = {
    series: { tMs: [9.782364998012781, 18.25, -1e-7, 3], rssBytes: [1, 2] },
    empty: [],
    mixed: [1, 'a', { b: [2] }],
    nested: [[1, 2], [3]],
    text: 'a\n[\n1,\n2\n]',
  };

  it('reads back as the same value', () => {
    expect(JSON.parse(jsonText(value))).toEqual(value);
  });

  it('puts arrays of numbers on one line and leaves everything else indented', () => {
    const text = jsonText(value);
    expect(text).toContain('"tMs": [9.782364998012781,18.25,-1e-7,3]');
    expect(text).toContain('"rssBytes": [1,2]');
    expect(text).toContain('"b": [2]');
    expect(text).toContain('"mixed": [\n    1,\n    "a",');
    expect(text).toContain('"text": "a\\n[\\n1,\\n2\\n]"');
  });

  it('writes what a regular expression over the indented text wrote (the way it was done before), and leaves NaN and odd strings alone', () => {
    const NUMBER_ARRAY = /\[\n(?:[ ]*-?\d[\d.eE+-]*,\n)*[ ]*-?\d[\d.eE+-]*\n[ ]*\]/g;
    const before = (v: unknown): string => JSON.stringify(v, null, 2).replace(NUMBER_ARRAY, (a) => `[${a.slice(1, -1).replace(/\s+/g, '')}]`);
    const report = syntheticReport({
      n: [1000, 1_000_000],
      cases: [
        { codec: 'json', phase: 'dump' },
        { codec: 'json', phase: 'load' },
      ],
    });
    report.cases[0]!.runs[0]!.series = { intervalMs: 2, rawSamples: 3, tMs: [0.5, 1e21, 2.25], rssBytes: [1, 2, 3], markers: [] };
    const odd = { ...value, nan: [1, Number.NaN, 2], nul: '\u0000x:0', big: report };
    expect(jsonText(odd)).toBe(before(odd));
    expect(jsonText(odd)).toContain('"nan": [\n    1,\n    null,\n    2\n  ]');
  });
});
