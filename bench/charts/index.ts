/** Every chart of a report, in the order the HTML report shows them. */
import type { Report } from '../types.js';
import { headlineChart } from './headline.js';
import { memoryOverTimeCharts } from './memory-over-time.js';
import { sweepCharts } from './sweep.js';
import { type ChartFigure, phaseOrder } from './vega.js';

export type { ChartFigure };

export async function renderCharts(report: Report): Promise<ChartFigure[]> {
  const phases = phaseOrder(report);
  const headline = await headlineChart(report);
  return [...(headline ? [headline] : []), ...(await memoryOverTimeCharts(report, phases)), ...(await sweepCharts(report, phases))];
}
