import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../bench/errors.js';
import { loadReport, RESULTS_SCHEMA, validateReport } from '../bench/results/validate.js';
import { SCHEMA_VERSION } from '../bench/types.js';
import { syntheticReport } from './helpers/synthetic.js';

const good = (): ReturnType<typeof syntheticReport> =>
  syntheticReport({
    cases: [
      { codec: 'json', phase: 'dump' },
      { codec: 'v8', phase: 'load', state: 'oom' },
    ],
  });

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected a InputError');
}

describe('results schema', () => {
  it('accepts a complete report, with extra sections added by later versions; a known section must have its shape', () => {
    expect(validateReport(good(), 'r.json').cases).toHaveLength(2);
    const extended = { ...good(), laterSection: { anything: 1 }, cases: good().cases.map((c) => ({ ...c, extra: true })) };
    expect(() => validateReport(extended, 'r.json')).not.toThrow();
    expect(() => validateReport({ ...good(), throughput: { anything: 1 } }, 'r.json')).toThrow(/\/throughput must have required property/);
  });

  it('the schema pins the version the code writes', () => {
    const props = (RESULTS_SCHEMA as { properties: { schemaVersion: { const: number } } }).properties;
    expect(props.schemaVersion.const).toBe(SCHEMA_VERSION);
  });

  it('names the path of the first problem', () => {
    const r = good() as unknown as { cases: { runs: Record<string, unknown>[] }[] };
    r.cases[0]!.runs[1]!.wallMs = 'fast';
    expect(errorOf(() => validateReport(r, 'r.json')).message).toBe('r.json: not a results report: /cases/0/runs/1/wallMs must be number');
    const s = good() as unknown as { cases: Record<string, unknown>[] };
    s.cases[0]!.state = 'exploded';
    expect(errorOf(() => validateReport(s, 'r.json')).message).toMatch(
      /\/cases\/0\/state must be equal to one of the allowed values: ok, lossy, failed, oom, timeout/,
    );
    const { environment: _dropped, ...noEnv } = good();
    expect(errorOf(() => validateReport(noEnv, 'r.json')).message).toMatch(/\(top level\) must have required property 'environment'/);
  });

  it('unsupported schemaVersion says which are supported', () => {
    expect(errorOf(() => validateReport({ ...good(), schemaVersion: 4 }, 'r.json')).message).toBe(
      'r.json: unsupported schemaVersion 4; this version of footprint reads schemaVersion 1, 2, 3',
    );
    expect(errorOf(() => validateReport({ hello: 1 }, 'x.json')).message).toMatch(/not a results report \(no schemaVersion field\)/);
    expect(errorOf(() => validateReport([1, 2], 'x.json')).message).toMatch(/found an array/);
  });

  it('loadReport: missing file, not JSON, a valid file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'footprint-validate-'));
    expect(errorOf(() => loadReport(path.join(dir, 'nope.json'))).message).toMatch(/nope\.json: no such file$/);
    writeFileSync(path.join(dir, 'bad.json'), '{"schemaVersion": 1,');
    expect(errorOf(() => loadReport(path.join(dir, 'bad.json'))).message).toMatch(/bad\.json: not JSON \(/);
    // a text file: JSON.parse quotes it, newline included; the error stays one line
    writeFileSync(path.join(dir, 'host.txt'), 'vm\n');
    expect(errorOf(() => loadReport(path.join(dir, 'host.txt'))).message).toMatch(/^[^\n]*host\.txt: not JSON \([^\n]*\)$/);
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(good()));
    expect(loadReport(path.join(dir, 'ok.json')).environment.node).toBe('v20.20.2');
  });
});
