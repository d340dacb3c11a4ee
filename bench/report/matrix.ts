/**
 * The matrix's text (`footprint matrix`): one status line per version, the comparison against the
 * baseline, and with --runtime the runtime sections; as markdown (comparison.md), HTML
 * (comparison.html) and the terminal's summary. Pure: the matrix's result in, text out.
 */
import type { MatrixResult, VersionOutcome } from '../matrix/matrix.js';
import { reportLabel, statusName } from '../matrix/matrix.js';
import { renderCompareHtml, renderCompareMarkdown, renderCompareTable } from './compare.js';
import { renderRuntimeSections } from './runtimes.js';

/** One line per version: its report, or why it has none, its cases not ok, its budget. */
export function statusLines(outcomes: readonly VersionOutcome[]): string[] {
  return outcomes.map((o) => {
    if (o.skipped) return `${statusName(o.spec)}: SKIPPED: ${o.skipped}`;
    if (o.error) return `${statusName(o.spec)}: FAILED: ${o.error}`;
    const r = o.result!;
    const bad = r.report.cases.filter((c) => c.state !== 'ok').map((c) => `${c.codec} ${c.phase} n=${c.n}: ${c.state}`);
    const budget = o.budget?.message
      ? `; ${o.budget.message
          .trim()
          .replace(/:\n\s*/, ': ')
          .replace(/\n\s*/g, '; ')}`
      : '';
    const peer = o.spec.name === 'python' ? ' (peer group)' : '';
    return `${statusName(o.spec)}: ${o.node!.version} (${o.node!.binary}) -> ${o.outFile}${peer}${bad.length ? `; not ok: ${bad.join(', ')}` : ''}${r.report.interrupted ? '; interrupted' : ''}${budget}`;
  });
}

export interface MatrixText {
  markdown: string;
  /** Absent when nothing was compared. */
  html?: string;
  /** The comparison's terminal table ('' when nothing was compared). */
  table: string;
  /** The runtime sections (--runtime), '' otherwise. */
  runtimeTables: string;
  status: string[];
  /** Every note, the baseline's fallback first. */
  notes: string[];
}

export function renderMatrix(result: MatrixResult): MatrixText {
  const { plan, compared } = result;
  const status = statusLines(result.outcomes);
  const title = plan.byRuntime ? 'Runtime matrix' : 'Node version matrix';
  let markdown = `# ${title}\n\n${status.map((s) => `- ${s}`).join('\n')}\n`;
  for (const n of result.notes) markdown += `\n> **Note:** ${n}\n`;
  let table = '';
  let html: string | undefined;
  if (compared) {
    table = renderCompareTable(compared.comparison);
    html = renderCompareHtml(compared.comparison, `${title}: ${compared.labelled.map((l) => l.label).join(', ')}`);
    markdown += `\n${renderCompareMarkdown(compared.comparison).replace(/^# Comparison/, '## Comparison')}`;
  } else {
    markdown += `\n${result.uncompared}\n`;
  }
  let runtimeTables = '';
  if (plan.byRuntime) {
    runtimeTables = renderRuntimeSections(
      result.ran.map((o) => ({ label: reportLabel(o), report: o.result!.report })),
      result.python?.result?.report,
      result.python?.skipped,
    );
    markdown += `\n${runtimeTables}`;
  }
  const notes = [...result.notes, ...(result.uncompared ? [result.uncompared] : [])];
  return { markdown, ...(html !== undefined ? { html } : {}), table, runtimeTables, status, notes };
}

/** The terminal's summary after the files are written. */
export function renderMatrixSummary(text: MatrixText, files: { markdown: string; html?: string }): string {
  return `\n${text.status.join('\n')}\n${text.notes.map((n) => `note: ${n}\n`).join('')}\n${text.table}\n${text.runtimeTables ? `${text.runtimeTables}\n` : ''}comparison: ${files.markdown}${files.html !== undefined ? `, ${files.html}` : ''}\n`;
}
