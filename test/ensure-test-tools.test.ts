/**
 * npm test's pretest (scripts/ensure-test-tools.mjs): silent when Chromium and python3 are there; installs
 * what is missing where the machine can; otherwise one line saying what to run, and a failing exit code.
 * Nothing is installed here: the install branch is checked with --dry-run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = 'scripts/ensure-test-tools.mjs';
const pretest = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { HOME: process.env.HOME ?? '/tmp', ...env } });

describe('pretest: ensure-test-tools', () => {
  it('is what npm test runs first', async () => {
    const pkg = JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe(`node ${SCRIPT}`);
  });

  /** A folder holding empty executables of these names: a fake PATH or browser. */
  const fakes = (...names: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-tools-'));
    for (const name of names) {
      writeFileSync(join(dir, name), '#!/bin/sh\nexit 1\n');
      chmodSync(join(dir, name), 0o755);
    }
    return dir;
  };

  it('does nothing and says nothing when the browser and python3 are there', () => {
    const dir = fakes('chromium', 'python3');
    const r = pretest({ FOOTPRINT_CHROMIUM: join(dir, 'chromium'), PATH: dir });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
  });

  it('stops with one line saying what to run when it cannot install (no apt-get)', () => {
    const r = pretest({ FOOTPRINT_CHROMIUM: '/nonexistent/chromium', PATH: '/nonexistent' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/needs Chromium at \/nonexistent\/chromium .* and python3 on the PATH .*sudo bash \.ci\/install-test-tools\.sh/);
  });

  it('names only what is missing: python3, when the browser is there', () => {
    const dir = fakes('chromium');
    const r = pretest({ FOOTPRINT_CHROMIUM: join(dir, 'chromium'), PATH: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^npm test needs python3 on the PATH \(the Python peer's parity tests\), and this machine cannot install/);
    expect(r.stderr).not.toMatch(/Chromium/);
  });

  it('installs when apt-get is there and it runs as root (dry run)', () => {
    const bin = fakes('apt-get', 'python3');
    const r = pretest({ FOOTPRINT_CHROMIUM: '/nonexistent/chromium', PATH: bin }, '--dry-run');
    expect(r.status).toBe(0);
    // without sudo on this PATH, only root can install
    expect(r.stdout).toBe(process.getuid?.() === 0 ? 'install\n' : 'stop\n');
  });
});

describe('the README and CI run the same commands', () => {
  it('.ci/run is npm ci then npm test, with no separate browser set-up; the README quick start is the same npm test', async () => {
    const { readFileSync } = await import('node:fs');
    const ci = readFileSync('.ci/run', 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(ci).toEqual(['npm ci', 'npm test']);
    const quick = readFileSync('README.md', 'utf8').match(/## Quick start\n\n```sh\n([\s\S]*?)```/)![1]!;
    expect(
      quick
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/\s+#.*$/, '')),
    ).toEqual(['npm install && npm run bench', 'npm test']);
  });
});
