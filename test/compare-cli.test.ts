/** The real `footprint compare` command (compiled, as users run it): exit codes and one-line errors. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticReport } from './helpers/synthetic.js';

const MAIN = path.resolve('dist/bench/cli/main.js');
let dir: string;

function footprint(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, value: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

const cases = [
  { codec: 'json', phase: 'dump' as const },
  { codec: 'msgpack', phase: 'load' as const },
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'footprint-compare-'));
});

// each test spawns several Node processes; a shared 2-core machine can be slow
describe('footprint compare (CLI)', { timeout: 60_000 }, () => {
  it('compares two reports: table, markdown, json', () => {
    const a = write('a.json', syntheticReport({ node: 'v20.20.2', noiseSeed: 1, cases }));
    const b = write('b.json', syntheticReport({ node: 'v22.23.3', noiseSeed: 2, cases: [{ ...cases[0]!, memoryFactor: 0.7 }, cases[1]!] }));
    const table = footprint('compare', a, b);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/A: node v20\.20\.2\s+B: node v22\.23\.3\s+B vs A/);
    expect(table.stdout).toMatch(/json dump n=1000\s+extra peak RSS.*-3\d%/);
    expect(table.stdout).toMatch(/msgpack load n=1000\s+extra peak RSS.*~/);
    expect(footprint('compare', a, b, '--markdown').stdout).toMatch(/^# Comparison/);
    const json = JSON.parse(footprint('compare', a, b, '--json').stdout) as { pairs: unknown[] };
    expect(json.pairs).toHaveLength(1);
    const strict = footprint('compare', a, b, '--threshold', 'mem=50');
    expect(strict.stdout).toMatch(/json dump n=1000\s+extra peak RSS(\s+\S+ MiB){2}\s+~/);
  });

  const oneLineExit2 = (r: ReturnType<typeof footprint>, pattern: RegExp): void => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(pattern);
  };

  it('schema errors: missing file, not JSON, not a report, unsupported version', () => {
    const ok = write('ok.json', syntheticReport({ cases }));
    oneLineExit2(footprint('compare', ok, path.join(dir, 'missing.json')), /^footprint: .*missing\.json: no such file$/);
    oneLineExit2(footprint('compare', ok, write('text.json', 'hello')), /text\.json: not JSON/);
    oneLineExit2(footprint('compare', ok, write('pkg.json', { name: 'x', version: '1.0.0' })), /pkg\.json: not a results report \(no schemaVersion field\)/);
    const broken = syntheticReport({ cases }) as unknown as { config: Record<string, unknown> };
    delete broken.config.seed;
    oneLineExit2(footprint('compare', ok, write('broken.json', broken)), /broken\.json: not a results report: \/config must have required property 'seed'/);
    oneLineExit2(
      footprint('compare', ok, write('v9.json', { ...syntheticReport({ cases }), schemaVersion: 9 })),
      /v9\.json: unsupported schemaVersion 9; .* reads schemaVersion 1, 2, 3$/,
    );
  });

  it('mismatched data is refused (exit 2) unless --force', () => {
    const a = write('n1.json', syntheticReport({ n: [1000], cases }));
    const b = write('n2.json', syntheticReport({ n: [5000], cases }));
    oneLineExit2(footprint('compare', a, b), /reports measure different data: n differs \(n1\.json: 1000; n2\.json: 5000\); compare anyway with --force/);
    const forced = footprint('compare', a, b, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/not compared: json dump n=1000: only in n1\.json/);
  });

  it('bad flags exit 2 with one line', () => {
    const ok = write('ok2.json', syntheticReport({ cases }));
    oneLineExit2(footprint('compare', ok, ok, '--bogus'), /compare: Unknown option '--bogus'/);
    oneLineExit2(footprint('compare', ok), /at least two results files/);
    oneLineExit2(footprint('compare', ok, ok, '--threshold', 'cpu=3'), /unknown key 'cpu'/);
    oneLineExit2(footprint('compare', ok, ok, '--threshold', 'mem=-1'), /not a non-negative percentage/);
    oneLineExit2(footprint('compare', ok, ok, '--markdown', '--json'), /choose one/);
    expect(footprint('compare', ok, ok, '--html').stdout).toMatch(/^<!DOCTYPE html>/);
    expect(footprint('compare', '--help').stdout).toMatch(/--threshold SPEC/);
  });
});
