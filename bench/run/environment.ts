/** The environment every results file carries: enough to know what was measured, where, with what. */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { Codec, Environment, RuntimeCapabilities } from '../types.js';
import { PROJECT_ROOT } from './paths.js';

/**
 * The version of the codec library the suite loads: the nearest node_modules/<name> at or above the
 * suite's folder, as Node resolves it. Installed as a dependency, the libraries are hoisted into the
 * consumer's node_modules, next to the suite rather than inside it. (Not require.resolve: packages
 * with an `exports` map need not export their package.json.)
 */
export function packageVersion(name: string): string {
  if (name === 'serialization-footprint') return suiteVersion();
  for (let dir = PROJECT_ROOT; ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      if (dirname(dir) === dir) return 'not installed';
    }
  }
}

function suiteVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The suite's own commit, when it runs from a git checkout of itself (not the commit of a project it
 * is installed in), with `-dirty` when tracked files have uncommitted changes; null otherwise.
 */
export function gitCommit(): string | null {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (realpathSync(top) !== realpathSync(PROJECT_ROOT)) return null;
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    return `${out.toString().trim()}${dirty.length > 0 ? '-dirty' : ''}`;
  } catch {
    return null;
  }
}

interface ProbeResult {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  peakResetAvailable: boolean;
  msgpackrNative: boolean;
  /** Absent from a probe compiled before runtimes were probed. */
  capabilities?: RuntimeCapabilities;
}

/** Ask the children's Node binary about itself (with --expose-gc: its capability probe times one forced GC). */
export function probeBinary(nodeBinary: string): ProbeResult {
  const out = execFileSync(nodeBinary, ['--expose-gc', join(PROJECT_ROOT, 'dist/bench/measure/env-probe.js')], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out) as ProbeResult;
}

export function collectEnvironment(opts: { nodeBinary: string; nodeFlags: string[]; codecs: readonly Codec[]; command: string }): Environment {
  const probe = probeBinary(opts.nodeBinary);
  const names = new Set<string>();
  for (const c of opts.codecs) for (const p of c.packages ?? []) names.add(p);
  const packages: Record<string, string> = {};
  packages['serialization-footprint'] = suiteVersion();
  for (const n of [...names].sort()) packages[n] = packageVersion(n);
  const cpu = cpus()[0];
  return {
    node: probe.node,
    v8: probe.v8,
    platform: probe.platform,
    arch: probe.arch,
    cpuModel: cpu?.model ?? 'unknown',
    cores: cpus().length,
    totalMemoryBytes: totalmem(),
    packages,
    nodeFlags: opts.nodeFlags,
    gitCommit: gitCommit(),
    command: opts.command,
    nodeBinary: opts.nodeBinary,
    peakResetAvailable: probe.peakResetAvailable,
    msgpackrNative: probe.msgpackrNative,
    ...(probe.capabilities ? { runtime: probe.capabilities } : {}),
  };
}
