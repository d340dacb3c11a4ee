/**
 * The one markdown table builder (bench/report/table.ts): shape, alignment, escaping, and that the
 * reporters use it (no hand-built separator rows left in bench/ or scripts/).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { tableColumns } from '../bench/report/columns.js';
import { renderCaseTable } from '../bench/report/markdown.js';
import { columnsOf, markdownCell, markdownTable } from '../bench/report/table.js';
import { summarize } from '../bench/results/summary.js';
import { run, syntheticReport } from './fixtures/report.js';

describe('markdownTable', () => {
  it('writes the header, the alignment row and one row per entry', () => {
    const md = markdownTable(
      [{ header: 'format' }, { header: 'size', align: 'right' }],
      [
        ['json', '1.0 MiB'],
        ['v8', ''],
      ],
    );
    expect(md).toBe('| format | size |\n|---|--:|\n| json | 1.0 MiB |\n| v8 |  |');
  });

  it('writes a table with no rows as its header and alignment', () => {
    expect(markdownTable([{ header: 'a' }], [])).toBe('| a |\n|---|');
  });

  it('escapes | and turns newlines into spaces, in cells and headers', () => {
    expect(markdownCell('a|b\nc\r\nd')).toBe('a\\|b c d');
    const md = markdownTable([{ header: 'A|B' }], [['x|y\nz']]);
    expect(md).toBe('| A\\|B |\n|---|\n| x\\|y z |');
  });

  it('renders in GFM with the cells it was given, pipes inside code spans included', () => {
    const html = marked.parse(
      markdownTable(
        [{ header: 'value' }, { header: 'bytes', align: 'right' }],
        [
          ['`[1, a|b]`', '96 B'],
          ['line one\nline two', '8 B'],
        ],
      ),
      { async: false },
    );
    expect(html).toContain('<code>[1, a|b]</code>');
    expect(html).toContain('<td>line one line two</td>');
    expect(html).toContain('<td align="right">96 B</td>');
    expect((html.match(/<tr>/g) ?? []).length).toBe(3);
  });

  it('refuses a row whose cell count differs from the columns', () => {
    expect(() => markdownTable([{ header: 'a' }, { header: 'b' }], [['1', '2'], ['3']])).toThrow(/row 1 has 1 cells for 2 columns/);
    expect(() => markdownTable([], [])).toThrow(/at least one column/);
  });

  it('columnsOf right-aligns the columns its predicate picks', () => {
    expect(columnsOf(['format', 'phase', 'MiB'], (_, i) => i >= 2)).toEqual([
      { header: 'format', align: 'left' },
      { header: 'phase', align: 'left' },
      { header: 'MiB', align: 'right' },
    ]);
  });
});

describe('the markdown case tables', () => {
  it('right-align the figures the HTML table right-aligns (the columns marked numeric)', () => {
    const runs = [run(200), run(204)];
    const report = syntheticReport([
      { dataset: 'tuples', codec: 'json', phase: 'dump', n: 1000, state: 'ok', runs, summary: summarize(runs), reproduce: 'node …' },
    ]);
    for (const kind of ['main', 'more'] as const) {
      const alignment = renderCaseTable(report, kind).split('\n')[1]!;
      const expected = tableColumns(report, kind).map((c) => (c.numeric ? '--:' : '---'));
      expect(alignment.slice(1, -1).split('|')).toEqual(expected);
      expect(expected).toContain('--:');
      expect(expected).toContain('---');
    }
  });
});

describe('every markdown table comes from the builder', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs|sh)$/.test(name) ? [p] : [];
    });

  it('no source writes an alignment row by hand', () => {
    // an alignment row literal: `|---|`, `|--:|`, `'---'` joined with '|', as the hand-built tables had
    const handMade = /\|-{2,}:?\||'-{3}:?'/;
    const offenders = [...files('bench'), ...files('scripts')].filter(
      (f) => f !== join('bench', 'report', 'table.ts') && handMade.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
