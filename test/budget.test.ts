import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../bench/errors.js';
import { finishRun, parseRunExtras } from '../bench/cli/run-extras.js';
import { checkBudgets, parseBudget } from '../bench/run/budget.js';
import { syntheticReport } from './helpers/synthetic.js';

const MiB = 1024 * 1024;
// json dump: extra peak RSS around 200 MiB (±1%), wall around 1.5 s
const report = syntheticReport({
  n: [1000],
  cases: [
    { codec: 'json', phase: 'dump' },
    { codec: 'v8', phase: 'load', base: { peakRssIncrementBytes: 100 * MiB } },
    { codec: 'text', phase: 'load', state: 'oom' },
  ],
});
const measured = report.cases[0]!.summary.peakRssIncrementBytes!.median;

describe('parseBudget', () => {
  it('reads codec.phase.metric<=value unit[@n=N], with or without the unit suffix', () => {
    expect(parseBudget('json.dump.peakRssIncrement<=250MiB')).toMatchObject({
      codec: 'json',
      phase: 'dump',
      metric: 'peakRssIncrementBytes',
      limit: 250 * MiB,
    });
    expect(parseBudget('v8.load.peakHeapLiveIncrementBytes <= 1.5 GiB @n=1_000_000')).toMatchObject({
      metric: 'peakHeapLiveIncrementBytes',
      limit: 1.5 * 1024 * MiB,
      n: 1_000_000,
    });
    expect(parseBudget('*.*.wall<=20s')).toMatchObject({ codec: '*', phase: '*', metric: 'wallMs', limit: 20_000 });
    expect(parseBudget('text.load.cpuMs<=900ms').limit).toBe(900);
    // a dataset before the codec; without it, every dataset
    expect(parseBudget('logs.json.dump.peakRssIncrement<=1.5MiB')).toMatchObject({ dataset: 'logs', codec: 'json', phase: 'dump', limit: 1.5 * MiB });
    expect(parseBudget('json.dump.peakRssIncrement<=1MiB').dataset).toBe('*');
  });

  it('rejects malformed budgets with one line naming the budget', () => {
    const bad: [string, RegExp][] = [
      ['json.dump.peakRssIncrement>250MiB', /expected \[DATASET\.\]CODEC\.PHASE\.METRIC<=VALUE UNIT/],
      ['a.b.json.dump.peakRssIncrement<=1MiB', /expected \[DATASET\.\]CODEC/],
      ['json.write.peakRssIncrement<=1MiB', /unknown phase 'write'/],
      ['json.dump.peakRam<=1MiB', /unknown figure 'peakRam'/],
      // absolute figures carry the process's own baseline: not a codec's budget
      ['json.dump.peakRss<=1GiB', /unknown figure 'peakRss'; use one of peakRssIncrement, peakHeapLiveIncrement, peakExternalIncrement/],
      ['json.dump.peakExternal<=1GiB', /unknown figure 'peakExternal'/],
      ['json.dump.peakRssIncrement<=250MB', /unit 'MB' does not fit peakRssIncrementBytes; use B, KiB, MiB, GiB/],
      ['json.dump.wall<=3MiB', /unit 'MiB' does not fit wallMs; use ms, s/],
      ['json.dump.peakRssIncrement<=250MiB@n=1.5', /not a whole number/],
    ];
    for (const [text, pattern] of bad) {
      expect(() => parseBudget(text), text).toThrow(InputError);
      expect(() => parseBudget(text), text).toThrow(pattern);
    }
  });
});

