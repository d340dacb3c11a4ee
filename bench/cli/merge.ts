/**
 * `footprint merge SHARD.json... --out FILE [--allow-partial]`: one report from the reports of the
 * shards of a plan (`footprint run --shard K/N`), written with its markdown and HTML like a run's.
 * The checks are bench/run/merge-shards.ts's; every refusal is one line and exit 2.
 */
import { resolve } from 'node:path';
import { writeJsonAtomic } from '../results/io.js';
import { lockOutput } from '../results/lock.js';
import { loadReport } from '../results/validate.js';
import { mergeShards } from '../run/merge-shards.js';
import { htmlPathFor, markdownPathFor } from '../run/orchestrator.js';
import { parseFlags } from './args.js';
import { checkWritable } from './run.js';
import { EXIT, UsageError } from './errors.js';
import { REPORT_SINKS } from './sinks.js';
import { finishRun, parseRunExtras, RUN_EXTRA_HELP, RUN_EXTRA_OPTIONS } from './run-extras.js';

export const summary = 'merge the reports of the shards of one plan (run --shard K/N) into one report';

export const help = `usage: footprint merge SHARD.json [SHARD.json ...] --out FILE [--allow-partial] [--budget SPEC] [--export-github-benchmark FILE]

Joins the reports of \`footprint run --shard K/N\` (or of one variant of \`footprint matrix
--shard K/N\`: merge each variant's file on its own, e.g. every shard's node20.json into one
node20.json) into one report, with its markdown and HTML next to it. Each case keeps the
machine that measured it (case.shard and merged.shards[].environment in the JSON).

Refused, with one line and exit 2: shards of different configurations (seed, N, repeats,
codecs, phases, Node and its flags, git commit, package versions, plan), a shard given
twice or a case measured twice, and missing shards or cases (named).

  --out FILE        the merged results JSON (.md and .html next to it)
  --allow-partial   merge even with shards or cases missing: the report is marked partial
                    and lists the missing cases
${RUN_EXTRA_HELP}  --help            this text

Exit codes: 0 merged (1 when a merged case is not ok or lossy, the report is partial or
interrupted, or a --budget is exceeded); 2 bad flags or shards that cannot be merged (nothing written).
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('merge', {
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'allow-partial': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...RUN_EXTRA_OPTIONS,
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('merge: give the shard reports to merge (footprint merge --help)');
  if (values.out === undefined) throw new UsageError('merge: --out FILE is required');
  const extras = parseRunExtras(values); // a bad --budget is exit 2 before anything is read
  const out = resolve(values.out);
  if (positionals.some((p) => resolve(p) === out)) throw new UsageError(`merge: --out ${values.out} is one of the shards; write the merged report elsewhere`);
  const inputs = positionals.map((source) => ({ source, report: loadReport(source) })); // schema-checked: one line, exit 2
  const report = mergeShards(inputs, { allowPartial: values['allow-partial'] === true });
  checkWritable(out);
  const lock = lockOutput(out);
  try {
    writeJsonAtomic(out, report);
    for (const sink of REPORT_SINKS) sink.save?.(report, out);
    for (const sink of REPORT_SINKS) await sink.finish?.(report, out);
  } finally {
    lock.release();
  }
  const partial = report.merged?.partial;
  const hosts = [...new Set(report.merged!.shards.map((s) => s.host ?? 'unknown host'))];
  process.stderr.write(
    `footprint: merged ${inputs.length} of ${report.merged!.count} shards (${report.cases.length} cases, measured on ${hosts.join(', ')})${partial ? `; PARTIAL: ${partial.missing.length} cases missing` : ''}\n`,
  );
  process.stdout.write(`results: ${out}\nmarkdown: ${markdownPathFor(out)}\nhtml: ${htmlPathFor(out)}\n`);
  // the budgets and the github-action-benchmark export of the whole plan, as a run writes them
  const post = finishRun(report, extras);
  process.stderr.write(post.message);
  const ok = !partial && !report.interrupted && report.cases.every((c) => (c.state === 'ok' || c.state === 'lossy') && !c.incomplete);
  return ok && post.exitCode === EXIT.ok ? EXIT.ok : EXIT.failed;
}
