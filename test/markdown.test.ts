import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../bench/report/markdown.js';
import { baselineExternalRange } from '../bench/report/summary.js';
import { summarize } from '../bench/results/summary.js';
import { run, syntheticReport } from './fixtures/report.js';

const runs = [run(200), run(204), run(202)];
const report = syntheticReport([
  { dataset: 'tuples', codec: 'json', phase: 'dump', n: 1_000_000, state: 'ok', runs, summary: summarize(runs), reproduce: 'node …' },
  {
    dataset: 'tuples',
    codec: 'json',
    phase: 'load',
    n: 1_000_000,
    state: 'oom',
    error: 'out of memory (heap limit 300 MiB) [signal SIGABRT]\n--- stderr (tail) ---\nFATAL ERROR',
    runs: [],
    summary: {},
    reproduce: 'node …',
  },
]);

describe('markdown report', () => {
  it("says what the children's flags mean, only for the flags the run used", () => {
    const flags = ['--expose-gc', '--single-threaded-gc', '--no-concurrent-recompilation', '--max-old-space-size=16384'];
    const withFlags = renderMarkdown({ ...report, environment: { ...report.environment, nodeFlags: flags } });
    expect(withFlags).toContain(`The children ran \`${flags.join(' ')}\`: garbage collection and optimizing compiles on the main thread`);
    expect(withFlags).toContain('except through I/O: a load that reads its file asynchronously can still vary');
    const gcOnly = renderMarkdown({ ...report, environment: { ...report.environment, nodeFlags: ['--expose-gc', '--single-threaded-gc'] } });
    expect(gcOnly).toContain(': garbage collection on the main thread');
    // the GC alone on the main thread did not make the GCs fall in the same places (docs/measurement.md)
    expect(gcOnly).not.toContain('does not depend on how busy the cores are');
    expect(gcOnly).toContain("optimizing compiles on V8's background thread, so where the GCs fall can still depend on how busy the cores are");
    const jitOnly = renderMarkdown({ ...report, environment: { ...report.environment, nodeFlags: ['--expose-gc', '--no-concurrent-recompilation'] } });
    expect(jitOnly).toContain(": optimizing compiles on the main thread, garbage collection on V8's background threads");
    expect(jitOnly).not.toContain('does not depend on how busy the cores are');
    expect(renderMarkdown(report)).not.toContain('on the main thread'); // the fixture's children ran neither
    // Bun is given the same flags and ignores them: the note must not claim what they do on V8
    const bun = { name: 'bun' as const, version: '1.4.5', engine: 'JavaScriptCore', rows: [] };
    const onBun = renderMarkdown({ ...report, environment: { ...report.environment, nodeFlags: flags, runtime: bun } });
    expect(onBun).not.toContain('on the main thread');
    expect(onBun).toContain(`The children were started with \`${flags.join(' ')}\`, which Bun ignores`);
  });

  it('renders the table, the data sizes and the failed cases (snapshot)', () => {
    expect(renderMarkdown(report)).toMatchSnapshot();
  });

  it('shows the median increment, its spread and the multiples of the data', () => {
    const md = renderMarkdown(report);
    // 202 MiB median; ± half the range: (204-200)/2/202 = 1.0%; 202 MiB / 160 MB heap = 1.32×; / 36 MB = 5.88× (second table)
    expect(md).toMatch(/\| json \| dump \| — \| \+202 MiB ±1\.0% \| 1\.32× \| \+80\.8 MiB \| 63\.6 MiB \| 1\.20 s ±0\.2% \| yes \|/);
    expect(md).toMatch(/\| json \| dump \| 5\.88× \| \+2\.0 MiB \| \+10\.0 MiB \|/);
    expect(md).toMatch(/\| json \| load \| rows \| — \|.*\| oom \|/);
    expect(md).toMatch(/json load\*\* \(N = 1,000,000\): oom — out of memory \(heap limit 300 MiB\)/);
  });

  it('says when a run was interrupted', () => {
    expect(renderMarkdown({ ...report, interrupted: true, finishedAt: null })).toMatch(/\*\*Interrupted\*\*/);
  });

  it('says when peaks are whole-process', () => {
    const r = { ...report, environment: { ...report.environment, peakResetAvailable: false } };
    expect(renderMarkdown(r)).toMatch(/Extra peak RSS\*\*: \*\*whole-process\*\* \(`maxRSS`\)/);
  });
});

describe('baselineExternalRange', () => {
  const MiB = 1024 * 1024;
  const cases = (...bytes: number[]) => [{ ...report.cases[0]!, runs: bytes.map((b) => ({ ...run(200), baselineExternalBytes: b })) }];
  it('states the measured range of the baselines, with the unit once', () => {
    expect(baselineExternalRange(cases(2.1 * MiB, 2.3 * MiB, 2.2 * MiB))).toBe('2.1-2.3 MiB');
    expect(baselineExternalRange(cases(MiB, MiB))).toBe('1.0 MiB');
    expect(baselineExternalRange([])).toBeNull();
  });
});
