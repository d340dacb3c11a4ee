/**
 * The fast default run (issue 14), checked for wiring at small N: every run
 * saved as it finishes (an interrupted case keeps its runs, marked incomplete,
 * and --resume measures only the missing ones), dumps verified by identity,
 * identical files compressed once, --jobs running children at once, and the
 * time breakdown in the results and on stderr.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { validateReport } from '../bench/results/validate.js';
import { runTiming } from '../bench/run/orchestrator.js';
import type { Report } from '../bench/types.js';
import { CLI, childrenOf, cmdline, descendantsOf, startCli } from './helpers/cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'footprint-speed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (p: string): Report => JSON.parse(readFileSync(p, 'utf8')) as Report;

async function footprint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('save after every run, incomplete cases, --resume of the missing runs', () => {
  it('an interrupted case keeps its measured runs, marked incomplete; --resume measures only the missing runs', async () => {
    const out = join(dir, 'partial', 'r.json');
    // 5 repeats: after a case's first run is saved, four more runs leave time to interrupt it
    const cli = startCli([
      'run',
      '--n',
      '2000',
      '--repeats',
      '5',
      '--codecs',
      'json,v8',
      '--phases',
      'dump,load',
      '--sample-ms',
      '0',
      '--memory-only',
      '--no-sizes',
      '--jobs',
      '1',
      '--out',
      out,
    ]);
    // wait until the file on disk holds a case with its first run only, then interrupt
    let partial: Report | undefined;
    for (let i = 0; i < 3000 && !partial; i++) {
      await new Promise((r) => setTimeout(r, 10));
      try {
        const r = read(out);
        if (r.cases.some((c) => c.incomplete && c.runs.length === 1)) partial = r;
      } catch {
        // not written yet
      }
    }
    expect(partial).toBeDefined();
    process.kill(-cli.proc.pid!, 'SIGINT');
    expect((await cli.exit).code).toBe(130);
    const before = read(out);
    expect(() => validateReport(before, out)).not.toThrow();
    expect(before.interrupted).toBe(true);
    // a codec's first load run follows its first dump run (it judges the dump's file), so its dump and load cases can both be incomplete
    const incomplete = before.cases.filter((c) => c.incomplete);
    expect(incomplete.length).toBeGreaterThanOrEqual(1);
    expect(incomplete.length).toBeLessThanOrEqual(2);
    for (const c of incomplete) {
      expect(c.runs.length).toBeGreaterThanOrEqual(1);
      expect(c.runs.length).toBeLessThan(5);
      expect(c.state).toBe('ok');
    }
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toMatch(/incomplete: \d of the repeats/);
    const measuredBefore = before.cases.reduce((s, c) => s + c.runs.length, 0);

    const r = await footprint(['run', '--memory-only', '--no-sizes', '--jobs', '1', '--resume', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/[12] incomplete, (its|their) \d+ measured runs? kept/);
    // the status lines count only this sitting's runs: the missing ones
    const missing = 4 * 5 - measuredBefore;
    expect(r.stderr).toMatch(new RegExp(`, ${missing}/${missing} runs\\]`));
    const after = read(out);
    expect(after.interrupted).toBe(false);
    for (const k of incomplete) {
      const resumed = after.cases.find((c) => c.codec === k.codec && c.phase === k.phase)!;
      expect(resumed.incomplete).toBeUndefined();
      expect(resumed.runs).toHaveLength(5);
      expect(resumed.runs.slice(0, k.runs.length)).toEqual(k.runs); // the earlier runs, untouched
    }
    expect(after.cases.map((c) => `${c.codec}.${c.phase}`)).toEqual(['json.dump', 'json.load', 'v8.dump', 'v8.load']);
    for (const c of after.cases) {
      expect(c.state).toBe('ok');
      expect(c.runs).toHaveLength(5);
    }
  });
});

describe('verification by identity and sizes once per identical file', () => {
  it('verifies a byte-identical dump file once in a fresh process and records the identity; compresses it once', async () => {
    const out = join(dir, 'identity', 'r.json');
    const r = await footprint([
      'run',
      '--n',
      '1500',
      '--repeats',
      '2',
      '--codecs',
      'json,json-stream,msgpack',
      '--phases',
      'dump',
      '--sample-ms',
      '0',
      '--memory-only',
      '--jobs',
      '1',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const report = read(out);
    expect(() => validateReport(report, out)).not.toThrow();
    const dumps = Object.fromEntries(report.cases.map((c) => [c.codec, c.runs]));
    const json = dumps.json!;
    const sha = json[0]!.fileSha256!;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(json[0]!.verification).toEqual({ method: 'fresh-process' });
    // the second json dump wrote the same bytes
    expect(json[1]!.fileSha256).toBe(sha);
    expect(json[1]!).toMatchObject({ verified: true, verification: { method: 'identity', sha256: sha, sameAs: { codec: 'json', n: 1500, run: 1 } } });
    // json-stream writes them too, but a verdict is about the bytes and the decoder: its own reads its first file
    const stream = dumps['json-stream']!;
    for (const run of stream) expect(run.fileSha256).toBe(sha);
    expect(stream[0]!.verification).toEqual({ method: 'fresh-process' });
    expect(stream[1]!.verification).toEqual({ method: 'identity', sha256: sha, sameAs: { codec: 'json-stream', n: 1500, run: 1 } });
    // msgpack's file differs: its own fresh verifier, then identity for its second run
    expect(dumps.msgpack![0]!.verification).toEqual({ method: 'fresh-process' });
    expect(dumps.msgpack![1]!.verification).toMatchObject({ method: 'identity', sameAs: { codec: 'msgpack', run: 1 } });
    expect(report.timing).toMatchObject({ verifiedFresh: 3, verifiedByIdentity: 3, sizesMeasured: 2, sizesReused: 1 });
    const sizes = Object.fromEntries((report.sizes ?? []).map((s) => [s.codec, s]));
    expect(sizes['json-stream']).toMatchObject({ sameFileAs: 'json', sha256: sha, rawBytes: sizes.json!.rawBytes, gzip: sizes.json!.gzip });
    expect(sizes.json!.sameFileAs).toBeUndefined();
  });
});

/** Run the CLI and count the verifier processes it starts (its children and grandchildren with `--phase verify`). */
async function countingVerifiers(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; verifiers: number }> {
  const cli = startCli(args, { env });
  const seen = new Set<number>();
  const poll = setInterval(() => {
    for (const kid of childrenOf(cli.proc.pid!)) {
      for (const pid of [kid, ...childrenOf(kid)]) if (cmdline(pid).includes('--phase verify')) seen.add(pid);
    }
  }, 5);
  const { code } = await cli.exit;
  clearInterval(poll);
  return { code, verifiers: seen.size };
}

