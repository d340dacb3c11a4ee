/**
 * Where throughput runs put their files, and what kind of filesystem that is,
 * so the report can say "on tmpfs" only when it is true.
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sep } from 'node:path';

/** Linux's RAM-backed filesystem; where it is missing we fall back to the OS temp dir and say so. */
export const TMPFS_DIR = '/dev/shm';

export interface ScratchDir {
  dir: string;
  /** Filesystem type from /proc/mounts (`tmpfs`, `ext4`, ...), or null where it cannot be read. */
  fsType: string | null;
}

/** `/dev/shm` when it exists and is writable, else `os.tmpdir()`. */
export function defaultScratchDir(): string {
  try {
    if (existsSync(TMPFS_DIR)) {
      accessSync(TMPFS_DIR, constants.W_OK);
      return TMPFS_DIR;
    }
  } catch {
    // not writable: fall through
  }
  return tmpdir();
}

/** The filesystem type of the mount holding `dir` (longest mount point that prefixes it). */
export function filesystemType(dir: string): string | null {
  let mounts: string;
  try {
    mounts = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return null;
  }
  const real = realpathSync(dir);
  let best: { point: string; type: string } | null = null;
  for (const line of mounts.split('\n')) {
    const [, rawPoint, type] = line.split(' ');
    if (!rawPoint || !type) continue;
    // /proc/mounts escapes space, tab, newline and backslash as octal
    const point = rawPoint.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    const inside = real === point || real.startsWith(point.endsWith(sep) ? point : point + sep);
    if (inside && (!best || point.length >= best.point.length)) best = { point, type };
  }
  return best?.type ?? null;
}

export function describeScratch(dir: string): ScratchDir {
  return { dir, fsType: filesystemType(dir) };
}
