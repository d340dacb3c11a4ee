/**
 * The case recorder shared by the interleaved matrix and the Python peer (bench/run/recorder.ts),
 * driven by the suite's per-run code with a stand-in child runner (no processes); and the Python
 * peer's child as a ChildRunner (bench/peer/python/peer.ts runPythonChild), run with stand-in
 * interpreters (shell scripts that speak the protocol) to pin down how its endings map to the
 * suite's ChildOutcome.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChildFigures, ChildSpec } from '../bench/measure/protocol.js';
import { runPythonChild } from '../bench/peer/python/peer.js';
import { type ChildSettings, describeFailure, Interrupted, prepareInput, runRepeat } from '../bench/run/case.js';
import { ReportOutput } from '../bench/run/core.js';
import { CaseRecorder, DataHeaps, dumpFileReady } from '../bench/run/recorder.js';
import type { ChildOptions, ChildOutcome, ChildRunner } from '../bench/run/spawn.js';
import type { Report } from '../bench/types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'footprint-recorder-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settings: ChildSettings = { nodeBinary: process.execPath, timeoutMs: 10_000, sampleMs: 0 };
const spec: ChildSpec = { codec: 'json', phase: 'dump', n: 100, seed: 42, file: '/dev/null', codecModules: [] };
const start = { dataset: 'tuples', codec: 'json', phase: 'dump' as const, n: 100, reproduce: 'node child.js' };

function figures(dataHeapBytes: number, extra: Partial<ChildFigures> = {}): ChildFigures {
  return { peakRssBytes: 10, baselineRssBytes: 0, peakRssIncrementBytes: 10, wallMs: 1, verified: true, dataHeapBytes, ...extra } as unknown as ChildFigures;
}

function output(): ReportOutput {
  const report = { data: [{ dataset: 'tuples', n: 100, intrinsicBytes: 3600, heapBytes: null }], cases: [] } as unknown as Report;
  return new ReportOutput(report, join(dir, 'r.json'));
}

/** A runner that answers run k (0-based) with `outcomes[k]`. */
function scripted(outcomes: ChildOutcome[]): ChildRunner & { calls: number } {
  const runner = Object.assign(async () => outcomes[runner.calls++]!, { calls: 0 });
  return runner;
}

describe('CaseRecorder', () => {
  it('records runs in order, keeps the first verifier complaint, and on finish adds the case, the data heap median, and saves', async () => {
    const out = output();
    const recorder = new CaseRecorder(start, out, new DataHeaps());
    const runner = scripted([
      { kind: 'result', figures: figures(100), markers: [] },
      { kind: 'result', figures: figures(300, { verified: false, verifyError: 'tuple 3 differs' }), markers: [] },
      { kind: 'result', figures: figures(200), markers: [] },
    ]);
    for (let r = 0; r < 3; r++) expect(recorder.record(await runRepeat(spec, settings, [], r + 1, {}, runner), r + 1)).toBeDefined();
    const result = recorder.finish();
    expect(result.runs.map((x) => x.dataHeapBytes)).toEqual([100, 300, 200]);
    expect(result.error).toBe('run 2: tuple 3 differs');
    expect(result.state).toBe('lossy');
    expect(result.summary.peakRssIncrementBytes?.median).toBe(10);
    expect(out.report.cases).toEqual([result]);
    expect(out.report.data[0]!.heapBytes).toBe(200); // median of the dump runs' data heaps
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report).cases).toHaveLength(1);
  });

  it('a failed run ends the case: no more runs, the failure is its state, error and exit code', async () => {
    const recorder = new CaseRecorder(start, output(), new DataHeaps());
    const runner = scripted([
      { kind: 'result', figures: figures(100), markers: [] },
      { kind: 'oom', error: 'out of memory', exitCode: 134, exitSignal: null, stderrTail: 'heap' },
    ]);
    expect(recorder.record(await runRepeat(spec, settings, [], 1, {}, runner), 1)).toBeDefined();
    expect(recorder.ended).toBe(false);
    expect(recorder.record(await runRepeat(spec, settings, [], 2, {}, runner), 2)).toBeUndefined();
    expect(recorder.ended).toBe(true);
    const result = recorder.finish();
    expect(result.state).toBe('oom');
    expect(result.runs).toHaveLength(1);
    expect(result.exitCode).toBe(134);
    expect(result.error).toMatch(/^out of memory \[exit code 134\]\n--- stderr \(tail\) ---\nheap$/);
  });

  it('a failure says once how its child ended', () => {
    const base = { exitCode: 3, exitSignal: null, stderrTail: 'boom' };
    expect(describeFailure({ kind: 'failed', error: 'python child exited with code 3: boom', ...base })).toBe(
      'python child exited with code 3: boom\n--- stderr (tail) ---\nboom',
    );
    expect(describeFailure({ kind: 'failed', error: 'cannot write the input', ...base })).toBe(
      'cannot write the input [exit code 3]\n--- stderr (tail) ---\nboom',
    );
  });

  it('an input that could not be written fails the case before its first run; an interrupted run throws', async () => {
    const recorder = new CaseRecorder({ ...start, phase: 'load' }, output(), new DataHeaps());
    recorder.failBefore(
      await prepareInput(spec, settings, [], scripted([{ kind: 'failed', error: 'disk full', exitCode: 1, exitSignal: null, stderrTail: '' }])),
    );
    expect(recorder.ended).toBe(true);
    const result = recorder.finish();
    expect(result.state).toBe('failed');
    expect(result.error).toMatch(/^could not write the input file: disk full/);
    const again = new CaseRecorder(start, output(), new DataHeaps());
    const interrupted = scripted([{ kind: 'interrupted', error: 'run interrupted', exitCode: null, exitSignal: 'SIGKILL', stderrTail: '' }]);
    expect(() => again.record({ outcome: { kind: 'interrupted', error: '', exitCode: null, exitSignal: null, stderrTail: '' } }, 1)).toThrow(Interrupted);
    await expect(runRepeat(spec, settings, [], 1, {}, interrupted).then((got) => again.record(got, 1))).rejects.toThrow(Interrupted);
  });
});

