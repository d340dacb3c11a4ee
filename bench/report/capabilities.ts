/**
 * A runtime's capability table (what it measures, what not, and why), as markdown: for the report, the matrix
 * and the Python peer's report. Here rather than beside the probe (bench/measure/capabilities.ts), which the
 * measuring layer imports: presentation stays out of measurement.
 */
import type { RuntimeCapabilities } from '../types.js';
import { markdownTable } from './table.js';

/** The capability table of one runtime, as markdown. */
export function renderCapabilityTable(c: RuntimeCapabilities): string {
  const mark = { yes: 'yes', differs: 'measured, not comparable', no: 'not measured' } as const;
  return markdownTable(
    [{ header: `${c.name} ${c.version} (${c.engine})` }, { header: 'status' }, { header: 'how, or why not' }],
    c.rows.map((r) => [r.what, mark[r.status], r.detail]),
  );
}
