/**
 * `footprint report <results.json> [--html FILE] [--markdown FILE] [--png DIR]`:
 * renders a results file again, without measuring anything. With no output
 * flag it writes the HTML report next to the JSON (same name, `.html`).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderMarkdown } from '../report/markdown.js';
import { writeFileAtomic } from '../results/io.js';
import { loadReport } from '../results/validate.js';
import { EXIT, UsageError } from './errors.js';
import { flagError } from './args.js';

const HELP = `usage: footprint report <results.json> [--html FILE] [--markdown FILE] [--png DIR]

Renders a results file (from \`footprint run\`) again; measures nothing.
  --html FILE      self-contained HTML report: table, charts, environment, reproduce commands
                   (default when no output flag is given: <results>.html next to the JSON)
  --markdown FILE  the markdown table
  --png DIR        every chart as a PNG (DIR/<chart-id>.png)
`;

export default async function report(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { html: { type: 'string' }, markdown: { type: 'string' }, png: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw flagError('report', err);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`report takes one results file, got ${positionals.length}; see footprint report --help`);
  const input = positionals[0]!;
  const data = loadReport(input); // schema-checked: a bad file is one line, exit 2
  // Loaded only now: vega is large, and main.ts imports every command's module.
  const [{ renderHtml }, { renderCharts }, { svgToPng }] = await Promise.all([
    import('../report/html.js'),
    import('../charts/index.js'),
    import('../charts/png.js'),
  ]);

  const htmlPath = values.html ?? (values.markdown === undefined && values.png === undefined ? input.replace(/(\.json)?$/i, '.html') : undefined);
  if (htmlPath !== undefined) {
    writeFileAtomic(htmlPath, await renderHtml(data));
    process.stdout.write(`wrote ${htmlPath}\n`);
  }
  if (values.markdown !== undefined) {
    writeFileAtomic(values.markdown, renderMarkdown(data));
    process.stdout.write(`wrote ${values.markdown}\n`);
  }
  if (values.png !== undefined) {
    for (const chart of await renderCharts(data)) {
      const file = join(values.png, `${chart.id}.png`);
      writeFileAtomic(file, await svgToPng(chart.svg));
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  return EXIT.ok;
}
