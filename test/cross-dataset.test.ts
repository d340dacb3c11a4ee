import { describe, expect, it } from 'vitest';
import { renderHtml } from '../bench/html/page.js';
import { crossDataset, kendallTauB, movePlaces, renderCrossDatasetMarkdown } from '../bench/report/cross-dataset.js';
import { type SyntheticCase, syntheticReport } from './helpers/synthetic.js';

const MiB = 1024 * 1024;
const CODECS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

/** Dump and load of every codec on two datasets; on `logs` the order of the dumps is reversed. */
function cases(): SyntheticCase[] {
  return ['tuples', 'logs'].flatMap((dataset) =>
    CODECS.flatMap((codec, i): SyntheticCase[] => {
      const dumpRank = dataset === 'tuples' ? i : CODECS.length - 1 - i;
      return [
        { dataset, codec, phase: 'dump', base: { peakRssIncrementBytes: (10 + 10 * dumpRank) * MiB } },
        {
          dataset,
          codec,
          phase: 'load',
          base: { peakRssIncrementBytes: (100 + 10 * i) * MiB },
          ...(dataset === 'logs' && codec === 'g' ? { state: 'n/a' as const } : {}),
        },
      ];
    }),
  );
}

describe('the cross-dataset table', () => {
  it("Kendall's τ-b: 1 for the same order, -1 reversed, ties corrected, null for fewer than 3", () => {
    expect(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // scipy.stats.kendalltau([1, 2, 3, 4, 5], [1, 3, 2, 4, 4]) = 0.7378647873726218 (τ-b)
    expect(kendallTauB([1, 2, 3, 4, 5], [1, 3, 2, 4, 4])).toBeCloseTo(0.7378647873726218, 12);
    expect(kendallTauB([1, 2], [1, 2])).toBeNull();
  });

  it('ranks each column, shows multiples of the data memory, states where no figure, τ and the moves', () => {
    const report = syntheticReport({ repeats: 3, memoryNoise: 0, cases: cases() });
    const t = crossDataset(report)!;
    expect(t.datasets).toEqual(['tuples', 'logs']);
    const a = t.rows.find((r) => r.codec === 'a')!;
    expect(a.cells['dump:tuples']).toMatchObject({ state: 'ok', rank: 1 });
    expect(a.cells['dump:logs']).toMatchObject({ state: 'ok', rank: 7 });
    // the synthetic data's heap is 160 bytes a record at N = 1000: 10 MiB over 160,000 bytes
    expect(a.cells['dump:tuples']!.x).toBeCloseTo((10 * MiB) / 160_000, 6);
    expect(t.rows.find((r) => r.codec === 'g')!.cells['load:logs']).toEqual({ state: 'n/a', x: null, rank: null, apart: false });
    const dumpTau = t.agreement.find((x) => x.phase === 'dump')!;
    expect(dumpTau).toMatchObject({ dataset: 'logs', tau: -1, formats: 7 });
    expect(t.agreement.find((x) => x.phase === 'load')).toMatchObject({ tau: 1, formats: 6 });
    expect(t.moves.map((m) => `${m.codec} ${m.phase}`)).toEqual(['a dump', 'g dump']); // 1 -> 7 and 7 -> 1; b and f move 4;
    const md = renderCrossDatasetMarkdown(t);
    expect(md).toContain('## Does the ranking hold for your shape?');
    expect(md).toContain('| format | dump: tuples | dump: logs | load: tuples | load: logs |\n|---|--:|--:|--:|--:|');
    expect(md).toMatch(/\| `g` \| .* \| n\/a \|/);
    expect(md).toContain('- **dump**: Kendall’s τ of each dataset’s ranking against `tuples`’s (1 = the same order, 0 = unrelated): `logs` -1.00 (7 formats).');
    expect(md).toContain('- dump: the formats whose rank moves by 5 places or more (a third of the formats ranked, at least 5):');
    expect(md).toMatch(/\n {2}- `a`: #1 on tuples \(\d+\.?\d*×\), #7 on logs/);
    expect(md).toContain('- No format’s load rank moves by 5 places or more (a third of the formats ranked, at least 5) between datasets.');
  });

  it('names a move only past a third of the formats ranked, and at least 5 places', () => {
    expect([3, 7, 15, 16, 20, 22].map(movePlaces)).toEqual([5, 5, 5, 6, 7, 8]);
    // 20 formats on two datasets, two of them trading places 1 and 7 (6 places: under a third of 20)
    const peaks = Array.from({ length: 20 }, (_, i) => 10 + 10 * i);
    const swapped = [...peaks];
    [swapped[0], swapped[6]] = [swapped[6]!, swapped[0]!];
    const many = ['tuples', 'logs'].flatMap((dataset) =>
      peaks.map(
        (_, i): SyntheticCase => ({
          dataset,
          codec: `c${String(i).padStart(2, '0')}`,
          phase: 'dump',
          base: { peakRssIncrementBytes: (dataset === 'tuples' ? peaks : swapped)[i]! * MiB },
        }),
      ),
    );
    const t = crossDataset(syntheticReport({ repeats: 3, memoryNoise: 0, cases: many }))!;
    expect(t.movePlaces).toEqual({ dump: 7 });
    expect(t.moves).toEqual([]);
  });

  it('a rank is one more than the formats at least the floor (4 MiB) cheaper, in the table and in τ', () => {
    const peaks: Record<string, number> = { a: 10, b: 11, c: 13.9, d: 14, e: 15 };
    const tied = ['tuples', 'logs'].flatMap((dataset) =>
      Object.entries(peaks).map(([codec, mib]): SyntheticCase => ({ dataset, codec, phase: 'dump', base: { peakRssIncrementBytes: mib * MiB } })),
    );
    const t = crossDataset(syntheticReport({ repeats: 3, memoryNoise: 0, cases: tied }))!;
    // d (14) is 4 MiB or more above a (10) only: rank 2; e (15) above a and b (11): rank 3
    expect(t.rows.map((r) => `${r.codec} #${r.cells['dump:tuples']!.rank}`)).toEqual(['a #1', 'b #1', 'c #1', 'd #2', 'e #3']);
    expect(renderCrossDatasetMarkdown(t)).toContain('a format’s rank is one more than the number of formats at least 4 MiB cheaper');
    expect(crossDataset(syntheticReport({ repeats: 3, memoryNoise: 0, cases: tied }), 0.5 * MiB)!.rows.map((r) => r.cells['dump:logs']!.rank)).toEqual([
      1, 2, 3, 3, 5,
    ]);
    // ties are not transitive: 4.9 ties 1.0 and 5.1, 5.1 does not tie 1.0; 4.9 and 5.1 are one place apart, not two
    const chain = Object.entries({ x: 1, y: 4.9, z: 5.1 }).flatMap(([codec, mib]) =>
      ['tuples', 'logs'].map((dataset): SyntheticCase => ({ dataset, codec, phase: 'dump', base: { peakRssIncrementBytes: mib * MiB } })),
    );
    expect(crossDataset(syntheticReport({ repeats: 3, memoryNoise: 0, cases: chain }))!.rows.map((r) => r.cells['dump:tuples']!.rank)).toEqual([1, 1, 2]);
    // every rank tied: τ cannot be computed, and says why
    const flat = ['a', 'b', 'c'].flatMap((codec) =>
      ['tuples', 'logs'].map((dataset): SyntheticCase => ({ dataset, codec, phase: 'dump', base: { peakRssIncrementBytes: 10 * MiB } })),
    );
    expect(renderCrossDatasetMarkdown(crossDataset(syntheticReport({ repeats: 3, memoryNoise: 0, cases: flat }))!)).toContain(
      '`logs` n/a: the ranks all tie (3 formats)',
    );
  });

  it('is absent for a report of one dataset', () => {
    expect(crossDataset(syntheticReport({ cases: [{ codec: 'a', phase: 'dump' }] }))).toBeNull();
  });

  it('the HTML of several datasets: the table first, no id twice, every link inside the page lands', async () => {
    const html = await renderHtml(syntheticReport({ repeats: 3, memoryNoise: 0, cases: cases() }));
    expect(html.indexOf('<section id="cross-dataset">')).toBeLessThan(html.indexOf('<section id="dataset-tuples">'));
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !ids.includes(t))).toEqual([]);
  });
});
