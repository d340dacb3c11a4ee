/**
 * `footprint report <results.json> [--html FILE] [--markdown FILE] [--png DIR] [--brief]`:
 * renders a results file again, without measuring anything. With no output
 * flag it writes the HTML report next to the JSON (same name, `.html`).
 */
import { basename, join } from 'node:path';
import { renderMarkdown } from '../report/markdown.js';
import { writeFileAtomic } from '../results/io.js';
import { loadReport } from '../results/validate.js';
import { EXIT, UsageError } from './errors.js';
import { parseFlags } from './args.js';

export const summary = 'render a results JSON again: HTML report, markdown, PNG charts, --brief';

export const help = `usage: footprint report <results.json> [--html FILE] [--markdown FILE] [--png DIR] [--brief]

Renders a results file (from \`footprint run\`) again; measures nothing.
  --html FILE      self-contained HTML report: table, charts, environment, reproduce commands
                   (default when no output flag is given: <results>.html next to the JSON)
  --markdown FILE  the markdown table
  --png DIR        every chart as a PNG (DIR/<chart-id>.png)
  --brief          prints a short markdown to paste (the summary, one table, the environment in one
                   line) and writes the headline chart next to the JSON: <results>.headline.svg and .png
`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags('report', {
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      html: { type: 'string' },
      markdown: { type: 'string' },
      png: { type: 'string' },
      brief: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`report takes one results file, got ${positionals.length}; see footprint report --help`);
  const input = positionals[0]!;
  const data = loadReport(input); // schema-checked: a bad file is one line, exit 2
  // Loaded only now: vega is large, and main.ts imports every command's module.
  const [{ renderHtml }, { renderCharts }, { svgToPng }] = await Promise.all([
    import('../html/page.js'),
    import('../charts/index.js'),
    import('../charts/png.js'),
  ]);

  const onlyDefault = values.markdown === undefined && values.png === undefined && !values.brief;
  const htmlPath = values.html ?? (onlyDefault ? input.replace(/(\.json)?$/i, '.html') : undefined);
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
  if (values.brief) {
    // stdout carries only the markdown, so it can be piped or pasted; the files written go to stderr
    const [{ headlineChart }, { renderBrief }] = await Promise.all([import('../charts/headline.js'), import('../report/brief.js')]);
    const chart = await headlineChart(data);
    const stem = input.replace(/(\.json)?$/i, '.headline');
    if (chart) {
      writeFileAtomic(`${stem}.svg`, chart.svg);
      writeFileAtomic(`${stem}.png`, await svgToPng(chart.svg));
      process.stderr.write(`wrote ${stem}.svg\nwrote ${stem}.png\n`);
    }
    process.stdout.write(renderBrief(data, chart ? basename(`${stem}.png`) : undefined));
  }
  return EXIT.ok;
}
