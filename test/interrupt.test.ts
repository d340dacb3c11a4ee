/** Signals and kills: the real CLI, interrupted or with a child killed mid-phase, keeps a valid results file. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../bench/types.js';
import { alive, childrenOf, cmdline, entries, startCli, type CliProcess } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// a failed assertion must not leave a CLI (and its 60 s sleeper) running
const started: CliProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) process.kill(-c.proc.pid!, 'SIGKILL');
});
const start = (...a: Parameters<typeof startCli>): CliProcess => {
  const c = startCli(...a);
  started.push(c);
  return c;
};

/** `codec.phase` of every case the CLI reported as completed on stderr. */
function completedInProgress(stderr: string): string[] {
  return [...stderr.matchAll(/^\[\d+\/\d+\] (\S+) (dump|load) n=/gm)].map((m) => `${m[1]}.${m[2]}`);
}

async function noneAlive(pids: Iterable<number>): Promise<number[]> {
  const list = [...pids];
  for (let i = 0; i < 40 && list.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  return list.filter(alive);
}

const readReport = (p: string): Report => JSON.parse(readFileSync(p, 'utf8')) as Report;

describe('interrupting the orchestrator', () => {
  it.each([
    ['SIGINT to the process group (Ctrl-C in a terminal)', 'SIGINT', true],
    ['SIGTERM to the orchestrator alone', 'SIGTERM', false],
  ] as const)('%s: exit 130, valid file with every measured run, no children or work folder left', async (_label, signal, group) => {
    const out = join(dir, signal, 'report.json');
    const cli = start([
      'run',
      '--n',
      '3000',
      '--repeats',
      '3',
      '--codecs',
      'json,v8,msgpack,text',
      '--phases',
      'dump,load',
      '--sample-ms',
      '0',
      '--memory-only',
      '--no-sizes',
      '--out',
      out,
    ]);
    await cli.waitFor(/^\[2\/8\]/m);
    // stop while a measured child is running
    for (let i = 0; i < 200 && childrenOf(cli.proc.pid!).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(childrenOf(cli.proc.pid!).length).toBeGreaterThan(0);
    process.kill(group ? -cli.proc.pid! : cli.proc.pid!, signal);
    const { code } = await cli.exit;

    expect(code).toBe(130);
    expect(cli.stderr()).toMatch(new RegExp(`${signal} received`));
    const report = readReport(out);
    expect(report.interrupted).toBe(true);
    expect(report.finishedAt).toBeNull();
    const done = completedInProgress(cli.stderr());
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(8);
    // cases finish in any order when children run in parallel (--jobs); one that was running keeps its measured runs, marked incomplete
    expect(
      report.cases
        .filter((c) => !c.incomplete)
        .map((c) => `${c.codec}.${c.phase}`)
        .sort(),
    ).toEqual([...done].sort());
    for (const c of report.cases.filter((x) => x.incomplete)) expect(c.runs.length).toBeLessThan(3);
    // a Ctrl-C must not turn the running case into a 'failed' one: every recorded case is a real result
    for (const c of report.cases) expect(c.state).toBe('ok');
    // the markdown report says so too
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toMatch(/interrupted/i);
    expect(cli.seen.size).toBeGreaterThan(0);
    expect(await noneAlive(cli.seen)).toEqual([]);
    expect(entries(join(dir, signal))).toEqual(['report.html', 'report.json', 'report.md']);
  });
});

describe('interrupting while a compression runs', () => {
  it('SIGINT to the group while a sizes child compresses: exit 130, saved as interrupted, no stack trace, no work folder', async () => {
    const out = join(dir, 'sizes', 'report.json');
    const cli = start([
      'run',
      '--n',
      '100000',
      '--repeats',
      '3',
      '--codecs',
      'json,text,msgpack',
      '--phases',
      'dump,load',
      '--sample-ms',
      '0',
      '--memory-only',
      '--jobs',
      '2',
      '--out',
      out,
    ]);
    const sizesRunning = (): boolean => childrenOf(cli.proc.pid!).some((p) => cmdline(p).includes('sizes/child.js'));
    // up to a minute: on a loaded machine the first dump's sizes child starts late (10 s was too short at load 14)
    for (const until = Date.now() + 60_000; Date.now() < until && !sizesRunning(); ) await new Promise((r) => setTimeout(r, 5));
    expect(sizesRunning()).toBe(true);
    process.kill(-cli.proc.pid!, 'SIGINT');
    const { code } = await cli.exit;
    expect(code).toBe(130);
    expect(cli.stderr()).not.toMatch(/^\s+at /m); // no stack trace: the interruption is handled, not a crash
    const report = readReport(out);
    expect(report.interrupted).toBe(true);
    expect(report.cases.length).toBeGreaterThan(0);
    expect(await noneAlive(cli.seen)).toEqual([]);
    expect(entries(join(dir, 'sizes'))).toEqual(['report.html', 'report.json', 'report.md']);
  }, 120_000);
});

describe('a measured child killed mid-phase', () => {
  it('is a failed case with its signal; the run goes on to the next case and exits 1', async () => {
    const out = join(dir, 'kill', 'report.json');
    const cli: CliProcess = start(
      [
        'run',
        '--n',
        '100',
        '--repeats',
        '1',
        '--codecs',
        'sleep,json',
        '--phases',
        'dump',
        '--sample-ms',
        '0',
        '--memory-only',
        '--no-sizes',
        '--codec-module',
        resolve('test/fixtures/misbehaving-codec.mjs'),
        '--out',
        out,
      ],
      { env: { ...process.env, FOOTPRINT_TEST_BEHAVIOUR: 'sleep' } },
    );
    // the 'sleep' codec's dump sleeps 60 s: wait until its child has been up for a second, then kill it
    // (up to 30 s for it to start: a loaded machine took more than 6)
    let victim: number | undefined;
    for (let i = 0; i < 1500 && victim === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      victim = childrenOf(cli.proc.pid!).find((p) => cmdline(p).includes('measure/child.js'));
    }
    expect(victim).toBeDefined();
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(victim!, 'SIGKILL');
    const { code } = await cli.exit;

    expect(code).toBe(1);
    const report = readReport(out);
    expect(report.interrupted).toBe(false);
    expect(report.finishedAt).not.toBeNull();
    const [killed, next] = report.cases;
    expect(killed).toMatchObject({ codec: 'sleep', phase: 'dump', state: 'failed', exitSignal: 'SIGKILL', exitCode: null });
    expect(killed!.error).toMatch(/killed by SIGKILL/);
    expect(next).toMatchObject({ codec: 'json', phase: 'dump', state: 'ok' });
    expect(next!.runs).toHaveLength(1);
    expect(await noneAlive(cli.seen)).toEqual([]);
    expect(entries(join(dir, 'kill'))).toEqual(['report.html', 'report.json', 'report.md']);
  });
});