describe("a dump's file judged by the load run that reads it", () => {
  const common = ['--n', '1500', '--repeats', '2', '--phases', 'dump,load', '--sample-ms', '0', '--memory-only', '--no-sizes'];
  /** test/fixtures/misbehaving-codec.mjs as the codec named `behaviour` (plus `others`), at --jobs 1, verifiers counted. */
  const misbehaving = (behaviour: string, others: string[], out: string): ReturnType<typeof countingVerifiers> =>
    countingVerifiers(
      [
        'run',
        ...common,
        '--codec-module',
        join(process.cwd(), 'test/fixtures/misbehaving-codec.mjs'),
        '--codecs',
        [behaviour, ...others].join(','),
        '--jobs',
        '1',
        '--out',
        out,
      ],
      { ...process.env, FOOTPRINT_TEST_BEHAVIOUR: behaviour },
    );

  it('the first load run is the fresh process that judges the first dump file: no verifier process; identical files by identity', async () => {
    const out = join(dir, 'by-load', 'r.json');
    const { code, verifiers } = await countingVerifiers(['run', ...common, '--codecs', 'json,json-stream,msgpack', '--jobs', '2', '--out', out]);
    expect(code).toBe(0);
    expect(verifiers).toBe(0);
    const report = read(out);
    expect(() => validateReport(report, out)).not.toThrow();
    const runs = (codec: string, phase: string) => report.cases.find((c) => c.codec === codec && c.phase === phase)!.runs;
    for (const codec of ['json', 'json-stream', 'msgpack']) {
      // with 2 jobs the two dump runs hash at about the same time: the first to ask is judged by the load run, the other names it
      const dumps = runs(codec, 'dump');
      const judged = dumps.findIndex((r) => r.verification?.method === 'fresh-process');
      const other = dumps[1 - judged]!;
      // and the load run to end first (of the two that may run at once) judges it
      expect(dumps[judged]).toMatchObject({ verified: true, uint64: 'exact', verification: { method: 'fresh-process', loadRun: expect.any(Number) } });
      expect(other.verification).toEqual({ method: 'identity', sha256: dumps[judged]!.fileSha256, sameAs: { codec, n: 1500, run: judged + 1 } });
      expect(other).toMatchObject({ verified: true, uint64: 'exact' });
    }
    // json-stream's files are json's bytes, judged all the same by json-stream's own load run (above)
    expect(runs('json-stream', 'dump')[0]!.fileSha256).toBe(runs('json', 'dump')[0]!.fileSha256);
    expect(report.cases.every((c) => c.state === 'ok' && c.runs.length === 2 && !c.incomplete)).toBe(true);
    expect(report.timing).toMatchObject({ verifiedFresh: 3, verifiedByLoadRun: 3, verifiedByIdentity: 3 });
  });

  it('a load that fails leaves the judging to a verifier process: the dump is ok, the load failed', async () => {
    const out = join(dir, 'load-fails', 'r.json');
    const mod = join(process.cwd(), 'test/fixtures/load-fails-codec.mjs');
    const { code, verifiers } = await countingVerifiers(['run', ...common, '--codec-module', mod, '--codecs', 'load-fails', '--jobs', '1', '--out', out]);
    expect(code).toBe(1);
    expect(verifiers).toBe(1);
    const report = read(out);
    const dump = report.cases.find((c) => c.phase === 'dump')!;
    const load = report.cases.find((c) => c.phase === 'load')!;
    expect(load.state).toBe('failed');
    expect(load.error).toMatch(/refusing to load in a measured load child/);
    expect(dump.state).toBe('ok');
    expect(dump.runs[0]).toMatchObject({ verified: true, verification: { method: 'fresh-process' } });
    expect(dump.runs[0]!.verification).not.toHaveProperty('loadRun');
    expect(dump.runs[1]!.verification).toMatchObject({ method: 'identity', sameAs: { run: 1 } });
  });

  it('--explain: a dump case whose verdict came after its tasks still gets its explain children, and never more than --jobs children run', async () => {
    const out = join(dir, 'explain-dump', 'r.json');
    const cli = startCli([
      'run',
      '--n',
      '2000',
      '--repeats',
      '1',
      '--codecs',
      'json',
      '--phases',
      'dump,load',
      '--sample-ms',
      '0',
      '--memory-only',
      '--no-sizes',
      '--jobs',
      '1',
      '--explain',
      '--out',
      out,
    ]);
    let most = 0;
    const poll = setInterval(() => {
      most = Math.max(most, childrenOf(cli.proc.pid!).filter((pid) => cmdline(pid).includes('child.js')).length);
    }, 5);
    const { code } = await cli.exit;
    clearInterval(poll);
    expect(code).toBe(0);
    expect(most).toBe(1);
    const report = read(out);
    for (const c of report.cases) {
      expect(c.state).toBe('ok');
      expect(c.explain?.errors ?? []).toEqual([]);
      expect(c.explain).toBeDefined();
    }
    expect(report.cases.find((c) => c.phase === 'dump')!.runs[0]!.verification).toMatchObject({ loadRun: 1 });
  });

  it('--repeats 1 with the sizes on: the sizes wait for the load run to judge the file, no verifier process runs', async () => {
    // the sizes task can start while the only load run is still measured (2 jobs): it must not judge the file itself
    const out = join(dir, 'by-load-sizes', 'r.json');
    const args = ['run', '--n', '1500', '--repeats', '1', '--phases', 'dump,load', '--sample-ms', '0', '--memory-only', '--codecs', 'json,msgpack'];
    const { code, verifiers } = await countingVerifiers([...args, '--jobs', '2', '--out', out]);
    expect(code).toBe(0);
    expect(verifiers).toBe(0);
    const report = read(out);
    for (const codec of ['json', 'msgpack']) {
      const dump = report.cases.find((c) => c.codec === codec && c.phase === 'dump')!;
      expect(dump.runs[0]).toMatchObject({ verified: true, verification: { method: 'fresh-process', loadRun: 1 } });
      expect(report.sizes?.find((s) => s.codec === codec)).toBeDefined();
    }
    expect(report.timing).toMatchObject({ verifiedFresh: 2, verifiedByLoadRun: 2 });
  });

  it('SIGINT while a verifier judges the file of a failed load, with the sizes waiting for that verdict: exit 130, no hang', async () => {
    const out = join(dir, 'load-fails-sigint', 'r.json');
    const mod = join(process.cwd(), 'test/fixtures/load-fails-codec.mjs');
    const cli = startCli(
      [
        'run',
        '--n',
        '1500',
        '--repeats',
        '2',
        '--phases',
        'dump,load',
        '--sample-ms',
        '0',
        '--memory-only',
        '--codec-module',
        mod,
        '--codecs',
        'load-fails',
        '--jobs',
        '2',
        '--out',
        out,
      ],
      { env: { ...process.env, FOOTPRINT_TEST_VERIFY_SLEEP_MS: '4000' } },
    );
    // wait for the (slowed) verifier child, and for the sizes task to be waiting for its verdict
    const t0 = Date.now();
    while (!descendantsOf(cli.proc.pid!).some((pid) => cmdline(pid).includes('--phase verify')) && Date.now() - t0 < 20_000) await sleep(20);
    await sleep(1000);
    process.kill(-cli.proc.pid!, 'SIGINT');
    const killer = setTimeout(() => process.kill(-cli.proc.pid!, 'SIGKILL'), 10_000);
    const { code } = await cli.exit;
    clearTimeout(killer);
    expect(code).toBe(130);
    expect(read(out).interrupted).toBe(true);
  });

  it('--jobs 1: a dump run that fails does not leave the first load run waiting for a dump file that will not come (the run stopped, exit 0, no report)', async () => {
    // the first load run comes before the second dump run in the list: it must not wait for it once the case failed
    const out = join(dir, 'dump-throws-jobs1', 'r.json');
    const { code } = await misbehaving('throw', ['json'], out);
    expect(code).toBe(1);
    const report = read(out);
    expect(report.cases.find((c) => c.codec === 'throw' && c.phase === 'dump')!.state).toBe('failed');
    // its load reads a file written by a prepare child, which throws the same way
    expect(report.cases.find((c) => c.codec === 'throw' && c.phase === 'load')!.state).toBe('failed');
    for (const c of report.cases.filter((x) => x.codec === 'json')) expect([c.phase, c.state, c.runs.length]).toEqual([c.phase, 'ok', 2]);
  });

  it("a dump run that fails after hashing its file fails its case; another codec's byte-identical files are judged on their own (they were once dropped with it)", async () => {
    const out = join(dir, 'late-fail', 'r.json');
    const { code } = await misbehaving('late-fail', ['json'], out);
    expect(code).toBe(1);
    const report = read(out);
    const failed = report.cases.find((c) => c.codec === 'late-fail' && c.phase === 'dump')!;
    expect(failed.state).toBe('failed');
    const dump = report.cases.find((c) => c.codec === 'json' && c.phase === 'dump')!;
    expect(dump.state).toBe('ok');
    expect(dump.runs).toHaveLength(2);
    expect(dump.runs[0]).toMatchObject({ verified: true, verification: { method: 'fresh-process' } });
    expect(dump.runs[1]).toMatchObject({ verified: true, verification: { method: 'identity', sameAs: { codec: 'json', run: 1 } } });
  });

  it('a lossy file: the load run finds it, and the identical second file has the same verdict by identity', async () => {
    const out = join(dir, 'lossy', 'r.json');
    const { code, verifiers } = await misbehaving('lossy', [], out);
    expect(code).toBe(0);
    expect(verifiers).toBe(0);
    const report = read(out);
    const dump = report.cases.find((c) => c.phase === 'dump')!;
    expect(dump.state).toBe('lossy');
    expect(dump.error).toMatch(/^run 1: data differs/);
    expect(dump.runs[0]).toMatchObject({ verified: false, uint64: 'lossy', verification: { method: 'fresh-process', loadRun: 1 } });
    expect(dump.runs[1]).toMatchObject({ verified: false, uint64: 'lossy', verification: { method: 'identity', sameAs: { run: 1 } } });
    expect(report.cases.find((c) => c.phase === 'load')!.state).toBe('lossy');
  });
});

