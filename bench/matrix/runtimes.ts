/**
 * The runtimes of `footprint matrix --runtime node@20,bun@1.4,deno@2.9,python`:
 * what each name means, and where its binary comes from.
 *
 * Every JavaScript runtime comes from the npm registry, like the Node matrix
 * (bench/matrix/install.ts): `@oven/bun-linux-x64` ships Bun's binary and
 * `@deno/linux-x64-glibc` Deno's, so `npm install` into the project's cache is
 * the only download (once; later runs reuse it). Python is not installed: the
 * peer runs on the `python3` already on the PATH, or is reported as skipped.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';
import { installNode, NodeInstallError } from './install.js';

const run = promisify(execFile);

export type RuntimeName = 'node' | 'bun' | 'deno' | 'python';
/** A JavaScript runtime that runs the suite's measured child. */
export type JsRuntimeName = Exclude<RuntimeName, 'python'>;

/** One entry of `--runtime`: `node@20`, `bun@1.4`, `deno@2.9` or `python`. */
export interface RuntimeSpec {
  name: RuntimeName;
  /** The version asked for (`20`, `1.4`, `2.9`); empty for python (whatever python3 is on the PATH). */
  version: string;
  /** `node@20`, as typed; also the report's file name stem. */
  label: string;
}

export interface InstalledRuntime {
  spec: RuntimeSpec;
  /** The binary's own version, e.g. `v22.23.3`, `1.4.5`, `2.9.6`. */
  version: string;
  /** What the suite spawns as its `nodeBinary`: Node or Bun themselves, Deno's node-style launcher (see denoLauncher). */
  binary: string;
  /** The runtime's own executable (differs from `binary` for Deno). */
  executable: string;
  /** False when the cached install was reused. */
  installed: boolean;
}

export class RuntimeInstallError extends Error {
  override name = 'RuntimeInstallError';
}

/** npm package and binary location of each installable non-Node runtime. */
const PACKAGES: Record<'bun' | 'deno', { pkg: string; binary: string[]; versionOf: (out: string) => string | undefined }> = {
  bun: { pkg: '@oven/bun-linux-x64', binary: ['bin', 'bun'], versionOf: (out) => /^(\d+\.\d+\.\d+)/.exec(out.trim())?.[1] },
  // `deno --version` prints `deno 2.9.6 (stable, ...)` then v8 and typescript lines
  deno: { pkg: '@deno/linux-x64-glibc', binary: ['deno'], versionOf: (out) => /^deno (\d+\.\d+\.\d+)/.exec(out.trim())?.[1] },
};

export function runtimePackage(name: 'bun' | 'deno'): string {
  return PACKAGES[name].pkg;
}

/** Parse `--runtime node@20,node@22,bun@1.4,deno@2.9,python`. */
export function parseRuntimeList(value: string): RuntimeSpec[] {
  const out: RuntimeSpec[] = [];
  for (const raw of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(node|bun|deno|python)(?:@v?(\d+(?:\.\d+){0,2}))?$/.exec(raw);
    if (!m) throw new UsageError(`--runtime: '${raw}' is not one of node@MAJOR, bun@VERSION, deno@VERSION, python`);
    const name = m[1] as RuntimeName;
    const version = m[2] ?? '';
    if (name === 'python' && version) throw new UsageError(`--runtime: python takes no version (the python3 on the PATH runs): '${raw}'`);
    if (name !== 'python' && !version)
      throw new UsageError(`--runtime: '${raw}' needs a version, e.g. ${name}@${name === 'node' ? '22' : name === 'bun' ? '1.4' : '2.9'}`);
    if (name === 'node' && !/^\d+$/.test(version)) throw new UsageError(`--runtime: node takes a major version (node@22), not '${raw}'`);
    const label = name === 'python' ? 'python' : `${name}@${version}`;
    if (!out.some((s) => s.label === label)) out.push({ name, version, label });
  }
  if (out.length === 0) throw new UsageError('--runtime needs at least one runtime, e.g. --runtime node@22,bun@1.4');
  return out;
}

/** Where a bun/deno version is installed in the cache. */
export function runtimeInstallDir(name: 'bun' | 'deno', version: string, cacheDir: string): string {
  return path.resolve(cacheDir, `${name}-${version}`);
}

export function runtimeBinaryPath(name: 'bun' | 'deno', dir: string): string {
  return path.join(dir, 'node_modules', ...PACKAGES[name].pkg.split('/'), ...PACKAGES[name].binary);
}

