import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineDataset } from '../bench/data/dataset.js';
import { checkDatasetModule } from '../bench/data/module-check.js';
import { DatasetModuleError, loadDatasetModule, MODULE_DEFAULT_N, nameFromFile } from '../bench/data/module.js';
import { DATASET_NAMES } from '../bench/data/registry.js';
import { footprint } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-dsmod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module file in the scratch folder; `body` is its JavaScript. */
function moduleFile(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

const GOOD_SCHEMA = `{ kind: 'record', name: 'Item', fields: [{ name: 'id', type: { kind: 'int32' } }, { name: 'label', type: { kind: 'string' } }] }`;
const goodGenerate = (expr = '{ id: i, label: "item " + i }') =>
  `export function generate(n, seed) { const out = new Array(n); for (let i = 0; i < n; i++) out[i] = ${expr}; return out; }`;

async function refusal(path: string): Promise<string> {
  try {
    const def = await loadDatasetModule(path, DATASET_NAMES);
    checkDatasetModule(def, path, 5000, 42);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetModuleError);
    const msg = (err as Error).message;
    expect(msg.split('\n')).toHaveLength(1); // one line
    expect(msg.startsWith(`dataset module ${path}: `)).toBe(true);
    return msg.slice(`dataset module ${path}: `.length);
  }
  throw new Error(`${path} was accepted`);
}

