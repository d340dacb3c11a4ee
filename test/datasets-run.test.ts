/**
 * The run keyed by dataset (issue 24, design §10 a8/b1): a run of two datasets plans each codec on
 * each, a codec that cannot carry a dataset is an n/a case per phase with its reason and no child,
 * the report has each dataset's data, description and section, and the exit code takes n/a as fine.
 * The second dataset is a test-only one (test/helpers/test-dataset.ts), added to the registry by a mock.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { nestedDefinition } from './helpers/test-dataset.js';

vi.mock('../bench/data/registry.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../bench/data/registry.js')>();
  const { defineDataset } = await import('../bench/data/dataset.js');
  const { nestedDefinition: nested } = await import('./helpers/test-dataset.js');
  const def = nested as unknown as import('../bench/data/dataset.js').DatasetDefinition;
  return {
    ...orig,
    DATASET_NAMES: [...orig.DATASET_NAMES, 'nested'],
    getDefinition: async (name: string) => (name === 'nested' ? def : orig.getDefinition(name)),
    getDataset: async (name: string) => (name === 'nested' ? defineDataset(def) : orig.getDataset(name)),
  };
});

const { runSuite } = await import('../bench/run/orchestrator.js');
const { renderMarkdown, renderSummaryAndTable } = await import('../bench/report/markdown.js');
const { renderBrief } = await import('../bench/report/brief.js');
const { renderHtml } = await import('../bench/html/page.js');
const { validateReport } = await import('../bench/results/validate.js');
const { datasetRuns, parseDatasetList } = await import('../bench/cli/dataset-flags.js');

const dir = mkdtempSync(join(tmpdir(), 'footprint-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A codec module written for the tuples alone (no forDataset). */
const RECORDS_CODEC = join(process.cwd(), 'examples/msgpack-records-codec.mjs');
/** Why the text family cannot carry `nested` (its tags are a list). */
const TEXT_NA = 'a list has no CSV form (a line holds a fixed set of fields)';

