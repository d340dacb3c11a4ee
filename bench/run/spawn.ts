/**
 * Run one measured child and turn whatever happens to it into data: figures,
 * or a failure with its kind ('failed' | 'oom' | 'timeout'), exit code or
 * signal, and the tail of its stderr. Never throws for a child's fault.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { STDERR_TAIL_CHARS } from '../constants.js';
import type { ChildFigures, ChildMessage, ChildSpec, VerifierAnswer } from '../measure/protocol.js';
import { monotonicMs, specToArgs } from '../measure/protocol.js';
import type { Marker, Uint64Verdict } from '../types.js';
import type { SamplingControl } from '../measure/sampler.js';
import { CHILD_SCRIPT } from './paths.js';

export interface ChildOptions {
  nodeBinary: string;
  /** Node flags, including the heap limit. */
  flags: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with the child's pid right after spawn (e.g. to start an RSS sampler); its return is called when the child exits. */
  onSpawn?: (pid: number, spawnedAt: number) => SamplingControl;
  /** Extra environment variables for the child (`footprint explain` configures its hook with them). */
  env?: Record<string, string>;
  /** A dump child hashed its file: true when the parent judges it (see VerifierAnswer); without this, the child's own verifier does. */
  onFileHash?: (sha256: string) => boolean;
}

export type ChildOutcome = (
  | { kind: 'result'; figures: ChildFigures; markers: Marker[] }
  | { kind: 'verify'; verified: boolean; error?: string; uint64?: Uint64Verdict; unjudged?: boolean }
  | { kind: 'prepared' }
  | { kind: 'failed' | 'oom' | 'timeout' | 'interrupted'; error: string; exitCode: number | null; exitSignal: string | null; stderrTail: string }
) & {
  /** Monotonic ms (see monotonicMs) of the spawn and of the exit, for the time breakdown; absent on outcomes made up by the caller. */
  spawnedMs?: number;
  closedMs?: number;
};

const OOM_PATTERNS = [/JavaScript heap out of memory/, /Reached heap limit/, /Allocation failed - process out of memory/];

/** How a supervised child process ended, whatever its protocol. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last 64 KiB of its stderr, and its last STDERR_TAIL_CHARS trimmed. */
  stderr: string;
  stderrTail: string;
  /** It could not be started, or it said why it failed (an `error` message). */
  childError?: string;
  timedOut: boolean;
  interrupted: boolean;
  /** Its markers, on the samples' clock (ms since spawn). */
  markers: Marker[];
  /** Monotonic ms of the spawn and of the exit. */
  spawnedMs: number;
  closedMs: number;
}

export interface SuperviseOptions {
  timeoutMs: number;
  /** After each message, the child has this long for its next one (a child that answers input by input: the fuzz child). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  onSpawn?: (pid: number, spawnedAt: number) => SamplingControl;
  /** The binary started, for "could not start" messages. */
  binary: string;
  /** How the child sends its messages (ChildMessage): over Node's IPC channel, or as JSON lines on stdout (the Python peer). */
  transport: 'ipc' | 'stdout-lines';
}

/**
 * Supervise one child process started by `start` in its own process group: its messages (markers
 * are collected here, the rest go to `onMessage`), its RSS sampler, its timeout, the run's abort,
 * and the kill of its whole group when it ends (a dump's verifier would otherwise outlive it). The
 * measured Node children and the Python peer's children both run through here. Never rejects.
 */
