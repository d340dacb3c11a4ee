/**
 * The cross-runtime tables of `footprint matrix --runtime`: extra peak RSS of
 * every case on every JavaScript runtime side by side, the Python peer group
 * below them, and each runtime's capability table. Pure: reports in, text out.
 */
import { renderFinding, renderPeerCaseTable } from './python-peer.js';
import { formatCount, formatMiB, formatMs, formatPercent } from './units.js';
import { relativeSpread } from '../results/summary.js';
import type { Report } from '../types.js';
import { renderCapabilityTable } from './capabilities.js';
import { columnsOf, markdownTable } from './table.js';
import { V8_FORMAT_CODECS, writesV8Format } from '../measure/capabilities.js';

export interface RuntimeReport {
  /** `node v20.20.2`, `bun 1.4.5`, `deno 2.9.6`. */
  label: string;
  report: Report;
}

/**
 * One row per (format, phase, n), one column per runtime: median extra peak RSS
 * (spread over the repeats), then wall time. A case whose format differs on a
 * runtime (the v8 codecs on Bun) is marked, not hidden.
 */
export function renderCrossRuntimeTable(runtimes: readonly RuntimeReport[]): string {
  const keys: { codec: string; phase: string; n: number }[] = [];
  for (const r of runtimes) {
    for (const c of r.report.cases)
      if (!keys.some((k) => k.codec === c.codec && k.phase === c.phase && k.n === c.n)) keys.push({ codec: c.codec, phase: c.phase, n: c.n });
  }
  const multiN = new Set(keys.map((k) => k.n)).size > 1;
  const rows = keys.map((k) => [
    k.codec,
    k.phase,
    ...(multiN ? [formatCount(k.n)] : []),
    ...runtimes.map((r) => {
      const c = r.report.cases.find((x) => x.codec === k.codec && x.phase === k.phase && x.n === k.n);
      if (!c) return '—';
      if (c.state !== 'ok' || c.runs.length === 0) return c.state;
      const rss = c.summary.peakRssIncrementBytes;
      const spread = c.runs.length > 1 ? ` ±${formatPercent(relativeSpread(rss) / 2)}` : '';
      const other = V8_FORMAT_CODECS.includes(k.codec) && !writesV8Format(r.report.environment.runtime) ? ' (JSC format)' : '';
      return `${formatMiB(rss?.median, { signed: true })}${spread}, ${formatMs(c.summary.wallMs?.median)}${other}`;
    }),
  ]);
  return markdownTable(
    columnsOf(['format', 'phase', ...(multiN ? ['N'] : []), ...runtimes.map((r) => r.label)], (_, i) => i >= 2),
    rows,
  );
}

export function renderRuntimeSections(runtimes: readonly RuntimeReport[], python: Report | undefined, pythonSkipped: string | undefined): string {
  const parts: string[] = [];
  if (runtimes.length > 0) {
    parts.push(`## Extra peak RSS by runtime

Median extra peak RSS over the phase's baseline (± half the spread of the repeats), then the phase's wall time. RSS, time and file size compare across runtimes; heap figures only between V8 runtimes, and the v8 codecs only where node:v8 writes V8's format (see each runtime's table below).

${renderCrossRuntimeTable(runtimes)}
`);
  }
  if (python) {
    parts.push(`## Peer group: the original experiment in CPython ${python.peer?.version ?? ''}

Its own formats (pickle, the flat text file, json), on the same seeded data and by the same method; not compared case by case with the JavaScript runtimes.

${renderPeerCaseTable(python)}

${renderFinding(python).replace(/^## /, '### ')}`);
  } else if (pythonSkipped) {
    parts.push(`## Peer group: CPython\n\n**Skipped**: ${pythonSkipped}\n`);
  }
  const caps = [...runtimes.map((r) => r.report.environment.runtime), python?.environment.runtime].filter((c) => c !== undefined);
  if (caps.length > 0) {
    parts.push(`## What each runtime measures

Probed on each runtime. "Measured, not comparable": the figure is in that runtime's report but is left out of comparisons with another engine.

${caps.map((c) => renderCapabilityTable(c)).join('\n\n')}
`);
  }
  return parts.join('\n');
}
