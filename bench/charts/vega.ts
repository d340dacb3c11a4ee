/**
 * Rendering charts to SVG strings with vega-lite + vega.
 *
 * Why vega-lite: a chart is a plain JSON spec (easy to build from the results
 * JSON and to test without rendering), it has log scales, layered rules and
 * error bars built in, and vega renders SVG headlessly in Node with
 * `renderer: 'none'` + `toSVG()`: pure JavaScript, no DOM shim (Observable
 * Plot needs linkedom/jsdom) and no native build (node-canvas is not needed
 * for SVG). The same spec could be opened in the Vega editor.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { MIB } from '../report/units.js';
import type { CaseResult, Phase, Report } from '../types.js';

export type { TopLevelSpec };

/** One chart of the report: an id for anchors/tests, a title, how to read it, the SVG. */
export interface ChartFigure {
  id: string;
  title: string;
  caption: string;
  svg: string;
}

/** MiB = 1024² bytes (the reporters' one definition, bench/report/units.ts), the unit of every chart axis. */
export { MIB };
export const toMiB = (bytes: number): number => bytes / MIB;

/** Shared look: readable fonts, no chart border, fixed codec colours (set per chart from the report). */
export const BASE_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * 28 distinguishable codec colours: tableau10, then eighteen more of other hues and
 * shades. A named 10-colour scheme repeats after ten, and the default suite charts 24
 * series (22 codecs and 2 clone variants); tableau20/category20 pair light and dark
 * shades of one hue, which read as related.
 */
export const CODEC_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#000000',
  '#17becf',
  '#bcbd22',
  '#393b79',
  '#e7298a',
  '#66a61e',
  '#a6761d',
  '#7570b3',
  '#d95f02',
  '#1b9e77',
  '#8c564b',
  '#637939',
  '#843c39',
  '#7b4173',
  '#3182bd',
  '#31a354',
  '#fd8d3c',
  '#969696',
];

/** Codec colours are the same in every chart: the domain is the report's codec list, in order. */
export function codecColor(report: Report): { field: 'codec'; type: 'nominal'; title: string; scale: { domain: string[]; range: string[] } } {
  return { field: 'codec', type: 'nominal', title: 'codec', scale: { domain: codecOrder(report), range: [...CODEC_PALETTE] } };
}

export function codecOrder(report: Report): string[] {
  const seen = new Set<string>(report.config.codecs);
  for (const c of report.cases) seen.add(c.codec);
  return [...seen];
}

/** Cases the charts show: only 'ok' ones (lossy and failed cases are in the table, not ranked). */
export function chartableCases(report: Report): CaseResult[] {
  return report.cases.filter((c) => c.state === 'ok' && c.runs.length > 0);
}

/** The N values the report measured, ascending. */
export function sortedNs(report: Report): number[] {
  const ns = new Set<number>(report.config.n);
  for (const c of report.cases) ns.add(c.n);
  return [...ns].sort((a, b) => a - b);
}

/** Phases in the report's order, then any others present. */
export function phaseOrder(report: Report): Phase[] {
  const seen = new Set<Phase>(report.config.phases);
  for (const c of report.cases) seen.add(c.phase);
  return [...seen];
}

export function formatN(n: number): string {
  return n.toLocaleString('en-US');
}
