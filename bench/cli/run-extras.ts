/**
 * The CI flags of `footprint run`: `--budget` (repeatable) and
 * `--export-github-benchmark FILE`. Kept here so `bench/cli/run.ts` adds them
 * with three lines (spread the options, parse the extras before running,
 * call `finishRun` after `runSuite`).
 */
import { renderGithubBenchmark } from '../report/github-benchmark.js';
import { writeFileAtomic } from '../results/io.js';
import { checkBudgets, parseBudget, renderBudgetResult, type Budget } from '../run/budget.js';
import type { Report } from '../types.js';
import { EXIT } from './errors.js';

/** node:util parseArgs option definitions to spread into the run command's options. */
export const RUN_EXTRA_OPTIONS = {
  budget: { type: 'string', multiple: true },
  'export-github-benchmark': { type: 'string' },
} as const;

export const RUN_EXTRA_HELP = `  --budget SPEC          fail (exit 1) when a median exceeds a limit; repeatable.
                         SPEC = [DATASET.]CODEC.PHASE.METRIC<=VALUE UNIT[@n=N], e.g.
                         'json.dump.peakRssIncrement<=250MiB', '*.load.wall<=20s@n=1000000',
                         'logs.json.dump.peakRssIncrement<=300MiB' (no dataset: every one)
  --export-github-benchmark FILE
                         also write the results for github-action-benchmark
                         (tool: customSmallerIsBetter) to FILE
`;

export interface RunExtras {
  budgets: Budget[];
  githubBenchmarkFile?: string;
}

/** Validate the extra flags before anything runs (a bad budget is exit 2, not a wasted run). */
export function parseRunExtras(values: { budget?: string[] | undefined; 'export-github-benchmark'?: string | undefined }): RunExtras {
  const extras: RunExtras = { budgets: (values.budget ?? []).map(parseBudget) };
  if (values['export-github-benchmark'] !== undefined) extras.githubBenchmarkFile = values['export-github-benchmark'];
  return extras;
}

/**
 * After `runSuite`: write the github-action-benchmark file and check the
 * budgets. Returns the exit code contribution (1 when a budget is exceeded)
 * and the lines to print on stderr.
 */
export function finishRun(
  report: Report,
  extras: RunExtras,
  write: (path: string, text: string) => void = writeFileAtomic,
): { exitCode: number; message: string } {
  let message = '';
  if (extras.githubBenchmarkFile !== undefined) {
    write(extras.githubBenchmarkFile, renderGithubBenchmark(report));
    message += `github-action-benchmark data: ${extras.githubBenchmarkFile}\n`;
  }
  const violations = checkBudgets(report, extras.budgets);
  message += renderBudgetResult(extras.budgets, violations);
  return { exitCode: violations.length > 0 ? EXIT.failed : EXIT.ok, message };
}