describe('dumpFileReady', () => {
  it("a dump whose every run verified leaves the load's input; one unverified or no run does not, nor does a load", () => {
    const runs = (...verified: boolean[]) => verified.map((v) => ({ verified: v }));
    const c = (phase: 'dump' | 'load', verified: boolean[]) => ({ ...start, phase, state: 'ok', runs: runs(...verified), summary: {} }) as never;
    expect(dumpFileReady(c('dump', [true, true]))).toBe(true);
    expect(dumpFileReady(c('dump', [true, false]))).toBe(false);
    expect(dumpFileReady(c('dump', []))).toBe(false);
    expect(dumpFileReady(c('load', [true]))).toBe(false);
  });
});

describe('the Python peer child as a ChildRunner', () => {
  /** A stand-in python3: a shell script that prints `stdout` lines and `stderr`, then exits with `code`. */
  function fakePython(stdout: string[], stderr: string, code: number): string {
    const bin = join(dir, `python-${Math.random().toString(36).slice(2)}`);
    const lines = stdout.map((l) => `printf '%s\\n' '${l}'`).join('\n');
    writeFileSync(bin, `#!/bin/sh\n${lines}\nprintf '%s\\n' '${stderr}' >&2\nexit ${code}\n`);
    chmodSync(bin, 0o755);
    return bin;
  }
  const opts = (binary: string): ChildOptions => ({ nodeBinary: binary, flags: ['--max-old-space-size=4096'], timeoutMs: 10_000 });
  const pySpec: ChildSpec = { codec: 'pickle', phase: 'prepare', n: 10, seed: 42, file: join(tmpdir(), 'x.pickle'), codecModules: [] };

  it("a prepare child's `verify` confirmation is the suite's `prepared`; a result carries its markers and no spawn times (no run.timing)", async () => {
    const prepared = await runPythonChild(pySpec, opts(fakePython(['{"type": "verify", "verified": true}'], '', 0)));
    expect(prepared.kind).toBe('prepared');
    const line = JSON.stringify({ type: 'result', figures: figures(0) });
    const marker = JSON.stringify({ type: 'marker', label: 'phase-start', monoMs: 1 });
    const got = await runRepeat({ ...pySpec, phase: 'dump' }, { ...settings, nodeBinary: fakePython([marker, line], '', 0) }, [], 1, {}, runPythonChild);
    expect(got.outcome.kind).toBe('result');
    expect(got.run?.timing).toBeUndefined();
    expect(got.run?.peakRssIncrementBytes).toBe(10);
  });

  it('a child that fails keeps its exit code and stderr tail; a MemoryError is out of memory', async () => {
    const failed = await runPythonChild(pySpec, opts(fakePython([], 'boom: no such thing', 3)));
    expect(failed).toMatchObject({
      kind: 'failed',
      error: 'python child exited with code 3: boom: no such thing',
      exitCode: 3,
      stderrTail: 'boom: no such thing',
    });
    const oom = await runPythonChild(pySpec, opts(fakePython(['{"type": "error", "error": "MemoryError: "}'], 'MemoryError', 1)));
    expect(oom).toMatchObject({ kind: 'oom', error: 'out of memory: MemoryError: ', exitCode: 1 });
  });
});