/**
 * Deno takes its permissions and V8 flags after `run`, not node-style before
 * the script: `deno run -A --v8-flags=--expose-gc,... child.js`. Every place
 * in the suite that starts a child (the measured child, its verifier, the
 * sizes and throughput children, the environment probe) passes node-style
 * flags to one binary, so a three-line launcher turns the leading flags into
 * `--v8-flags` instead of teaching each spawn site about Deno. All the suite's
 * child flags (--expose-gc, --single-threaded-gc, --no-concurrent-recompilation,
 * --max-old-space-size) are V8 flags. `exec` keeps the pid, so the parent's RSS sampler and process
 * group handling see Deno itself. `-A`: the children read and write files,
 * spawn their verifier and load msgpackr's native addon.
 */
export function denoLauncher(dir: string, deno: string): string {
  const launcher = path.join(dir, 'deno-node-style');
  const script = `#!/bin/sh
# Generated by serialization-footprint (bench/matrix/runtimes.ts): node-style flags -> deno run --v8-flags.
v8=""
while [ $# -gt 0 ]; do case "$1" in -*) v8="\${v8:+$v8,}$1"; shift;; *) break;; esac; done
# the child starts its verifier through this launcher too, with these flags (Deno's process.execArgv is empty)
FOOTPRINT_LAUNCHER="$0" FOOTPRINT_LAUNCH_FLAGS="$v8"
export FOOTPRINT_LAUNCHER FOOTPRINT_LAUNCH_FLAGS
exec '${deno.replace(/'/g, `'\\''`)}' run -A \${v8:+--v8-flags=$v8} "$@"
`;
  writeFileSync(launcher, script);
  chmodSync(launcher, 0o755);
  return launcher;
}

function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

/** A version asked for (`1.4`) matches an installed one (`1.4.5`) on every component given. */
export function versionMatches(asked: string, got: string): boolean {
  const a = asked.split('.');
  const g = got.split('.');
  return a.every((x, i) => g[i] === x);
}

/**
 * Install `bun@1.4` or `deno@2.9` from the npm registry into
 * `<cacheDir>/<name>-<version>` once; later calls reuse it. Throws
 * RuntimeInstallError naming the package, the folder and npm's last lines
 * when the install or the binary fails.
 */
export async function installJsRuntime(name: 'bun' | 'deno', version: string, cacheDir: string, log: (line: string) => void): Promise<InstalledRuntime> {
  const { pkg, versionOf } = PACKAGES[name];
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new RuntimeInstallError(`${pkg} only runs on linux x64; this is ${process.platform} ${process.arch}`);
  }
  const dir = runtimeInstallDir(name, version, cacheDir);
  const binary = runtimeBinaryPath(name, dir);
  const spec = `${pkg}@${version}`;
  let installed = false;
  if (!existsSync(binary)) {
    await mkdir(dir, { recursive: true });
    log(`installing ${spec} into ${dir} ...`);
    try {
      await run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', spec], { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    } catch (err: unknown) {
      const e = err as { stderr?: string; message?: string };
      throw new RuntimeInstallError(`npm install ${spec} into ${dir} failed: ${tail(e.stderr ?? '') || e.message || String(err)}`);
    }
    if (!existsSync(binary)) throw new RuntimeInstallError(`npm installed ${spec} into ${dir} but ${binary} is missing`);
    installed = true;
  }
  let got: string | undefined;
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 30_000 });
    got = versionOf(stdout);
  } catch (err: unknown) {
    throw new RuntimeInstallError(`${binary} does not run (delete ${dir} to reinstall): ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!got) throw new RuntimeInstallError(`${binary} --version printed no ${name} version (delete ${dir} to reinstall)`);
  if (!versionMatches(version, got)) throw new RuntimeInstallError(`${binary} is ${name} ${got}, expected ${version}.x (delete ${dir} to reinstall)`);
  const launch = name === 'deno' ? denoLauncher(dir, binary) : binary;
  log(`${installed ? 'installed' : 'using cached'} ${name} ${got} at ${binary}${launch !== binary ? ` (launched through ${launch})` : ''}`);
  return { spec: { name, version, label: `${name}@${version}` }, version: got, binary: launch, executable: binary, installed };
}

/** Install (or find in the cache) one JavaScript runtime of `--runtime`. */
export async function installRuntime(spec: RuntimeSpec, cacheDir: string, log: (line: string) => void): Promise<InstalledRuntime> {
  if (spec.name === 'python') throw new RuntimeInstallError('python is not installed by the suite: the peer runs the python3 on the PATH');
  if (spec.name === 'node') {
    try {
      const n = await installNode(Number(spec.version), cacheDir, log);
      return { spec, version: n.version, binary: n.binary, executable: n.binary, installed: n.installed };
    } catch (err) {
      if (err instanceof NodeInstallError) throw new RuntimeInstallError(err.message);
      throw err;
    }
  }
  return installJsRuntime(spec.name, spec.version, cacheDir, log);
}
