/**
 * Preloaded (`node --import …/hook.js`) into the extra `footprint explain` child, never into a
 * measured one. It turns on V8's sampling heap profiler when the measured window opens (after
 * the baseline GC and readings) and reads the profile when it closes, before the child's
 * post-phase GC, so the "held" view holds exactly what the phase allocated and had not yet
 * been collected. The child's own phase code (bench/measure/child.ts) runs unchanged.
 *
 * Configured by environment (removed here, so a dump's verifier process does not inherit it):
 *   FOOTPRINT_EXPLAIN_OUT       file to write {profile, endHeapIncrementBytes, ...} to
 *   FOOTPRINT_EXPLAIN_VIEW      'held' | 'allocated'
 *   FOOTPRINT_EXPLAIN_INTERVAL  mean bytes between samples
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { heapUsed, windowHooks } from '../measure/probes.js';
import { samplingParams, type ExplainView, type RawExplain, type SamplingProfile } from './profile.js';

const out = process.env.FOOTPRINT_EXPLAIN_OUT;
const view = process.env.FOOTPRINT_EXPLAIN_VIEW as ExplainView | undefined;
const interval = Number(process.env.FOOTPRINT_EXPLAIN_INTERVAL);
delete process.env.FOOTPRINT_EXPLAIN_OUT;
delete process.env.FOOTPRINT_EXPLAIN_VIEW;
delete process.env.FOOTPRINT_EXPLAIN_INTERVAL;

if (out && (view === 'held' || view === 'allocated') && interval > 0) {
  // connected now, before the baseline, so the session's own objects are not charged to the phase
  const session = new Session();
  session.connect();
  /**
   * A Session on the main thread dispatches synchronously: the callback has run when post()
   * returns. Relied on so the profile is read before anything else (a GC) can run.
   */
  const post = <T>(method: string, params?: object): T => {
    let result: T | undefined;
    let error: Error | null = null;
    let called = false;
    session.post(method, params ?? {}, (err: Error | null, res?: object) => {
      called = true;
      error = err;
      result = res as T;
    });
    if (!called) throw new Error(`inspector ${method} did not answer synchronously`);
    if (error) throw error;
    return result as T;
  };
  post('HeapProfiler.enable');
  let startedAt = 0;
  windowHooks.opened = () => {
    post('HeapProfiler.startSampling', samplingParams(view, interval));
    startedAt = performance.now();
  };
  windowHooks.closed = (end) => {
    // V8's inspector starts the sampler with kSamplingForceGC: getSamplingProfile runs a full GC
    // before it reads the samples (seen here: one MarkSweepCompact per call, also with the
    // include... flags). So the held view is what the phase left alive, not the garbage V8 had
    // not collected yet. Run that GC ourselves first and read the heap, so the live figure it is
    // compared with does not include the profile's own objects.
    (globalThis as { gc?: () => void }).gc?.();
    const liveHeapBytes = heapUsed();
    const { profile } = post<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile');
    const profiledMs = performance.now() - startedAt;
    post('HeapProfiler.stopSampling');
    const raw: RawExplain = {
      view,
      samplingIntervalBytes: interval,
      params: samplingParams(view, interval),
      endHeapIncrementBytes: end.endHeapBytes - end.baselineHeapBytes,
      liveHeapIncrementBytes: liveHeapBytes - end.baselineHeapBytes,
      endExternalBytes: end.endExternalBytes,
      profiledMs,
      profile,
    };
    writeFileSync(out, JSON.stringify(raw));
  };
}
