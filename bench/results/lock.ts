/**
 * One live run per results file. Two runs given the same `--out` (a CI job restarted beside its
 * predecessor, a second terminal) would each rewrite the file after every run, and the file would
 * keep only the last writer's cases: the other's results gone without a word. A run therefore holds
 * `<out>.lock` while it runs, and a second run refuses at once, naming the holder.
 *
 * Written by hand rather than with proper-lockfile: that library judges a lock stale by its age
 * (the holder touches it every few seconds), so a crashed run's lock would refuse every run for its
 * stale period; here the lock names its holder's pid and the start time of that process
 * (/proc/<pid>/stat), so a lock whose holder is gone (crashed, killed) is taken over at once, and a
 * recycled pid is not mistaken for the holder. Linux only, as the whole suite is (it reads /proc).
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';

/** Another live run writes this results file. */
export class OutputLockedError extends InputError {
  override name = 'OutputLockedError';
}

interface Holder {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22): tells a recycled pid apart. */
  procStart: string | null;
  host: string;
  startedAt: string;
}

export interface OutputLock {
  /** The lock file. */
  readonly path: string;
  /** Remove the lock (also done when the process exits). Idempotent. */
  release(): void;
}

export function lockPathFor(outFile: string): string {
  return `${outFile}.lock`;
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses); null if the process is gone. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function readHolder(path: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    return typeof h.pid === 'number' ? h : null;
  } catch {
    return null; // gone meanwhile, or not a lock of ours: no live holder to name
  }
}

/** The holder still runs: same machine, its pid alive and started when the lock says. Another machine's lock (a shared disk) counts as live. */
function alive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  const start = procStart(h.pid);
  return start !== null && (h.procStart === null || start === h.procStart);
}

/**
 * Take the lock of `outFile` for this process, or throw OutputLockedError (one line: the file, the
 * holder's pid, host and start) when a live run holds it. A lock left by a run that is gone is taken
 * over. Released on `release()` or when the process exits, however it exits short of SIGKILL (and
 * after a SIGKILL the dead pid frees it for the next run).
 */
export function lockOutput(outFile: string): OutputLock {
  const path = lockPathFor(outFile);
  const me: Holder = { pid: process.pid, procStart: procStart(process.pid), host: hostname(), startedAt: new Date().toISOString() };
  // written whole to a file of our own, then linked in: link() is atomic and fails if the lock exists,
  // so no other run ever reads a lock half written
  const mine = `${path}.${process.pid}`;
  mkdirSync(dirname(path), { recursive: true }); // the results folder is created by the run anyway; the lock comes first
  writeFileSync(mine, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = readHolder(path);
        // this very process counts as a live holder too (two runs started from one program)
        if (holder && (holder.pid === process.pid || alive(holder))) {
          throw new OutputLockedError(
            `${outFile} is being written by another run (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}; lock ${path}): wait for it to end, or give this run another --out`,
          );
        }
        if (attempt >= 2) throw new OutputLockedError(`${outFile}: cannot take its lock ${path} (another run keeps taking it)`);
        try {
          unlinkSync(path); // the lock of a run that is gone: taken over
        } catch {
          // removed by another taker meanwhile: try again
        }
      }
    }
  } finally {
    unlinkSync(mine);
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // only our own lock: never remove one another run took over after us
    if (readHolder(path)?.pid === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return { path, release };
}
