/**
 * `footprint report RESULTS.json --brief`: a short markdown for pasting into a
 * design document or an issue: the question and the summary, the headline
 * chart (as an image link to the PNG written next to the results), the
 * default case table and the environment in one line. Pure: the CLI writes
 * the images.
 */
import type { Report } from '../types.js';
import { renderAnswerMarkdown } from './answer.js';
import { hasSeveralDatasets, isNotApplicable } from './datasets.js';
import { renderCaseTable, renderSummaryAndTable } from './markdown.js';
import { formatCount, formatMiB } from './units.js';

/** Where the run ran and on what, in one line. */
export function environmentLine(report: Report): string {
  const e = report.environment;
  const c = report.config;
  const date = (report.finishedAt ?? report.startedAt).slice(0, 10);
  return [
    `Node ${e.node} (V8 ${e.v8})`,
    `${e.platform}/${e.arch}`,
    `${e.cpuModel}, ${e.cores} cores, ${formatMiB(e.totalMemoryBytes)} RAM`,
    `N = ${c.n.map(formatCount).join(', ')}, seed ${c.seed}, ${c.repeats} fresh processes per case`,
    `flags ${e.nodeFlags.join(' ') || 'none'}`,
    `commit ${e.gitCommit ?? 'unknown'}`,
    `${report.interrupted ? 'interrupted' : report.finishedAt ? 'finished' : 'started'} ${date}`,
  ].join(' · ');
}

/** The brief markdown; `chartFile` is the headline PNG's path relative to where the markdown will live (omitted: no image line). */
export function renderBrief(report: Report, chartFile?: string): string {
  // one dataset: the summary, the chart, the table (as before datasets); several: each dataset's summary and table
  const several = hasSeveralDatasets(report);
  const parts = several ? [renderSummaryAndTable(report)] : [renderAnswerMarkdown(withoutNotApplicable(report))];
  if (chartFile && !several) parts.push(`![Extra peak RSS per format, dump and load](${chartFile})`);
  if (!several) parts.push(renderCaseTable(withoutNotApplicable(report)));
  parts.push(environmentLine(report));
  return `${parts.join('\n\n')}\n`;
}

function withoutNotApplicable(report: Report): Report {
  return { ...report, cases: report.cases.filter((c) => !isNotApplicable(c)) };
}