describe('--datasets and --n', () => {
  it('--datasets all is a preset for the flags not given: one repeat, throughput at half budget, said on one line', async () => {
    const { parseRunFlags } = await import('../bench/cli/run.js');
    const out = ['--out', join(dir, 'preset.json')];
    const all = await parseRunFlags(['--datasets', 'all', ...out]);
    expect(all.repeats).toBe(1);
    expect(all.throughput).toMatchObject({ timeMs: 75, warmupTimeMs: 50, iterations: 12, processes: 2 });
    expect(all.brotli).toBe(false);
    expect(all.presetLine).toBe(
      '--datasets all: 1 repeat per case (give --repeats 3 for spreads and modes: three times the children); throughput at half its time budget; ' +
        'in 2 processes; no brotli among the compressed sizes (--brotli adds it)',
    );
    const given = await parseRunFlags(['--datasets', 'all', '--repeats', '3', '--bench-time', '150', '--throughput-processes', '3', '--brotli', ...out]);
    expect(given.repeats).toBe(3);
    expect(given.throughput).toMatchObject({ timeMs: 150, processes: 3 });
    expect(given.brotli).toBeUndefined();
    expect(given.presetLine).toBeUndefined();
    const one = await parseRunFlags(['--datasets', 'logs', ...out]);
    expect(one.repeats).toBe(3);
    expect(one.throughput).toMatchObject({ timeMs: 150, processes: 3 });
    expect(one.brotli).toBeUndefined();
    expect(one.presetLine).toBeUndefined();
    expect((await parseRunFlags(['--no-brotli', ...out])).brotli).toBe(false);
  });

  it('selects datasets in the order given, all in the registry order; N per dataset from --n, name=N items or the default', async () => {
    expect(parseDatasetList(undefined)).toEqual(['tuples']);
    expect(parseDatasetList('nested,tuples')).toEqual(['nested', 'tuples']);
    expect(parseDatasetList('all')).toEqual(['tuples', 'logs', 'mesh', 'documents', 'blobs', 'nested']);
    expect(() => parseDatasetList('tuples,nope')).toThrow(/--datasets: unknown dataset 'nope'; datasets: tuples, logs, mesh, documents, blobs, nested, or all/);
    expect(await datasetRuns(['tuples', 'nested'], undefined)).toEqual([
      { name: 'tuples', n: [1_000_000] },
      { name: 'nested', n: [nestedDefinition.defaultN] },
    ]);
    expect(await datasetRuns(['tuples', 'nested'], '2e3,1e3')).toEqual([
      { name: 'tuples', n: [1000, 2000] },
      { name: 'nested', n: [1000, 2000] },
    ]);
    expect(await datasetRuns(['tuples', 'nested'], 'nested=30,1e3')).toEqual([
      { name: 'tuples', n: [1000] },
      { name: 'nested', n: [30] },
    ]);
    await expect(datasetRuns(['tuples'], 'nested=30')).rejects.toThrow(/--n nested=30: 'nested' is not a dataset of this run/);
    await expect(datasetRuns(['tuples', 'nested'], 'nested=abc')).rejects.toThrow(
      /--n nested=abc: nested's N must be an integer ≥ 1 \(1e6 notation is fine\), got "abc"/,
    );
    await expect(datasetRuns(['tuples'], 'tuples=0')).rejects.toThrow(/--n tuples=0: tuples's N must be an integer ≥ 1/);
  });
});

describe('a run of two datasets, one that no codec carries', async () => {
  const outFile = join(dir, 'two.json');
  const lines: string[] = [];
  const { report, allOk } = await runSuite({
    n: [30, 200],
    datasets: [
      { name: 'tuples', n: [200] },
      { name: 'nested', n: [30] },
    ],
    seed: 42,
    repeats: 1,
    // text cannot carry a list (tags); a codec module written for the tuples (no forDataset) carries them alone
    codecs: ['text', 'msgpack-records'],
    phases: ['dump', 'load'],
    maxOldSpaceSizeMb: 512,
    timeoutMs: 60_000,
    sampleMs: 0,
    outFile,
    nodeBinary: process.execPath,
    codecModules: [RECORDS_CODEC],
    jobs: 2,
    sizes: false,
    sizeof: false,
    onProgress: (l) => lines.push(l),
  });

  it('runs the tuples as before and plans the other dataset as n/a cases, one per phase, with the reason and no runs', () => {
    expect(report.cases.map((c) => `${c.dataset} ${c.codec} ${c.phase} ${c.n} ${c.state}`)).toEqual([
      'tuples text dump 200 ok',
      'tuples text load 200 ok',
      'tuples msgpack-records dump 200 ok',
      'tuples msgpack-records load 200 ok',
      'nested text dump 30 n/a',
      'nested text load 30 n/a',
      'nested msgpack-records dump 30 n/a',
      'nested msgpack-records load 30 n/a',
    ]);
    for (const c of report.cases.filter((x) => x.dataset === 'nested')) {
      expect(c.runs).toEqual([]);
      expect(c.error).toBe(
        c.codec === 'text' ? `n/a: ${TEXT_NA} (tags)` : `n/a: ${c.codec} has no mapping for the dataset nested yet (it carries the tuples only)`,
      );
    }
    // the tuples' reproduce lines say nothing of a dataset (as before datasets)
    expect(report.cases.filter((c) => c.dataset === 'tuples').every((c) => !c.reproduce.includes('--dataset'))).toBe(true);
    expect(lines.some((l) => /^nested: n\/a for text, msgpack-records/.test(l))).toBe(true);
    expect(allOk).toBe(true); // n/a is fine for the exit code
  });

  it('records each dataset: configuration, description, data rows per (dataset, n)', () => {
    expect(report.schemaVersion).toBe(3);
    expect(report.config.datasets).toEqual([
      { name: 'tuples', n: [200] },
      { name: 'nested', n: [30] },
    ]);
    expect(report.datasets.nested).toMatchObject({ name: 'nested', description: nestedDefinition.description, defaultN: 50 });
    expect(report.datasets.nested!.lines.join('\n')).toMatch(/tags/);
    expect(report.datasets.tuples!.intrinsicBytesPerRecord).toBe(36);
    expect(report.data.map((d) => [d.dataset, d.n])).toEqual([
      ['tuples', 200],
      ['nested', 30],
    ]);
    expect(report.data[0]!.intrinsicBytes).toBe(200 * 36);
    expect(report.data[0]!.heapBytes).toBeGreaterThan(0); // measured by the tuples' dumps
    // nested: the expect pass's intrinsic bytes (int32 + f64 + one or two one-letter tags a record)
    expect(report.data[1]!.intrinsicBytes).toBeGreaterThanOrEqual(30 * 13);
    expect(report.data[1]!.intrinsicBytes).toBeLessThanOrEqual(30 * 14);
    expect(report.data[1]!.heapBytes).toBeNull(); // no dump ran
    // the file on disk is a valid schema-3 report
    expect(() => validateReport(JSON.parse(readFileSync(outFile, 'utf8')), outFile)).not.toThrow();
  });

  it('the markdown has a section per dataset, in run order, with its description, schema, data and its n/a list with reasons', () => {
    const md = renderMarkdown(report);
    const tuples = md.indexOf('## Dataset `tuples`');
    const nested = md.indexOf('## Dataset `nested`');
    expect(tuples).toBeGreaterThan(0);
    expect(nested).toBeGreaterThan(tuples);
    const section = md.slice(nested, md.indexOf('## How each figure was measured'));
    expect(section).toContain('Test orders: an id, a price and a list of tags.');
    expect(section).toMatch(/record Order/);
    expect(section).toMatch(/N = 30: intrinsic/);
    expect(section).toContain('No format could carry this dataset: nothing was measured.');
    // interrupted before any of its cases was recorded, the section says that instead (not "no format could carry")
    const cut = renderMarkdown({ ...report, interrupted: true, cases: report.cases.filter((c) => c.dataset !== 'nested') });
    expect(cut.slice(cut.indexOf('## Dataset `nested`'))).toContain('Interrupted before any case of this dataset was recorded');
    expect(cut).not.toContain('No format could carry this dataset');
    expect(section).toContain('### Not applicable: formats that cannot carry nested');
    expect(section).toContain(`- \`text\` (dump, load): ${TEXT_NA} (tags)`);
    // the tuples' section has its tables; the n/a cases are in no table and not among the problems
    const tuplesSection = md.slice(tuples, nested);
    expect(tuplesSection).toContain('### Every case');
    expect(tuplesSection).not.toContain('n/a');
    expect(md).not.toContain('## Cases that did not pass');
  });

  it("the HTML has a section per dataset with its description and n/a reasons, then the tuples' own summary and tables", async () => {
    const html = await renderHtml(report);
    const nested = html.split('<section id="dataset-nested">')[1]!.split('</section>')[0]!;
    expect(nested).toContain('Test orders: an id, a price and a list of tags.');
    expect(nested).toContain(TEXT_NA);
    expect(html).toContain('<section id="dataset-tuples">');
    expect(html).toContain('<section id="tuples-cases">');
    expect(html).not.toContain('<section id="nested-cases">');
    expect(html.indexOf('<section id="dataset-tuples">')).toBeLessThan(html.indexOf('<section id="dataset-nested">'));
  });

  it("what the run prints at its end and the brief: each dataset's summary and table under its name, the n/a reasons", () => {
    for (const text of [renderSummaryAndTable(report), renderBrief(report)]) {
      expect(text.indexOf('## Dataset `tuples`')).toBeGreaterThanOrEqual(0);
      expect(text.indexOf('## Dataset `nested`')).toBeGreaterThan(text.indexOf('## Dataset `tuples`'));
      expect(text).toContain('- `msgpack-records` (dump, load): msgpack-records has no mapping for the dataset nested yet (it carries the tuples only)');
      expect(text).toContain('| text | dump |');
    }
  });
});
