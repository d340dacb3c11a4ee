/**
 * Memory and time budgets for CI (the pytest-memray `limit_memory` idea):
 * `--budget 'json.dump.peakRssIncrement<=250MiB'`, checked against the
 * medians of a finished report. A run that exceeds any budget exits 1.
 *
 * Syntax: [DATASET.]CODEC.PHASE.METRIC<=VALUE UNIT[@n=N]
 *   DATASET        a dataset of the run (`logs.json.dump.peakRssIncrement<=…`); without it, or *, every
 *                  dataset (dataset names never contain a dot). A format's n/a cases (it cannot carry
 *                  the dataset) are never held to a budget.
 *   CODEC, PHASE   a name, or * for all
 *   METRIC         an increment over the child's baseline, a time or the file size, with or without
 *                  its unit suffix: peakRssIncrement(Bytes), peakHeapLiveIncrement(Bytes),
 *                  peakExternalIncrement(Bytes), retainedHeap(Bytes), wall(Ms), cpu(Ms), fileBytes.
 *                  Absolute figures (peakRss, peakExternal...) are refused: they include the
 *                  process's own baseline, which moves with the Node version, not the codec.
 *   UNIT           B, KiB, MiB, GiB (1024-based) for byte figures; ms, s for times
 *   @n=N           only the cases with that N (default: every N in the report)
 */
import { DEFAULT_DATASET } from '../data/registry.js';
import { median } from '../stats.js';
import type { CaseResult, Phase, Report, RunMetric } from '../types.js';
import { PHASES } from '../types.js';
import { InputError } from '../errors.js';
import { BYTE_UNITS, TIME_UNITS } from '../units.js';

/** A `--budget` that cannot be parsed. */
export class BudgetError extends InputError {
  override name = 'BudgetError';
}

export interface Budget {
  /** The budget as the user wrote it. */
  text: string;
  /** Dataset name, or '*' for every dataset (a budget of three parts). */
  dataset: string;
  /** Codec name, or '*' for every codec. */
  codec: string;
  phase: Phase | '*';
  metric: RunMetric;
  /** Limit in the metric's own unit (bytes or ms). */
  limit: number;
  /** Unit the limit was written in, for messages. */
  unit: string;
  /** Only cases with this N; undefined = every N. */
  n?: number;
}

export interface BudgetViolation {
  budget: Budget;
  /** The case that exceeded (absent when the budget matched no case). */
  dataset?: string;
  codec?: string;
  phase?: Phase;
  n?: number;
  /** Median of the case's runs, in the metric's unit; absent when nothing was measured. */
  measured?: number;
  message: string;
}

/** The figures a budget can hold: the ones compare compares, plus CPU time and the retained heap (already over the baseline). */
export const BUDGET_METRICS = [
  'peakRssIncrementBytes',
  'peakHeapLiveIncrementBytes',
  'peakExternalIncrementBytes',
  'retainedHeapBytes',
  'wallMs',
  'cpuMs',
  'fileBytes',
] as const satisfies readonly RunMetric[];

function resolveMetric(name: string, text: string): RunMetric {
  const found = BUDGET_METRICS.find((m) => m === name || m === `${name}Bytes` || m === `${name}Ms`);
  if (!found) {
    const names = BUDGET_METRICS.map((m) => m.replace(/(Bytes|Ms)$/, '')).join(', ');
    throw new BudgetError(`--budget '${text}': unknown figure '${name}'; use one of ${names}`);
  }
  return found;
}

