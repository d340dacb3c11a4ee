/** The run's time breakdown as one line (pure: results -> text). */
import type { ProgressStatus, Report, RunBreakdown } from '../types.js';

/** 291 s, 1:23 style: seconds below two minutes, m:ss above. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * `time: 4:51 wall (jobs 2; load average 1.9 at start) - child start 31 s, ...`.
 * Child parts are summed over children, which overlap when jobs > 1.
 */
export function renderBreakdownLine(t: RunBreakdown): string {
  const parts: [string, number][] = [
    ['child start', t.childStartMs],
    ['data generation', t.dataGenerationMs],
    ['expected checksum', t.expectedChecksumMs],
    ['settle+baseline', t.settleBaselineMs],
    ['phase', t.phaseMs],
    ['after phase', t.afterPhaseMs],
    ['verification', t.verificationMs],
    ['child exit', t.exitMs],
    ['load inputs', t.prepareInputsMs],
    ['sizes', t.sizesMs],
    ...(t.importsMs !== undefined ? ([['import costs', t.importsMs]] as [string, number][]) : []),
    ['throughput', t.throughputMs],
    ['sizeof', t.sizeofMs],
    ['idle orchestration', t.idleMs],
  ];
  const overlap = t.jobs > 1 ? `; children's parts overlap, summed over ${t.jobs} jobs` : '';
  return (
    `time: ${formatDuration(t.wallMs)} wall (jobs ${t.jobs}; load average ${t.loadAverageStart[0] ?? '?'} at start, ${t.loadAverageEnd[0] ?? '?'} at end${overlap}) - ` +
    parts.map(([label, ms]) => `${label} ${formatDuration(ms)}`).join(', ') +
    `; dumps verified by a fresh process ${t.verifiedFresh}${t.verifiedByLoadRun !== undefined ? ` (${t.verifiedByLoadRun} by their load's run)` : ''}, by identity ${t.verifiedByIdentity}` +
    `; sizes measured ${t.sizesMeasured}, reused ${t.sizesReused}`
  );
}

/**
 * `time by dataset (child time summed, with its compressed sizes): tuples 9:12, logs 7:40, …`: where a
 * run of several datasets spent its children's time, from each case's runs and the sizes rows. Empty
 * for a run of one dataset.
 */
export function renderDatasetTimeLine(report: Pick<Report, 'config' | 'cases' | 'sizes'>): string {
  const names = report.config.datasets.map((d) => d.name);
  if (names.length < 2) return '';
  const ms = new Map(names.map((n) => [n, 0]));
  for (const c of report.cases) if (c.timing) ms.set(c.dataset, (ms.get(c.dataset) ?? 0) + c.timing.totalMs + c.timing.prepareInputMs);
  for (const r of report.sizes ?? []) {
    const compressions = [r.gzip, r.brotli, r.zstd].filter((x) => typeof x === 'object' && x !== null) as { ms: number }[];
    ms.set(r.dataset, (ms.get(r.dataset) ?? 0) + compressions.reduce((sum, x) => sum + x.ms, 0));
  }
  return `time by dataset (children and compressed sizes, summed over the jobs): ${names.map((n) => `${n} ${formatDuration(ms.get(n) ?? 0)}`).join(', ')}`;
}

/** The live status line: cases and runs done, what runs, elapsed and the ETA. */
export function renderStatusLine(s: ProgressStatus, nowMs: number): string {
  const eta = s.etaAtMs === null ? 'ETA after the first run' : `about ${formatDuration(Math.max(0, s.etaAtMs - nowMs))} left for the memory cases`;
  const running = s.running.length > 0 ? ` - running ${s.running.join(', ')}` : '';
  return `[${s.casesDone}/${s.casesTotal} cases, ${s.runsDone}/${s.runsTotal} runs] ${formatDuration(nowMs - s.startedMs)} elapsed, ${eta}${running}`;
}