describe('--resume and the sizes of dumps measured before the interruption', () => {
  it('writes the file once more and measures it when byte-identical to the verified dump file', async () => {
    const out = join(dir, 'resume-sizes', 'r.json');
    const first = await footprint([
      'run',
      '--n',
      '1500',
      '--repeats',
      '1',
      '--codecs',
      'json,msgpack',
      '--phases',
      'dump',
      '--sample-ms',
      '0',
      '--memory-only',
      '--jobs',
      '1',
      '--out',
      out,
    ]);
    expect(first.code).toBe(0);
    const done = read(out);
    const json = done.sizes!.find((s) => s.codec === 'json')!;
    // as if the run had been interrupted while json's file was being compressed
    const cut: Report = { ...done, interrupted: true, finishedAt: null, sizes: done.sizes!.filter((s) => s.codec !== 'json') };
    writeFileSync(out, JSON.stringify(cut));
    const r = await footprint(['run', '--memory-only', '--jobs', '1', '--resume', out]);
    expect(r.code).toBe(0);
    const after = read(out);
    expect(after.cases).toEqual(done.cases); // no dump measured again
    const again = after.sizes!.find((s) => s.codec === 'json')!;
    expect(again).toMatchObject({
      rawBytes: json.rawBytes,
      sha256: json.sha256,
      gzip: { bytes: json.gzip.bytes },
      brotli: json.brotli === 'skipped' ? 'skipped' : { bytes: json.brotli.bytes },
    });
    expect(after.timing).toMatchObject({ sizesMeasured: 1, prepareInputsMs: expect.any(Number) });
    expect(after.timing!.prepareInputsMs).toBeGreaterThan(0);
  });
});

