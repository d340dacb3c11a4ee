/**
 * One case's explanation: for each view, one extra fresh child (never a measured repeat) runs
 * the same phase as the measured children, with the same flags plus the preloaded profiler hook
 * (bench/explain/hook.ts). Its .heapprofile is written under the output folder; the figures go
 * into the case's `explain` section. The explain children's own figures are kept apart, as the
 * profiler's overhead: they never replace the measured ones.
 */
import { readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildSpec } from '../measure/protocol.js';
import { mkdirp } from '../results/mkdirp.js';
import { writeFileAtomic } from '../results/io.js';
import { PROJECT_ROOT } from './paths.js';
import { runChild } from './spawn.js';
import type { CaseExplain, CaseResult, ExplainView, ExplainViewResult } from '../types.js';
import { flameTree, topFunctions, totalBytes, type RawExplain, type SourceMapper } from '../explain/profile.js';

/**
 * Mean bytes between samples. The 1M loads hold 150-210 MiB alive at their end: at 8 KiB the
 * held view got 18,000-21,000 samples there (≥ 5,000 wanted), for a profiling cost measured in
 * docs/explain.md. @default 8192
 */
export const DEFAULT_SAMPLING_INTERVAL_BYTES = 8192;
/** Functions listed per table. */
export const TOP_FUNCTIONS = 10;
/** Flame graph boxes below this share of the view are merged into their parent. */
export const FLAME_MIN_SHARE = 0.005;

export const VIEWS: readonly ExplainView[] = ['held', 'allocated'];

const HOOK = join(PROJECT_ROOT, 'dist', 'bench', 'explain', 'hook.js');

export interface ExplainOptions {
  nodeBinary: string;
  /** The measured children's flags (heap limit included); the hook's --import is added. */
  flags: string[];
  timeoutMs: number;
  /** Where the .heapprofile files go. */
  outDir: string;
  /** Results JSON folder: file names in the report are relative to it when inside it. */
  resultsDir: string;
  samplingIntervalBytes: number;
  signal?: AbortSignal;
}

/** The .heapprofile name of a case's view. */
export function profileName(codec: string, phase: string, n: number, view: ExplainView): string {
  return `${codec}-${phase}-${n}-${view}.heapprofile`;
}

/** file:// URLs of compiled .js files mapped to their .ts lines through the .js.map next to them. */
function sourceMapper(): SourceMapper {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    if (!url.startsWith('file://') || url.includes('/node_modules/')) return null;
    if (!maps.has(url)) {
      try {
        const file = fileURLToPath(url);
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]));
      } catch {
        maps.set(url, null);
      }
    }
    const map = maps.get(url);
    const e = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    if (!e?.originalSource || e.originalLine === undefined) return null;
    const src = e.originalSource.startsWith('file://') ? e.originalSource : pathToFileURL(join(dirname(fileURLToPath(url)), e.originalSource)).href;
    return { url: src, line: e.originalLine };
  };
}

/** Run the explain children of one case (its load input must exist) and summarize their profiles. */
export async function explainCase(spec: ChildSpec, measured: CaseResult | undefined, opts: ExplainOptions): Promise<CaseExplain> {
  mkdirp(opts.outDir);
  const result: CaseExplain = { samplingIntervalBytes: opts.samplingIntervalBytes };
  const errors: string[] = [];
  const map = sourceMapper();
  // a dump's explain child writes its own file, so a failing one cannot spoil the loads' input
  const child: ChildSpec = spec.phase === 'dump' ? { ...spec, file: `${spec.file}.explain` } : spec;
  for (const view of VIEWS) {
    if (opts.signal?.aborted) break;
    const name = profileName(spec.codec, spec.phase, spec.n, view);
    const path = join(opts.outDir, name);
    const rawPath = `${path}.raw.json`;
    const outcome = await runChild(child, {
      nodeBinary: opts.nodeBinary,
      flags: [...opts.flags, '--import', pathToFileURL(HOOK).href],
      timeoutMs: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      env: { FOOTPRINT_EXPLAIN_OUT: rawPath, FOOTPRINT_EXPLAIN_VIEW: view, FOOTPRINT_EXPLAIN_INTERVAL: String(opts.samplingIntervalBytes) },
    });
    let raw: RawExplain;
    try {
      if (outcome.kind !== 'result') throw new Error(outcome.kind === 'verify' || outcome.kind === 'prepared' ? 'no figures' : outcome.error.split('\n')[0]);
      raw = JSON.parse(readFileSync(rawPath, 'utf8')) as RawExplain;
    } catch (err) {
      errors.push(`${view}: the explain child failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    } finally {
      rmSync(rawPath, { force: true });
      if (child !== spec) rmSync(child.file, { force: true });
    }
    writeFileAtomic(path, JSON.stringify(raw.profile));
    const f = (outcome as Extract<typeof outcome, { kind: 'result' }>).figures;
    const total = totalBytes(raw.profile.head);
    const rel = relative(opts.resultsDir, path);
    const v: ExplainViewResult = {
      file: rel.startsWith('..') || isAbsolute(rel) ? path : rel,
      totalBytes: total,
      samples: raw.profile.samples.length,
      ...(view === 'held' && raw.liveHeapIncrementBytes > 0 ? { coverage: total / raw.liveHeapIncrementBytes } : {}),
      child: {
        peakRssIncrementBytes: f.peakRssIncrementBytes,
        peakHeapWithGarbageIncrementBytes: f.peakHeapWithGarbageIncrementBytes,
        ...(f.peakHeapLiveIncrementBytes !== undefined ? { peakHeapLiveIncrementBytes: f.peakHeapLiveIncrementBytes } : {}),
        peakExternalIncrementBytes: f.peakExternalIncrementBytes,
        wallMs: f.wallMs,
        endHeapIncrementBytes: raw.endHeapIncrementBytes,
        liveHeapIncrementBytes: raw.liveHeapIncrementBytes,
      },
      ...topFunctions(raw.profile, { limit: TOP_FUNCTIONS, root: PROJECT_ROOT, map }),
      flame: flameTree(raw.profile, { minShare: FLAME_MIN_SHARE, root: PROJECT_ROOT, map }),
    };
    result[view] = v;
  }
  const rss = measured?.summary.peakRssIncrementBytes?.median;
  if (result.held && rss && rss > 0) result.heldShareOfPeakRss = result.held.totalBytes / rss;
  if (errors.length) result.errors = errors;
  return result;
}
