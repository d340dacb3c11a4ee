/** Every chart of a report, in the order the HTML report shows them. */
import type { Report } from '../types.js';
import { memoryOverTimeCharts } from './memory-over-time.js';
import { peakBarsChart } from './peak-bars.js';
import { sweepCharts } from './sweep.js';
import { type ChartFigure, phaseOrder } from './vega.js';

export type { ChartFigure };

export async function renderCharts(report: Report): Promise<ChartFigure[]> {
  const phases = phaseOrder(report);
  const bars = await peakBarsChart(report);
  return [...(await memoryOverTimeCharts(report, phases)), ...(bars ? [bars] : []), ...(await sweepCharts(report, phases))];
}