describe('--jobs', () => {
  it('runs that many measured children at once and records it', async () => {
    const out = join(dir, 'jobs', 'r.json');
    const cli = startCli([
      'run',
      '--n',
      '20000',
      '--repeats',
      '2',
      '--codecs',
      'json,msgpack',
      '--phases',
      'dump,load',
      '--sample-ms',
      '0',
      '--memory-only',
      '--no-sizes',
      '--jobs',
      '2',
      '--out',
      out,
    ]);
    let most = 0;
    const poll = setInterval(() => {
      const measured = childrenOf(cli.proc.pid!).filter((p) => cmdline(p).includes('measure/child.js'));
      most = Math.max(most, measured.length);
    }, 5);
    const { code } = await cli.exit;
    clearInterval(poll);
    expect(code).toBe(0);
    expect(most).toBe(2);
    const report = read(out);
    expect(report.config.jobs).toBe(2);
    expect(report.timing?.jobs).toBe(2);
    expect(cli.stderr()).toMatch(/2 at once \(--jobs\)/);
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toMatch(/2 measured children at a time \(--jobs 2\)/);
    for (const c of report.cases) {
      expect(c.state).toBe('ok');
      expect(c.runs).toHaveLength(2);
    }
    expect(existsSync(join(dir, 'jobs', 'r.json'))).toBe(true);
  });

  it('compressed sizes take a job slot: never more than --jobs children at once; rows in codec order with their CPU time', async () => {
    const out = join(dir, 'sizes-slot', 'r.json');
    const cli = startCli([
      'run',
      '--n',
      '60000',
      '--repeats',
      '1',
      '--codecs',
      'json,text,text-stream',
      '--phases',
      'dump',
      '--sample-ms',
      '0',
      '--memory-only',
      '--jobs',
      '2',
      '--out',
      out,
    ]);
    let most = 0;
    let sawSizes = false;
    const poll = setInterval(() => {
      // measured children and compression children; a dump's own verifier is its grandchild, not counted
      const kids = childrenOf(cli.proc.pid!)
        .map(cmdline)
        .filter((c) => c.includes('measure/child.js') || c.includes('sizes/child.js'));
      most = Math.max(most, kids.length);
      if (kids.some((c) => c.includes('sizes/child.js'))) sawSizes = true;
    }, 5);
    const { code } = await cli.exit;
    clearInterval(poll);
    expect(code).toBe(0);
    expect(sawSizes).toBe(true);
    expect(most).toBeLessThanOrEqual(2);
    const report = read(out);
    // rows in the run's codec order, whichever compression finished first
    expect(report.sizes?.map((s) => [s.codec, s.sameFileAs ?? null])).toEqual([
      ['json', null],
      ['text', null],
      ['text-stream', 'text'],
    ]);
    for (const s of report.sizes ?? []) {
      if (s.brotli === 'skipped') throw new Error(`${s.codec}: brotli skipped in a default run`);
      expect(s.brotli.level).toBe(5);
      expect(s.gzip.cpuMs).toBeGreaterThan(0);
      expect(s.brotli.cpuMs).toBeGreaterThan(0);
    }
    expect(() => validateReport(report, out)).not.toThrow();
  });

  it('refuses --jobs 0 with one line and exit 2', async () => {
    const r = await footprint(['run', '--jobs', '0', '--out', join(dir, 'never.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the time breakdown', () => {
  it('is in the results per run, per case and for the run, and printed as one line', async () => {
    const out = join(dir, 'breakdown', 'r.json');
    const r = await footprint([
      'run',
      '--n',
      '1000',
      '--repeats',
      '1',
      '--codecs',
      'json',
      '--phases',
      'dump,load,clone',
      '--sample-ms',
      '0',
      '--memory-only',
      '--jobs',
      '1',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const report = read(out);
    const t = report.timing!;
    for (const k of [
      'childStartMs',
      'dataGenerationMs',
      'settleBaselineMs',
      'phaseMs',
      'verificationMs',
      'prepareInputsMs',
      'sizesMs',
      'throughputMs',
      'idleMs',
      'expectedChecksumMs',
    ] as const) {
      expect(t[k]).toBeGreaterThanOrEqual(0);
    }
    expect(t.wallMs).toBeGreaterThan(0);
    expect(t.childStartMs).toBeGreaterThan(0);
    expect(t.sizesMs).toBeGreaterThan(0);
    expect(t.loadAverageStart).toHaveLength(3);
    for (const c of report.cases) {
      const run = c.runs[0]!;
      const rt = run.timing!;
      const parts = rt.childStartMs + rt.dataGenerationMs + rt.settleBaselineMs + rt.phaseMs + rt.afterPhaseMs + rt.verificationMs + rt.exitMs;
      expect(Math.abs(parts - rt.totalMs)).toBeLessThan(1);
      // only the children that generate the data spend time generating it
      if (c.phase === 'load') expect(rt.dataGenerationMs).toBe(0);
      else expect(rt.dataGenerationMs).toBeGreaterThan(0);
      expect(c.timing?.totalMs).toBe(Math.round(rt.totalMs));
    }
    expect(r.stderr).toMatch(
      /^time: \d+ s wall \(jobs 1; load average [\d.]+ at start, [\d.]+ at end\) - child start \d+ s, data generation .*, idle orchestration \d+ s; dumps verified by a fresh process 1 \(1 by their load's run\), by identity 0/m,
    );
  });

  it("splits a child's time at its markers", () => {
    const markers = ['start', 'generated', 'baseline', 'phase-start', 'phase-end', 'verify-start', 'verify-end'].map((label, i) => ({
      label,
      tMs: [50, 80, 90, 100, 130, 140, 170][i]!,
    }));
    expect(runTiming(markers, 1000, 1200)).toEqual({
      childStartMs: 50,
      dataGenerationMs: 30,
      settleBaselineMs: 20,
      phaseMs: 30,
      afterPhaseMs: 10,
      verificationMs: 30,
      exitMs: 30,
      totalMs: 200,
    });
  });
});