/** Parse one `--budget` value; a malformed one is a BudgetError naming it. */
export function parseBudget(text: string): Budget {
  const m =
    /^\s*(?:([^.\s]+)\.)?([^.\s]+)\.([^.\s]+)\.([A-Za-z]+)\s*<=\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]+)\s*(?:@\s*n\s*=\s*([0-9][0-9_,.eE+]*))?\s*$/.exec(
      text,
    );
  if (!m) {
    throw new BudgetError(`--budget '${text}': expected [DATASET.]CODEC.PHASE.METRIC<=VALUE UNIT[@n=N], e.g. 'json.dump.peakRssIncrement<=250MiB'`);
  }
  const [, dataset, codec, phase, metricName, value, unit, nText] = m as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (phase !== '*' && !PHASES.includes(phase as Phase)) {
    throw new BudgetError(`--budget '${text}': unknown phase '${phase}'; use ${PHASES.join(', ')} or *`);
  }
  const metric = resolveMetric(metricName, text);
  const units = metric.endsWith('Ms') ? TIME_UNITS : BYTE_UNITS;
  const factor = units[unit];
  if (factor === undefined) {
    throw new BudgetError(
      `--budget '${text}': unit '${unit}' does not fit ${metric}; use ${Object.keys(units).join(', ')}${metric.endsWith('Bytes') ? ' (1024-based)' : ''}`,
    );
  }
  const budget: Budget = { text: text.trim(), dataset: dataset ?? '*', codec, phase: phase as Phase | '*', metric, limit: Number(value) * factor, unit };
  if (nText !== undefined) {
    const n = Number(nText.replace(/[_,]/g, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw new BudgetError(`--budget '${text}': @n=${nText} is not a whole number`);
    budget.n = n;
  }
  return budget;
}

/** `logs.` before another dataset's names than the tuples' (which read as before datasets). */
function dotted(dataset: string): string {
  return dataset === DEFAULT_DATASET ? '' : `${dataset}.`;
}

function formatIn(value: number, budget: Budget): string {
  const units = budget.metric.endsWith('Ms') ? TIME_UNITS : BYTE_UNITS;
  const v = value / units[budget.unit]!;
  return `${Number.isInteger(v) ? v : v.toFixed(Math.abs(v) >= 100 ? 1 : 2)} ${budget.unit}`;
}

function measuredMedian(c: CaseResult, metric: RunMetric): number | undefined {
  const fromSummary = c.summary[metric]?.median;
  if (fromSummary !== undefined) return fromSummary;
  const values = c.runs.map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
  return values.length > 0 ? median(values) : undefined;
}

/**
 * Every budget against every case it matches (medians of the runs). Returns
 * the violations: a figure above its limit, a matched case that measured
 * nothing (not ok), or a budget that matches no case at all (a typo must not
 * pass silently).
 */
export function checkBudgets(report: Report, budgets: readonly Budget[]): BudgetViolation[] {
  const out: BudgetViolation[] = [];
  for (const budget of budgets) {
    const matched = report.cases.filter(
      (c) =>
        // a clone writes no file: its 0 B is not a size to hold to a budget
        !(budget.metric === 'fileBytes' && c.phase === 'clone') &&
        c.state !== 'n/a' &&
        (budget.dataset === '*' || c.dataset === budget.dataset) &&
        (budget.codec === '*' || c.codec === budget.codec) &&
        (budget.phase === '*' || c.phase === budget.phase) &&
        (budget.n === undefined || c.n === budget.n),
    );
    if (matched.length === 0) {
      const have = [...new Set(report.cases.filter((c) => c.state !== 'n/a').map((c) => `${dotted(c.dataset)}${c.codec}.${c.phase}@n=${c.n}`))].join(', ');
      out.push({ budget, message: `budget '${budget.text}' matches no case in the report (cases: ${have || 'none'})` });
      continue;
    }
    for (const c of matched) {
      const where = { dataset: c.dataset, codec: c.codec, phase: c.phase, n: c.n };
      const name = `${dotted(c.dataset)}${c.codec}.${c.phase}.${budget.metric} n=${c.n}`;
      const value = c.state === 'ok' ? measuredMedian(c, budget.metric) : undefined;
      if (value === undefined) {
        out.push({ budget, ...where, message: `${name}: case ${c.state}, nothing measured to hold to '${budget.text}'` });
      } else if (value > budget.limit) {
        out.push({
          budget,
          ...where,
          measured: value,
          message: `${name}: median ${formatIn(value, budget)} exceeds the budget of ${formatIn(budget.limit, budget)} by ${formatIn(value - budget.limit, budget)} ('${budget.text}')`,
        });
      }
    }
  }
  return out;
}

/** Lines for stderr after a run with budgets. */
export function renderBudgetResult(budgets: readonly Budget[], violations: readonly BudgetViolation[]): string {
  if (budgets.length === 0) return '';
  if (violations.length === 0) return `budgets: all ${budgets.length} held\n`;
  return `budget exceeded (${violations.length}):\n${violations.map((v) => `  ${v.message}`).join('\n')}\n`;
}
