/**
 * Report -> the input of github-action-benchmark with `tool: customSmallerIsBetter`:
 * a JSON array of `{ name, unit, value, range?, extra? }` (the action's
 * BenchmarkResult; `range` and `extra` are free text shown in its charts).
 * One entry per ok case and figure; every figure here is smaller-is-better, and every memory
 * figure an increment over the child's baseline (as compare and budgets use them).
 * Pure: the caller writes the file.
 */
import { caseKey } from '../results/case-key.js';
import type { Report, RunMetric } from '../types.js';
import { MIB } from './units.js';
import { spreadOf } from '../results/summary.js';

export interface GithubBenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/** Figures exported, with the unit shown in the action's charts. */
const EXPORTED: { metric: RunMetric; label: string; unit: 'MiB' | 'ms'; scale: number }[] = [
  { metric: 'peakRssIncrementBytes', label: 'extra peak RSS', unit: 'MiB', scale: 1 / MIB },
  { metric: 'peakHeapLiveIncrementBytes', label: 'extra peak live heap', unit: 'MiB', scale: 1 / MIB },
  { metric: 'peakExternalIncrementBytes', label: 'extra peak external', unit: 'MiB', scale: 1 / MIB },
  { metric: 'wallMs', label: 'wall time', unit: 'ms', scale: 1 },
  { metric: 'fileBytes', label: 'file size', unit: 'MiB', scale: 1 / MIB },
];

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export function toGithubBenchmark(report: Report): GithubBenchmarkEntry[] {
  const out: GithubBenchmarkEntry[] = [];
  const node = report.environment.node;
  for (const c of report.cases) {
    if (c.state !== 'ok') continue; // n/a, lossy, failed: no figure to chart
    for (const e of EXPORTED) {
      if (e.metric === 'fileBytes' && c.phase === 'clone') continue; // a clone writes no file: 0 B is not a size
      const values = c.runs.map((r) => r[e.metric]).filter((v): v is number => typeof v === 'number');
      if (values.length === 0) continue;
      const { median, min, max } = spreadOf(values);
      out.push({
        // the tuples' names as before datasets (existing series continue); another dataset's `logs: json dump n=…`
        name: `${caseKey(c)}: ${e.label}`,
        unit: e.unit,
        value: round(median * e.scale),
        range: `± ${round(((max - min) / 2) * e.scale)}`,
        extra: `median of ${values.length} runs (min ${round(min * e.scale)}, max ${round(max * e.scale)} ${e.unit}); node ${node}`,
      });
    }
  }
  return out;
}

export function renderGithubBenchmark(report: Report): string {
  return `${JSON.stringify(toGithubBenchmark(report), null, 2)}\n`;
}
