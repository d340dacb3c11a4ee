#!/usr/bin/env node
/**
 * `npm test`'s pretest: the HTML report's browser test (test/html-browser.test.ts) needs Debian's
 * Chromium (never a downloaded browser build). When it is missing and this machine can install it
 * (root, or sudo without a password, and apt-get), runs .ci/install-chromium.sh; otherwise stops
 * with one line saying what to run, so `npm test` never fails later in a less readable way.
 *
 *   FOOTPRINT_CHROMIUM   the browser's path (default /usr/bin/chromium; the browser test reads it too)
 *   --dry-run            print what it would do (ok / install / stop) and exit 0
 *
 * Plain JavaScript: it runs before the TypeScript is compiled.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM = process.env.FOOTPRINT_CHROMIUM || '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dryRun = process.argv.includes('--dry-run');

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, name)));

function plan() {
  if (executable(CHROMIUM)) return 'ok';
  if (!onPath('apt-get')) return 'stop';
  if (process.getuid?.() === 0) return 'install';
  // sudo -n: never prompts; fails at once when a password would be needed
  return onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? 'install' : 'stop';
}

const what = plan();
if (dryRun) {
  process.stdout.write(`${what}\n`);
  process.exit(0);
}
if (what === 'ok') process.exit(0);
const hint = `run \`sudo bash .ci/install-chromium.sh\` (Debian/Ubuntu: apt-get install chromium), then npm test again`;
if (what === 'stop') {
  process.stderr.write(
    `npm test: the HTML report's browser test needs Chromium at ${CHROMIUM}, and this machine cannot install it here (needs apt-get and root or passwordless sudo): ${hint}\n`,
  );
  process.exit(1);
}
process.stderr.write(`npm test: Chromium is missing at ${CHROMIUM}; installing Debian's chromium package for the browser test (.ci/install-chromium.sh)\n`);
const r = spawnSync('bash', [join(ROOT, '.ci', 'install-chromium.sh')], { stdio: 'inherit' });
if (r.status !== 0 || !executable(CHROMIUM)) {
  process.stderr.write(`npm test: installing Chromium failed (see above); ${hint}\n`);
  process.exit(1);
}
