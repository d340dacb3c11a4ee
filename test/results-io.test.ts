import { describe, expect, it } from 'vitest';
import { jsonText } from '../bench/results/io.js';

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
});
