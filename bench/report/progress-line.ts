/** The one line printed when a case finishes. Pure. */
import type { CaseResult } from '../types.js';
import { formatMiB, formatMs } from './units.js';

/** The tuples' lines are as they always were; another dataset's case is named with it, as the status line does (`logs: json dump`). */
export function progressLine(done: number, total: number, c: CaseResult, variant?: string): string {
  const dataset = c.dataset && c.dataset !== 'tuples' ? `${c.dataset}: ` : '';
  const head = `[${done}/${total}] ${dataset}${c.codec} ${c.phase} n=${c.n.toLocaleString('en-US')}`;
  const s = c.summary.peakRssIncrementBytes;
  const t = c.summary.wallMs;
  const figures = s && t ? `: peak RSS ${formatMiB(s.median, { signed: true })}, ${formatMs(t.median)} (median of ${c.runs.length})` : '';
  return `${head}${figures} ${c.state}${c.state !== 'ok' && c.error ? ` (${c.error.split('\n')[0]})` : ''}${variant ? ` [${variant}]` : ''}`;
}
