/** Default output names that two runs started in the same second never share. */
import { closeSync, existsSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Create `path` exclusively (open with 'wx', so of two runs racing for one name
 * exactly one wins) and return it; if it is taken, or one of `siblings(path)`
 * exists (the markdown next to it), try `<stem>-<pid><ext>`, then random
 * suffixes. An empty file stays at the returned path, for the caller to replace atomically.
 */
export function claimUniquePath(path: string, siblings: (p: string) => string[] = () => []): string {
  const m = /^(.*?)(\.[^./]*)?$/.exec(path)!;
  const stem = m[1]!;
  const ext = m[2] ?? '';
  const candidates = [path, `${stem}-${process.pid}${ext}`];
  for (let i = 0; i < 20; i++) candidates.push(`${stem}-${process.pid}-${randomBytes(3).toString('hex')}${ext}`);
  for (const p of candidates) {
    if (siblings(p).some((s) => existsSync(s))) continue;
    try {
      closeSync(openSync(p, 'wx'));
      return p;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`cannot find a free name for ${path} (tried ${candidates.length})`);
}