export function superviseChild(
  start: () => ChildProcess,
  opts: SuperviseOptions,
  onMessage: (m: ChildMessage, child: ChildProcess) => void,
): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const spawnedAt = monotonicMs(); // the clock of the child's markers and of the RSS samples
    const child = start();
    const sampling = child.pid !== undefined && opts.onSpawn ? opts.onSpawn(child.pid, spawnedAt) : undefined;
    const markers: Marker[] = [];
    let childError: string | undefined;
    let stderr = '';
    let timedOut = false;
    let interrupted = false;

    const receive = (m: ChildMessage): void => {
      if (opts.idleTimeoutMs !== undefined) armTimer(opts.idleTimeoutMs);
      // when the child crossed the boundary, on the samples' clock (see monotonicMs), not when the message arrived
      if (m.type === 'marker') {
        markers.push({ label: m.label, tMs: m.clock === 'process-start' ? m.monoMs : m.monoMs - spawnedAt });
        sampling?.marker(m.label);
      } else if (m.type === 'error') childError = m.error;
      else onMessage(m, child);
    };
    if (opts.transport === 'ipc') {
      child.stdout?.resume(); // a child's stdout is not part of the protocol; drain it
      child.on('message', receive);
    } else {
      let pending = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        pending += d;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          let m: ChildMessage;
          try {
            m = JSON.parse(line) as ChildMessage;
          } catch {
            continue; // not a protocol line
          }
          receive(m);
        }
      });
    }
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-64 * 1024);
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const armTimer = (ms: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, ms);
    };
    armTimer(opts.timeoutMs);
    const onAbort = (): void => {
      interrupted = true;
      killGroup();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();

    child.on('error', (err) => {
      childError = `could not start ${opts.binary}: ${err.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(); // a child that died early may leave its verifier running
      opts.signal?.removeEventListener('abort', onAbort);
      sampling?.stop();
      resolve({
        code,
        signal,
        stderr,
        stderrTail: stderr.slice(-STDERR_TAIL_CHARS).trim(),
        ...(childError !== undefined ? { childError } : {}),
        timedOut,
        interrupted,
        markers,
        spawnedMs: spawnedAt,
        closedMs: monotonicMs(),
      });
    });
  });
}

/** What runs one child of the suite's protocol: `runChild`, or a test's stand-in (the scheduler takes one, bench/run/scheduler.ts). */
export type ChildRunner = (spec: ChildSpec, opts: ChildOptions) => Promise<ChildOutcome>;

export async function runChild(spec: ChildSpec, opts: ChildOptions): Promise<ChildOutcome> {
  let figures: ChildFigures | undefined;
  let verify: { verified: boolean; error?: string; uint64?: Uint64Verdict; unjudged?: boolean } | undefined;
  let prepared = false;
  const end = await superviseChild(
    () =>
      fork(CHILD_SCRIPT, specToArgs(spec), {
        execPath: opts.nodeBinary,
        execArgv: opts.flags,
        ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
        // Own process group: a terminal's Ctrl-C reaches only the orchestrator (which then stops the child
        // itself, so the case is 'interrupted', not 'failed'), and killing the group also ends the
        // child's verifier process, which would otherwise outlive a killed child.
        detached: true,
      }),
    {
      timeoutMs: opts.timeoutMs,
      binary: opts.nodeBinary,
      transport: 'ipc',
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
    },
    (m, child) => {
      if (m.type === 'result') figures = m.figures;
      else if (m.type === 'verify')
        verify = {
          verified: m.verified,
          ...(m.error ? { error: m.error } : {}),
          ...(m.uint64 ? { uint64: m.uint64 } : {}),
          ...(m.unjudged ? { unjudged: true } : {}),
        };
      else if (m.type === 'prepared') prepared = true;
      else if (m.type === 'file-hash') {
        const parent = opts.onFileHash?.(m.sha256) === true;
        if (child.connected) child.send({ type: 'verifier', ...(parent ? { parent } : {}) } satisfies VerifierAnswer);
      }
    },
  );
  const { code, signal, stderr, stderrTail } = end;
  const times = { spawnedMs: end.spawnedMs, closedMs: end.closedMs };
  const base = { exitCode: code, exitSignal: signal, stderrTail, ...times };
  if (end.interrupted) return { kind: 'interrupted', error: 'run interrupted', ...base };
  if (end.timedOut) return { kind: 'timeout', error: `timed out after ${opts.timeoutMs} ms (child killed)`, ...base };
  if (figures && code === 0) return { kind: 'result', figures, markers: end.markers, ...times };
  if (verify && code === 0) return { kind: 'verify', ...verify, ...times };
  if (prepared && code === 0) return { kind: 'prepared', ...times };
  if (OOM_PATTERNS.some((p) => p.test(stderr))) {
    const limit = opts.flags.find((f) => f.startsWith('--max-old-space-size='));
    // V8's own line, which the stderr tail may have lost behind the native stack trace
    const fatal = stderr
      .split('\n')
      .find((l) => OOM_PATTERNS.some((p) => p.test(l)))
      ?.trim();
    return { kind: 'oom', error: `out of memory${limit ? ` (heap limit ${limit.split('=')[1]} MiB)` : ''}${fatal ? `: ${fatal}` : ''}`, ...base };
  }
  const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
  const why = end.childError ?? (stderrTail.split('\n').filter(Boolean).pop() || 'no error message');
  return { kind: 'failed', error: `child ${how}: ${why}`, ...base };
}
