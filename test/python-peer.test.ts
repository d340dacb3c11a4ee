/**
 * The Python peer: its ported generator and checksum against the committed
 * golden fixture and the JavaScript checksum, and the real `footprint run
 * --peer python` at small N. They need python3 (npm test's pretest installs it, scripts/ensure-test-tools.mjs):
 * without it they fail, never skip, since they are the only guard on the generator's Python port.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumTuples } from '../bench/data/builtin.js';
import { findPython, PEER_SCRIPT } from '../bench/peer/python/peer.js';
import { checkOriginalFinding } from '../bench/report/python-peer.js';
import { validateReport } from '../bench/results/validate.js';
import type { Report, Tuple } from '../bench/types.js';

const run = promisify(execFile);
const CLI = 'dist/bench/cli/main.js';
const dir = mkdtempSync(join(tmpdir(), 'footprint-pypeer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden-seed42-n10000.json', import.meta.url), 'utf8')) as {
  seed: number;
  n: number;
  checksum: string;
  first: [number, string, string][];
  last: [number, string, string];
};

const found = await findPython();

/** Fails the test at once, saying why, when python3 is not there (never a skip). */
function needPython(): void {
  expect(found.ok, found.ok ? '' : `python3 is needed: ${found.reason}; run sudo bash .ci/install-test-tools.sh`).toBe(true);
}

async function footprint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('Python peer: same data as the JavaScript generator', () => {
  it('generates the golden fixture exactly (seed 42, N 10,000: checksum, first and last tuples)', () => {
    needPython();
    const out = execFileSync('python3', [PEER_SCRIPT, '--self-test', String(golden.n), String(golden.seed)], { encoding: 'utf8' });
    const got = JSON.parse(out.trim()) as { checksum: string; first: [number, string, string][]; last: [number, string, string] };
    expect(got.checksum).toBe(golden.checksum);
    expect(got.first).toEqual(golden.first);
    expect(got.last).toEqual(golden.last);
  });

  it('checksums edge values exactly as the data model hasher does (-0, subnormal, 2**64 - 1, out of range, non-BMP)', () => {
    needPython();
    const rows: Tuple[] = [
      [-0, 'ABC', 0n],
      [5e-324, '', 2n ** 64n - 1n],
      [0.1, '\u{1F600}x', 2n ** 64n], // out of range: must not collide with its wrap
      [1.5, '@'.repeat(20), 12345678901234567890n],
      [2.5, 'neg', -(2n ** 70n) - 5n], // negative and wider than 64 bits: sign and whole magnitude
    ];
    const py = `import sys; sys.path.insert(0, ${JSON.stringify(join(PEER_SCRIPT, '..'))}); import footprint_peer as p
print(p.checksum_tuples([(-0.0, 'ABC', 0), (5e-324, '', 2**64 - 1), (0.1, '\\U0001F600x', 2**64), (1.5, '@' * 20, 12345678901234567890), (2.5, 'neg', -(2**70) - 5)]))`;
    const out = execFileSync('python3', ['-c', py], { encoding: 'utf8' }).trim();
    expect(out).toBe(checksumTuples(rows));
    expect(out).not.toBe(checksumTuples([rows[0]!, [5e-324, '', 2n ** 64n - 1n], [0.1, '\u{1F600}x', 0n], rows[3]!, rows[4]!]));
  });
});

describe('footprint run --peer python (end to end)', () => {
  it('measures pickle, flat and json dump and load in fresh python3 processes, verified, in the report format', async () => {
    needPython();
    const out = join(dir, 'peer', 'python.json');
    const r = await footprint(['run', '--peer', 'python', '--n', '400', '--repeats', '2', '--sample-ms', '2', '--out', out]);
    expect(r.stderr).toMatch(/\[6\/6\] python json load n=400/);
    expect(r.code).toBe(0);
    const report = validateReport(JSON.parse(readFileSync(out, 'utf8')), out) as Report;
    expect(report.peer).toMatchObject({ language: 'python' });
    expect(report.environment.runtime?.name).toBe('python');
    expect(report.cases.map((c) => `${c.codec} ${c.phase}`)).toEqual(['pickle dump', 'pickle load', 'flat dump', 'flat load', 'json dump', 'json load']);
    for (const c of report.cases) {
      expect(c.state).toBe('ok');
      expect(c.runs).toHaveLength(2);
      for (const x of c.runs) {
        expect(x.verified).toBe(true);
        expect(x.peakRssSource).toBe('vmhwm-reset');
        expect(x.peakRssBytes).toBeGreaterThanOrEqual(x.baselineRssBytes);
        expect(x.fileBytes).toBeGreaterThan(0);
        expect(x.series?.markers.map((m) => m.label)).toEqual(['baseline', 'phase-start', 'phase-end', 'verify-start', 'verify-end']);
      }
      if (c.phase === 'dump') expect(c.runs.every((x) => (x.dataRssBytes ?? 0) > 0)).toBe(true);
    }
    expect(report.peer?.uint64.pickle).toMatch(/LONG1/);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/^# Python peer group \(CPython 3\./);
    expect(md).toMatch(/## The original finding/);
    expect(md).toMatch(/\| python 3\.\d+\.\d+ \(CPython\) \| status \|/);
  });

  it('is reported as skipped, with the reason and exit code 1, when the interpreter is missing', async () => {
    const r = await footprint(['run', '--peer', 'python', '--n', '100', '--python', join(dir, 'no-such-python3'), '--out', join(dir, 'skipped.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/python peer: SKIPPED: .*no-such-python3: no such file/);
    // a command that runs but is not Python 3 is named as such, not as one that "does not run"
    const node = await footprint(['run', '--peer', 'python', '--n', '100', '--python', process.execPath, '--out', join(dir, 'node.json')]);
    expect(node.code).toBe(1);
    expect(node.stderr).toMatch(/python peer: SKIPPED: .* is not a working Python 3: /);
  });

  it('refuses flags it does not take, with one line', async () => {
    const r = await footprint(['run', '--peer', 'python', '--codecs', 'msgpack']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'msgpack' is not a Python peer format; formats: pickle, flat, json/);
  });
});

describe('the original finding', () => {
  const report = (pickle: number, flat: number, data: number): Report =>
    ({
      config: { n: [1000] },
      cases: [
        {
          codec: 'pickle',
          phase: 'dump',
          n: 1000,
          state: 'ok',
          runs: [{ dataRssBytes: data }],
          summary: { peakRssIncrementBytes: { median: pickle, min: pickle, max: pickle } },
        },
        {
          codec: 'flat',
          phase: 'dump',
          n: 1000,
          state: 'ok',
          runs: [{ dataRssBytes: data }],
          summary: { peakRssIncrementBytes: { median: flat, min: flat, max: flat } },
        },
      ],
    }) as unknown as Report;

  it('is reproduced when pickle.dump needs a good part of the data and the flat dump almost nothing', () => {
    expect(checkOriginalFinding(report(100, 1, 200), 1000)?.reproduced).toBe(true);
    expect(checkOriginalFinding(report(10, 1, 200), 1000)?.reproduced).toBe(false);
    expect(checkOriginalFinding(report(100, 50, 200), 1000)?.reproduced).toBe(false);
    expect(checkOriginalFinding(report(100, 1, 200), 5)).toBeNull();
  });
});
