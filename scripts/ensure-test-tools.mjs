#!/usr/bin/env node
/**
 * `npm test`'s pretest: two tests need programs npm does not install, from Debian's packages:
 * - Chromium, for the HTML report's browser tests (test/html-browser.test.ts; never a downloaded browser build);
 * - python3, for the Python peer's parity tests (test/python-peer.test.ts), the only guard on the
 *   generator's Python port: they fail, never skip, without it.
 * When one is missing and this machine can install it (root, or sudo without a password, and apt-get),
 * runs .ci/install-test-tools.sh; otherwise stops with one line saying what to run, so `npm test`
 * never fails later in a less readable way.
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

/** What the tests need, each with the check that it is there. */
const TOOLS = [
  { name: `Chromium at ${CHROMIUM}`, why: "the HTML report's browser tests", present: () => executable(CHROMIUM) },
  { name: 'python3 on the PATH', why: "the Python peer's parity tests", present: () => onPath('python3') },
];

const missing = () => TOOLS.filter((t) => !t.present());

function plan() {
  if (missing().length === 0) return 'ok';
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
const hint = 'run `sudo bash .ci/install-test-tools.sh` (Debian/Ubuntu: apt-get install chromium python3), then npm test again';
const needs = missing()
  .map((t) => `${t.name} (${t.why})`)
  .join(' and ');
if (what === 'stop') {
  process.stderr.write(`npm test needs ${needs}, and this machine cannot install them here (needs apt-get and root or passwordless sudo): ${hint}\n`);
  process.exit(1);
}
process.stderr.write(`npm test: missing ${needs}; installing Debian's packages (.ci/install-test-tools.sh)\n`);
const r = spawnSync('bash', [join(ROOT, '.ci', 'install-test-tools.sh')], { stdio: 'inherit' });
const still = missing();
if (r.status !== 0 || still.length > 0) {
  process.stderr.write(`npm test: installing ${still.map((t) => t.name).join(' and ') || 'the test tools'} failed (see above); ${hint}\n`);
  process.exit(1);
}
