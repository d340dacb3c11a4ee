/**
 * Where the CLI sends a run's report besides its JSON: the markdown after every saved change, the
 * HTML (with its charts) once at the end. Reporters stay pure functions; this is where their text is
 * written, next to the results file.
 */
import { htmlPathFor, markdownPathFor } from '../run/orchestrator.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderPeerMarkdown } from '../report/python-peer.js';
import { writeFileAtomic } from '../results/io.js';
import type { ReportSink } from '../types.js';

export const MARKDOWN_SINK: ReportSink = {
  save: (report, outFile) => writeFileAtomic(markdownPathFor(outFile), renderMarkdown(report)),
};

export const HTML_SINK: ReportSink = {
  finish: async (report, outFile) => {
    // loaded on first use: vega takes a second to load
    const { renderHtml } = await import('../html/page.js');
    writeFileAtomic(htmlPathFor(outFile), await renderHtml(report));
  },
};

/** The suite's report files: `<results>.md` and `<results>.html` next to `<results>.json`. */
export const REPORT_SINKS: readonly ReportSink[] = [MARKDOWN_SINK, HTML_SINK];

/** The Python peer's markdown (`<results>.md`), after every save. */
export const PEER_MARKDOWN_SINK: ReportSink = {
  save: (report, outFile) => writeFileAtomic(markdownPathFor(outFile), renderPeerMarkdown(report)),
};
