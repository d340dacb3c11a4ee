/**
 * `footprint report <results.json> [--html FILE] [--markdown FILE] [--png DIR]`:
 * renders a results file again, without measuring anything. With no output
 * flag it writes the HTML report next to the JSON (same name, `.html`).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { SCHEMA_VERSION, type Report } from '../types.js';
import { EXIT, UsageError } from './errors.js';

const HELP = `usage: footprint report <results.json> [--html FILE] [--markdown FILE] [--png DIR]

Renders a results file (from \`footprint run\`) again; measures nothing.
  --html FILE      self-contained HTML report: table, charts, environment, reproduce commands
                   (default when no output flag is given: <results>.html next to the JSON)
  --markdown FILE  the markdown table
  --png DIR        every chart as a PNG (DIR/<chart-id>.png)
`;

/** Reads and shape-checks a results file; a bad file is a usage error (one line, exit 2). */
export function loadReportFile(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read results file '${path}': ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`results file '${path}' is not valid JSON: ${(err as Error).message}`);
  }
  const r = value as Partial<Report> | null;
  const missing =
    typeof r !== 'object' || r === null
      ? 'an object'
      : typeof r.schemaVersion !== 'number'
        ? 'schemaVersion'
        : !Array.isArray(r.cases)
          ? 'cases[]'
          : !Array.isArray(r.data)
            ? 'data[]'
            : typeof r.environment !== 'object' || r.environment === null
              ? 'environment'
              : typeof r.config !== 'object' || r.config === null || !Array.isArray(r.config.n)
                ? 'config.n[]'
                : null;
  if (missing) throw new UsageError(`results file '${path}' is not a footprint report (no ${missing})`);
  if (r!.schemaVersion !== SCHEMA_VERSION) {
    throw new UsageError(`results file '${path}' has schemaVersion ${r!.schemaVersion}; this footprint reads ${SCHEMA_VERSION}`);
  }
  return r as Report;
}

/** Write-then-rename, so an interrupted write never leaves half a report. */
function writeFileAtomic(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

async function renderMarkdownFromMain(report: Report): Promise<string> {
  // The markdown reporter belongs to the core suite (bench/report/markdown.ts).
  const specifier = '../report/markdown.js';
  const mod = (await import(specifier)) as { renderMarkdown: (r: Report) => string };
  return mod.renderMarkdown(report);
}

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
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`report takes one results file, got ${positionals.length}; see footprint report --help`);
  const input = positionals[0]!;
  const data = loadReportFile(input);
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
    writeFileAtomic(values.markdown, await renderMarkdownFromMain(data));
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