describe('checkBudgets with datasets', () => {
  const two = syntheticReport({
    n: [1000],
    cases: [
      { codec: 'json', phase: 'dump' },
      { dataset: 'logs', codec: 'json', phase: 'dump', base: { peakRssIncrementBytes: 400 * MiB } },
      { dataset: 'logs', codec: 'text', phase: 'dump', state: 'n/a' },
    ],
  });

  it('a budget without a dataset holds every dataset; with one, that dataset only; n/a cases are never held to one', () => {
    const every = checkBudgets(two, [parseBudget('*.dump.peakRssIncrement<=300MiB')]);
    expect(every.map((v) => v.message.split(':')[0])).toEqual(['logs.json.dump.peakRssIncrementBytes n=1000']);
    expect(every[0]).toMatchObject({ dataset: 'logs', codec: 'json' });
    expect(checkBudgets(two, [parseBudget('tuples.json.dump.peakRssIncrement<=300MiB')])).toEqual([]);
    expect(checkBudgets(two, [parseBudget('logs.json.dump.peakRssIncrement<=300MiB')])).toHaveLength(1);
    // the n/a case is no case to hold: the budget matches nothing, and says so
    const na = checkBudgets(two, [parseBudget('logs.text.dump.peakRssIncrement<=300MiB')]);
    expect(na.map((v) => v.message)).toEqual([
      "budget 'logs.text.dump.peakRssIncrement<=300MiB' matches no case in the report (cases: json.dump@n=1000, logs.json.dump@n=1000)",
    ]);
  });
});

describe('checkBudgets', () => {
  it('a budget below the measured peak fails, one above passes', () => {
    const below = parseBudget(`json.dump.peakRssIncrement<=${Math.floor(measured / MiB) - 1}MiB`);
    const above = parseBudget(`json.dump.peakRssIncrement<=${Math.ceil(measured / MiB) + 1}MiB`);
    const v = checkBudgets(report, [below]);
    expect(v).toHaveLength(1);
    expect(v[0]!.measured).toBe(measured);
    expect(v[0]!.message).toMatch(/^json\.dump\.peakRssIncrementBytes n=1000: median \d+\.\d+ MiB exceeds the budget of \d+ MiB by \d\.\d+ MiB/);
    expect(checkBudgets(report, [above])).toEqual([]);
  });

  it('wildcards check every matching case; @n restricts', () => {
    const all = parseBudget('*.*.peakRssIncrement<=150MiB');
    const v = checkBudgets(report, [all]);
    // json (200 MiB) exceeds, v8 (100 MiB) holds, text is oom: nothing measured
    expect(v.map((x) => `${x.codec}.${x.phase}`)).toEqual(['json.dump', 'text.load']);
    expect(v[1]!.message).toMatch(/case oom, nothing measured/);
    expect(checkBudgets(report, [parseBudget('v8.load.peakRssIncrement<=150MiB@n=1000')])).toEqual([]);
  });

  it('a budget that matches no case is a violation, not a silent pass', () => {
    const v = checkBudgets(report, [parseBudget('msgpack.dump.peakRssIncrement<=1GiB')]);
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toMatch(/matches no case in the report \(cases: json\.dump@n=1000, v8\.load@n=1000, text\.load@n=1000\)/);
    expect(checkBudgets(report, [parseBudget('json.dump.peakRssIncrement<=1GiB@n=5000')])).toHaveLength(1);
  });

  it('a clone case (no file written) is never held to a file-size budget', () => {
    const clone = syntheticReport({
      cases: [
        { codec: 'structuredClone', phase: 'clone' },
        { codec: 'json', phase: 'dump' },
      ],
    });
    const v = checkBudgets(clone, [parseBudget('*.*.fileBytes<=1B')]);
    expect(v.map((x) => `${x.codec}.${x.phase}`)).toEqual(['json.dump']);
  });
});

describe('finishRun (the run command after runSuite)', () => {
  it('exit 1 and a list when a budget is exceeded; writes the github-action-benchmark file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'footprint-budget-'));
    const file = path.join(dir, 'gab.json');
    const extras = parseRunExtras({ budget: ['json.dump.peakRssIncrement<=100MiB', 'v8.load.wall<=60s'], 'export-github-benchmark': file });
    const r = finishRun(report, extras);
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(/budget exceeded \(1\):\n {2}json\.dump\.peakRssIncrementBytes n=1000: median/);
    const entries = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    expect(entries).toHaveLength(10);
    const ok = finishRun(report, parseRunExtras({ budget: ['json.dump.peakRssIncrement<=300MiB'] }));
    expect(ok).toEqual({ exitCode: 0, message: 'budgets: all 1 held\n' });
    expect(() => parseRunExtras({ budget: ['nonsense'] })).toThrow(InputError);
  });
});