describe('--dataset-module: the reader’s own dataset', () => {
  it('the example module loads, passes the checks, and verifies through the data model', async () => {
    const path = 'examples/orders-dataset.mjs';
    const def = await loadDatasetModule(path, DATASET_NAMES);
    expect(def.name).toBe('orders');
    expect(def.defaultN).toBe(200_000);
    checkDatasetModule(def, path, 5000, 42);
    const ds = defineDataset(def);
    const rows = ds.generate(300, 42) as { items: { qty: number }[] }[];
    expect(ds.verify(rows, 300, 42, () => ds.expectedChecksum(300, 42)).verified).toBe(true);
    rows[17]!.items[1]!.qty += 1;
    const v = ds.verify(rows, 300, 42, () => ds.expectedChecksum(300, 42));
    expect(v.verified).toBe(false);
    expect(v.error).toContain('record 17: .items[1].qty int32 4 came back as 5');
  });

  it('named exports or one default object; name from the file; default N', async () => {
    const named = moduleFile('My_Data.v2.mjs', `export const schema = ${GOOD_SCHEMA};\n${goodGenerate()}`);
    const def = await loadDatasetModule(named, DATASET_NAMES);
    expect(def.name).toBe('my-data-v2');
    expect(def.defaultN).toBe(MODULE_DEFAULT_N);
    expect(def.generate(3, 1)).toHaveLength(3);
    const cjs = moduleFile(
      'items.cjs',
      `module.exports = { schema: ${GOOD_SCHEMA}, generate(n) { return Array.from({ length: n }, (_, i) => ({ id: i, label: 'x' })); } };`,
    );
    expect((await loadDatasetModule(cjs, DATASET_NAMES)).name).toBe('items');
    expect(nameFromFile('/x/2024 sales.mjs')).toBe('data-2024-sales');
  });

  it('each bad module is refused with one line naming the file and what is wrong', async () => {
    expect(await refusal(moduleFile('data.ts', 'export const schema = {};'))).toMatch(
      /not a JavaScript module \(expected \.js, \.mjs, \.cjs; compile TypeScript first\)/,
    );
    expect(await refusal(join(dir, 'missing.mjs'))).toBe('no such file');
    expect(await refusal(moduleFile('broken.mjs', 'export const schema = {'))).toMatch(/^cannot be imported: \S/);
    // a package the module imports is missing: the module is there, its import is what fails
    expect(await refusal(moduleFile('needs.mjs', "import 'no-such-package-footprint';\nexport const schema = {};"))).toMatch(
      /^cannot be imported: .*Cannot find package 'no-such-package-footprint'/,
    );
    expect(await refusal(moduleFile('noschema.mjs', `export const name = 'x';\n${goodGenerate()}`))).toBe('exports no `schema` (exports: name, generate)');
    expect(
      await refusal(
        moduleFile('badkind.mjs', `export const schema = { kind: 'record', name: 'R', fields: [{ name: 'a', type: { kind: 'float' } }] };\n${goodGenerate()}`),
      ),
    ).toMatch(/^schema: fields\[0\] \(a\): unknown kind "float" \(kinds: f64, /);
    expect(await refusal(moduleFile('nogen.mjs', `export const schema = ${GOOD_SCHEMA};`))).toMatch(/`generate` must be a function/);
    expect(await refusal(moduleFile('clash.mjs', `export const name = 'tuples';\nexport const schema = ${GOOD_SCHEMA};\n${goodGenerate()}`))).toMatch(
      /`name` "tuples" is a built-in dataset/,
    );
  });

  it('a generator that is not deterministic, depends on n, or returns values that do not fit is refused', async () => {
    expect(
      await refusal(moduleFile('random.mjs', `export const schema = ${GOOD_SCHEMA};\n${goodGenerate('{ id: Math.floor(Math.random() * 1e9), label: "x" }')}`)),
    ).toMatch(/^generate\(1000, 42\) gave different records on two calls \(first difference \[0\]\.id\)/);
    expect(await refusal(moduleFile('byn.mjs', `export const schema = ${GOOD_SCHEMA};\n${goodGenerate('{ id: n, label: "x" }')}`))).toMatch(
      /^generate\(10, 42\) is not the first 10 records of generate\(1000, 42\) \(first difference \[0\]\.id\): record i must not depend on n/,
    );
    expect(await refusal(moduleFile('misfit.mjs', `export const schema = ${GOOD_SCHEMA};\n${goodGenerate('{ id: i === 3 ? 2.5 : i, label: "x" }')}`))).toBe(
      'record 3: .id is 2.5 (number), expected int32',
    );
    expect(await refusal(moduleFile('short.mjs', `export const schema = ${GOOD_SCHEMA};\nexport function generate(n) { return []; }`))).toBe(
      'generate(1000, 42) returned 0 records, expected an array of 1000 records',
    );
  });
});

describe('footprint run --dataset-module (the real CLI)', () => {
  const run = (args: string[]) => footprint(['run', ...args]);

  it("measures the reader's dataset beside the tuples, the cross-dataset table first, and n/a where a format has no mapping", async () => {
    const out = join(dir, 'cli', 'r.json');
    const r = await run([
      '--dataset-module',
      'examples/orders-dataset.mjs',
      '--datasets',
      'tuples,orders',
      '--n',
      '200',
      '--repeats',
      '1',
      '--codecs',
      'json,v8,text',
      '--phases',
      'dump,load',
      '--no-sizes',
      '--memory-only',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const orders = report.cases
      .filter((c: { dataset: string }) => c.dataset === 'orders')
      .map((c: { codec: string; phase: string; state: string }) => `${c.codec} ${c.phase} ${c.state}`);
    expect(orders).toEqual(['json dump ok', 'json load ok', 'v8 dump ok', 'v8 load ok', 'text dump n/a', 'text load n/a']);
    // the dump children read what the records hold outside the heap (orders: no array buffers, so about none)
    const ordersData = report.data.find((d: { dataset: string }) => d.dataset === 'orders');
    expect(ordersData.externalBytes).toEqual(expect.any(Number));
    expect(Math.abs(ordersData.externalBytes)).toBeLessThan(64 * 1024);
    const ordersCase = report.cases.find((c: { dataset: string; codec: string }) => c.dataset === 'orders' && c.codec === 'json');
    expect(ordersCase.reproduce).toContain('--dataset orders --dataset-module ');
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md.indexOf('## Does the ranking hold for your shape?')).toBeLessThan(md.indexOf('## Dataset `tuples`'));
    expect(md).toContain('| format | dump: tuples | dump: orders | load: tuples | load: orders |');
  });

  it('a bad module is one line naming it, exit 2, and nothing written', async () => {
    const out = join(dir, 'cli-bad', 'r.json');
    const bad = moduleFile('bad-cli.mjs', `export const schema = ${GOOD_SCHEMA};\n${goodGenerate('{ id: i === 3 ? 2.5 : i, label: "x" }')}`);
    const r = await run(['--dataset-module', bad, '--n', '100', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`footprint: dataset module ${bad}: record 3: .id is 2.5 (number), expected int32`]);
    expect(existsSync(out)).toBe(false);
  });
});
