/**
 * `footprint compare A.json B.json [C.json ...]`: B, C... against the baseline A.
 */
import path from 'node:path';
import { compareReports, DEFAULT_THRESHOLDS, type LabelledReport, type Thresholds } from '../compare/compare.js';
import { renderCompareHtml, renderCompareJson, renderCompareMarkdown, renderCompareTable } from '../report/compare.js';
import { loadReport } from '../results/validate.js';
import { BYTE_UNITS, TIME_UNITS } from '../units.js';
import type { Report } from '../types.js';
import { EXIT, UsageError } from './errors.js';
import { parseFlags } from './args.js';

export const summary = 'compare reports (baseline first): medians, change, 95% CI, adjusted significance';

export const help = `usage: footprint compare A.json B.json [C.json ...] [flags]

Compares every report against the first (the baseline), case by case
(codec, phase, n): extra peak RSS, extra peak live heap, extra peak external
(increments over each child's baseline), wall time, file size, and the
throughput of each codec. A change is shown only when it is shown to exceed both
the relative threshold and the absolute floor of its kind: its 95% interval
lies beyond them, and the t-test against them (Welch's, on the logarithms;
paired by round for interleaved runs) stays below 0.05 after Benjamini–Hochberg
within its family (memory, time, throughput); otherwise ~. Identical runs are =.
A memory figure whose runs fall in modes is shown by its upper mode (†) and
compared as modes. Time and throughput are judged only between reports measured
in interleaved rounds (footprint matrix). See docs/compare.md.

flags:
  --markdown            print markdown instead of the terminal table
  --json                print the comparison as JSON
  --html                print a self-contained HTML page of the comparison
  --force               compare even when the reports measured different data (n, seed)
  --threshold SPEC      relative thresholds and absolute floors (inclusive):
                        'mem=2%/4MiB,time=5%/5ms,tput=5%' (the default), 'time=10'
                        (one threshold), 'mem=1MiB' (one floor), or '3' (3% for
                        memory and time)
  --help                this text

exit codes: 0 compared, 2 bad flags or a file that is not a results report
(or reports of different data without --force).
`;

const FLOOR_UNITS: Record<'memory' | 'time', Readonly<Record<string, number>>> = { memory: BYTE_UNITS, time: TIME_UNITS };

/**
 * Parse `--threshold`: per kind (mem, time) a relative threshold in percent and/or an absolute
 * floor with its unit, joined by '/', and tput= a throughput threshold: 'mem=2%/4MiB,time=5%/5ms,tput=5%' (the default), 'time=10',
 * 'mem=1MiB', or '3' (3% for both kinds, floors unchanged). A change must exceed both.
 */
export function parseThresholds(spec: string): Thresholds {
  const out: Thresholds = { ...DEFAULT_THRESHOLDS };
  const example = 'e.g. --threshold mem=2%/4MiB,time=5%/5ms,tput=5%';
  const percent = (text: string): number => {
    const v = Number(text.trim().replace(/%$/, ''));
    if (text.trim() === '' || !Number.isFinite(v) || v < 0) {
      throw new UsageError(`--threshold: '${text}' is not a non-negative percentage or floor (${example})`);
    }
    return v / 100;
  };
  if (!spec.includes('=')) {
    const v = percent(spec);
    return { ...out, memory: v, time: v };
  }
  for (const part of spec.split(',')) {
    const [key, value, ...extra] = part.split('=');
    if (value === undefined || extra.length > 0) throw new UsageError(`--threshold: '${part}' is not KEY=VALUE (${example})`);
    const k = key!.trim();
    if (k === 'tput' || k === 'throughput') {
      out.throughput = percent(value);
      continue;
    }
    const kind = k === 'mem' || k === 'memory' ? 'memory' : k === 'time' ? 'time' : null;
    if (!kind) throw new UsageError(`--threshold: unknown key '${k}'; use mem, time and/or tput (${example})`);
    for (const item of value.split('/')) {
      const m = /^\s*([0-9.]+)\s*([A-Za-z]+)\s*$/.exec(item);
      if (m) {
        const unit = FLOOR_UNITS[kind][m[2]!];
        const v = Number(m[1]);
        if (unit === undefined || !Number.isFinite(v)) {
          throw new UsageError(`--threshold: '${item}' is not a ${kind} floor; units: ${Object.keys(FLOOR_UNITS[kind]).join(', ')} (${example})`);
        }
        if (kind === 'memory') out.memoryFloorBytes = v * unit;
        else out.timeFloorMs = v * unit;
      } else {
        out[kind] = percent(item);
      }
    }
  }
  return out;
}

/** Names the reports are shown under: the Node version when they all differ, else the file name. */
export function labelReports(files: readonly { path: string; report: Report }[]): LabelledReport[] {
  const nodes = files.map((f) => f.report.environment.node);
  const byNode = new Set(nodes).size === nodes.length;
  const bases = files.map((f) => path.basename(f.path));
  const byBase = new Set(bases).size === bases.length;
  return files.map((f, i) => ({
    label: byNode ? `node ${nodes[i]!.replace(/^v?/, 'v')}` : byBase ? bases[i]! : f.path,
    report: f.report,
    source: f.path,
  }));
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('compare', {
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      markdown: { type: 'boolean' },
      json: { type: 'boolean' },
      html: { type: 'boolean' },
      force: { type: 'boolean' },
      threshold: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  if ([values.markdown, values.json, values.html].filter(Boolean).length > 1) {
    throw new UsageError('compare: choose one of --markdown, --json and --html');
  }
  if (positionals.length < 2) {
    throw new UsageError('compare: give at least two results files, the baseline first (footprint compare A.json B.json)');
  }
  const thresholds = values.threshold !== undefined ? parseThresholds(values.threshold) : DEFAULT_THRESHOLDS;
  const reports = labelReports(positionals.map((p) => ({ path: p, report: loadReport(p) })));
  const comparison = compareReports(reports, { force: values.force ?? false, thresholds });
  const render = values.json
    ? renderCompareJson
    : values.markdown
      ? renderCompareMarkdown
      : values.html
        ? (c: typeof comparison) => renderCompareHtml(c, `Comparison: ${reports.map((r) => r.label).join(', ')}`)
        : renderCompareTable;
  process.stdout.write(render(comparison));
  return EXIT.ok;
}
