/**
 * The published package: packs the project as `npm publish` would (in a copy
 * of the sources, so the clean build of `prepack`/`prepare` does not touch the
 * dist/ the other tests run), checks what the tarball holds and its size,
 * installs it into a new project like any dependency, and runs
 * `npx footprint run` on a tiny case there: the bin, the results schema and the
 * child scripts must all resolve from node_modules.
 *
 * Needs the npm registry (or npm's cache) for the package's dependencies, as
 * any install does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../bench/types.js';

const ROOT = resolve('.');
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
const work = mkdtempSync(join(tmpdir(), 'footprint-package-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm package', () => {
  it('packs only what a user runs, under 1 MB; installed into a new project, npx footprint run works', { timeout: 300_000 }, () => {
    // 1. A copy of the project's files (committed and new, not ignored ones: no dist/, no results), sharing node_modules.
    const src = join(work, 'src');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    for (const f of files) {
      if (!existsSync(join(ROOT, f))) continue; // deleted but not yet committed
      mkdirSync(dirname(join(src, f)), { recursive: true });
      cpSync(join(ROOT, f), join(src, f));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));

    // 2. npm pack runs prepack (clears dist/) and prepare (tsc), as publish does. npx links the project's own bin the
    // first time (here, before the pack); the rebuilt bin must stay executable, or that link says "Permission denied".
    const npxHelp = () => spawnSync('npx', ['--no-install', 'footprint', '--help'], { cwd: src, encoding: 'utf8' });
    expect(npm(['run', 'build', '--silent'], src).status).toBe(0);
    expect(npxHelp().status).toBe(0);
    const pkgDir = join(work, 'pkg');
    mkdirSync(pkgDir);
    const pack = npm(['pack', '--json', '--pack-destination', pkgDir], src);
    expect(pack.status, pack.stderr).toBe(0);
    expect(statSync(join(src, 'dist/bench/cli/main.js')).mode & 0o111, 'the rebuilt bin is executable').toBe(0o111);
    const help = npxHelp();
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^usage: footprint <command>/);
    const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; size: number; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    expect(info!.size).toBeLessThan(1024 * 1024);
    for (const p of paths) expect(p).toMatch(/^(dist\/bench\/|docs\/|examples\/|bench\/results\/results\.schema\.json$|README\.md$|LICENSE$|package\.json$)/);
    for (const p of [
      'dist/bench/cli/main.js',
      'dist/bench/measure/child.js',
      'dist/bench/results/results.schema.json',
      'bench/results/results.schema.json',
      'README.md',
      'LICENSE',
      'docs/charts.md',
      'examples/msgpack-records-codec.mjs',
    ]) {
      expect(paths).toContain(p);
    }
    expect(paths.filter((p) => p.endsWith('.map') || p.startsWith('test/') || p.startsWith('results/'))).toEqual([]);

    // 3. A new project installs the tarball: only dependencies, no devDependencies, no build.
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const install = npm(['install', '--no-audit', '--no-fund', '--prefer-offline', join(pkgDir, info!.filename)], app);
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);

    // 4. npx footprint run on a tiny case, from the consumer's folder.
    const run = spawnSync(
      'npx',
      [
        '--no-install',
        'footprint',
        'run',
        '--n',
        '1000',
        '--repeats',
        '1',
        '--codecs',
        'json,msgpack',
        '--phases',
        'dump,load',
        '--sample-ms',
        '0',
        '--memory-only',
        '--no-sizes',
        '--out',
        'results/r.json',
      ],
      { cwd: app, encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(app, 'results', 'r.json'), 'utf8')) as Report;
    expect(report.cases.map((c) => `${c.codec} ${c.phase} ${c.state}`)).toEqual(['json dump ok', 'json load ok', 'msgpack dump ok', 'msgpack load ok']);
    expect(report.cases.every((c) => c.runs[0]!.verified)).toBe(true);
    // the codec library's version is read from the consumer's node_modules, where npm put it
    const msgpackr = JSON.parse(readFileSync(join(app, 'node_modules', 'msgpackr', 'package.json'), 'utf8')) as { version: string };
    expect(report.environment.packages.msgpackr).toBe(msgpackr.version);
    expect(report.environment.gitCommit).toBeNull(); // not the commit of the project it is installed in
    for (const ext of ['md', 'html']) expect(existsSync(join(app, 'results', `r.${ext}`))).toBe(true);

    // 5. The report command validates against the shipped schema; a case's reproduce line runs from the consumer's folder.
    const rep = spawnSync('npx', ['--no-install', 'footprint', 'report', 'results/r.json', '--brief'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(rep.status, rep.stderr).toBe(0);
    expect(existsSync(join(app, 'results', 'r.headline.png'))).toBe(true);
    const line = report.cases[0]!.reproduce;
    expect(line).toContain('node_modules/serialization-footprint/dist/bench/measure/child.js');
    const again = spawnSync('sh', ['-c', line], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(again.status, again.stderr).toBe(0);
  });
});
