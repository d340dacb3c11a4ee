/** Start the compiled CLI as a real process and watch its process tree (Linux /proc). */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLI = resolve('dist/bench/cli/main.js');

/** Run the compiled CLI to its end: its exit code and output (a non-zero exit is a result, not a throw). */
export function footprint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Direct children of `pid` (all threads), from /proc/<pid>/task/<tid>/children. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // the process is gone
  }
  return out;
}

export function descendantsOf(pid: number): number[] {
  const all: number[] = [];
  const walk = (p: number): void => {
    for (const c of childrenOf(p)) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

/** A pid is alive unless /proc says it is gone or a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export interface CliProcess {
  proc: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  /** Every pid seen below the CLI while it ran (sampled every 20 ms). */
  seen: Set<number>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stderr matches `re`. */
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<void>;
}

/** Run `node dist/bench/cli/main.js ...args` in its own process group (like a shell job). */
export function startCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliProcess {
  const proc = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let err = '';
  let out = '';
  const seen = new Set<number>();
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of waiters.filter((x) => x.re.test(err))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const poll = setInterval(() => {
    if (proc.pid !== undefined) for (const p of descendantsOf(proc.pid)) seen.add(p);
  }, 20);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    proc.on('close', (code, signal) => {
      clearInterval(poll);
      for (const w of waiters) w.resolve(); // let a waiter fail on its own assertion
      res({ code, signal });
    }),
  );
  return {
    proc,
    seen,
    exit,
    stderr: () => err,
    stdout: () => out,
    waitFor: (re, timeoutMs = 30_000) =>
      new Promise<void>((res, rej) => {
        if (re.test(err)) return res();
        const t = setTimeout(() => rej(new Error(`timed out waiting for ${re} in stderr:\n${err}`)), timeoutMs);
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(t);
            res();
          },
        });
      }),
  };
}

/** Names in `dir` matching `re` (empty if the folder does not exist). */
export function entries(dir: string, re: RegExp = /./): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => re.test(f))
        .sort()
    : [];
}

export function listAll(dir: string): string[] {
  return entries(dir).map((f) => join(dir, f));
}

/** The command line of `pid`, '' if it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
