/**
 * The one markdown table builder: every markdown table the suite writes (report, brief, compare, sizes,
 * throughput, explain, sizeof, runtimes, Python peer) is made here, so they share one escaping, one spelling of
 * alignment and one shape of row. Pure: cells in, text out. GitHub-flavoured markdown, no padding to widths
 * (the tables are read rendered, and a diff of a re-rendered report then shows only the cells that changed).
 */

/** Words left-aligned, figures right-aligned (as the HTML case table's `numeric` columns). */
export type Align = 'left' | 'right';

export interface TableColumn {
  header: string;
  /** Default 'left'. */
  align?: Align;
}

/**
 * One cell's text, made safe for a table row. A `|` ends a cell in GitHub-flavoured markdown even inside a code
 * span, so it is escaped as `\|` (which GFM turns back into `|`, also in code); a newline would end the row, so it
 * becomes a space. Codec names, error messages, function names and report labels can hold either.
 */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(markdownCell).join(' | ')} |`;
}

/** A markdown table: the header row, the alignment row, one row per entry of `rows` (cells in column order). */
export function markdownTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string {
  if (columns.length === 0) throw new RangeError('markdownTable: a table needs at least one column');
  rows.forEach((r, i) => {
    // a short or long row would shift every later cell under the wrong header: a bug in the caller
    if (r.length !== columns.length) throw new RangeError(`markdownTable: row ${i} has ${r.length} cells for ${columns.length} columns`);
  });
  const alignment = `|${columns.map((c) => (c.align === 'right' ? '--:' : '---')).join('|')}|`;
  return [row(columns.map((c) => c.header)), alignment, ...rows.map(row)].join('\n');
}

/** Columns from headers: `right(header, index)` says which hold figures (right-aligned); the others are left-aligned. */
export function columnsOf(headers: readonly string[], right: (header: string, index: number) => boolean = () => false): TableColumn[] {
  return headers.map((header, i) => ({ header, align: right(header, i) ? 'right' : 'left' }));
}
