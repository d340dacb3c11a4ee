/** Two runs never write one results file: the second refuses while the first lives; a dead run's lock is taken over. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lockOutput, lockPathFor, OutputLockedError } from '../bench/results/lock.js';
import type { Report } from '../bench/types.js';
import { startCli, type CliProcess } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const started: CliProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) process.kill(-c.proc.pid!, 'SIGKILL');
});

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
}

/** Take the lock of `out` in another process and report what happened there. */
function lockInChild(out: string): { status: number | null; stderr: string } {
  const code = `import('${join(process.cwd(), 'dist/bench/results/lock.js')}').then((m) => { try { m.lockOutput(${JSON.stringify(out)}); } catch (e) { console.error(e.name + ': ' + e.message); process.exit(2); } })`;
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
}

describe('lockOutput', () => {
  it('holds the file while this process runs: another process refuses, naming the holder; released, it is free', () => {
    const out = join(dir, 'a.json');
    const lock = lockOutput(out);
    expect(existsSync(lockPathFor(out))).toBe(true);
    const refused = lockInChild(out);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`OutputLockedError: ${out} is being written by another run (pid ${process.pid} on ${hostname()}`);
    lock.release();
    expect(existsSync(lockPathFor(out))).toBe(false);
    expect(lockInChild(out).status).toBe(0);
    expect(existsSync(lockPathFor(out)), 'released when its process exits').toBe(false);
  });

  it('takes over the lock of a run that is gone (crashed or killed), at once', () => {
    const out = join(dir, 'b.json');
    const pid = deadPid();
    writeFileSync(lockPathFor(out), `${JSON.stringify({ pid, procStart: '1', host: hostname(), startedAt: '2026-01-01T00:00:00Z' })}\n`);
    const lock = lockOutput(out);
    expect(JSON.parse(readFileSync(lockPathFor(out), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('does not mistake a recycled pid for the holder (same pid, another start time)', () => {
    const out = join(dir, 'c.json');
    writeFileSync(lockPathFor(out), `${JSON.stringify({ pid: process.ppid, procStart: 'not-its-start', host: hostname(), startedAt: 'x' })}\n`);
    const lock = lockOutput(out);
    lock.release();
  });

  it('counts a live holder as live even when this process could read its pid only (no start time recorded)', () => {
    const out = join(dir, 'd.json');
    writeFileSync(lockPathFor(out), `${JSON.stringify({ pid: process.ppid, procStart: null, host: hostname(), startedAt: 'x' })}\n`);
    expect(() => lockOutput(out)).toThrow(OutputLockedError);
    rmSync(lockPathFor(out));
  });

  it('creates the results folder when it does not exist yet (a --out in a new folder)', () => {
    const out = join(dir, 'new', 'deeper', 'e.json');
    const lock = lockOutput(out);
    expect(existsSync(lockPathFor(out))).toBe(true);
    lock.release();
  });
});

describe('footprint run: two runs with one --out', () => {
  const args = (out: string) => [
    'run',
    '--n',
    '2000',
    '--repeats',
    '2',
    '--codecs',
    'json',
    '--phases',
    'dump,load',
    '--memory-only',
    '--no-sizes',
    '--out',
    out,
  ];

  it('the second refuses with one line and exit 2 while the first runs; the file keeps the first run whole', async () => {
    const out = join(dir, 'same', 'run.json');
    const first = startCli(args(out));
    started.push(first);
    await first.waitFor(/cases × 2 repeats/);
    const second = spawnSync(process.execPath, ['dist/bench/cli/main.js', ...args(out)], { encoding: 'utf8' });
    expect(second.status).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^footprint: .*run\.json is being written by another run \(pid \d+ on /)]);
    expect((await first.exit).code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.cases.map((c) => `${c.codec}.${c.phase}:${c.runs.length}`)).toEqual(['json.dump:2', 'json.load:2']);
    expect(existsSync(lockPathFor(out)), 'no lock left after the run').toBe(false);
  });

  it('a run killed with SIGKILL leaves its lock, and the next run takes it over', async () => {
    const out = join(dir, 'killed', 'run.json');
    const first = startCli(args(out));
    started.push(first);
    await first.waitFor(/cases × 2 repeats/);
    process.kill(first.proc.pid!, 'SIGKILL');
    await first.exit;
    expect(existsSync(lockPathFor(out))).toBe(true);
    const next = spawnSync(process.execPath, ['dist/bench/cli/main.js', ...args(out)], { encoding: 'utf8' });
    expect(next.status, next.stderr).toBe(0);
  });
});
