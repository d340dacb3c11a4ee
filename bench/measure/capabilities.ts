/**
 * What each runtime's children can measure, probed on the runtime itself
 * (bench/measure/env-probe.ts runs `probeCapabilities` under the binary the
 * children use), and which figures compare across runtimes.
 *
 * Pure functions below `probeCapabilities`: probe results in, rows and
 * comparability out; the reporters render the rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GCProfiler, getHeapStatistics, serialize } from 'node:v8';
import type { CapabilityRow, RunMetric, RuntimeCapabilities } from '../types.js';
import { currentRuntime, gcCostUnitMs, runtimeGc, type ChildRuntime } from './runtime-adapter.js';

/** What the probe found, on the runtime under test. */
export interface CapabilityProbe {
  runtime: ChildRuntime;
  /** The runtime's own version (`v20.20.2`, `1.4.5`, `2.9.6`). */
  version: string;
  /** process.versions.v8 as the runtime reports it (Bun reports the V8 version its Node API mimics). */
  v8: string;
  peakReset: boolean;
  /** How a full GC is forced. */
  gc: string;
  /** GCProfiler cost per wall ms of one forced full GC: about 1e3 for µs, 1e6 for ns; null when no GC was seen. */
  gcCostPerMs: number | null;
  /** The unit the adapter assumes for this runtime. */
  gcCostUnitAssumed: 'µs' | 'ns';
  /** `node:v8` serialize of the tuple [1.5, 20 letters, 2n**64n - 1n]. */
  v8TupleBytes: number;
  v8Header: string;
  /** Whether node:inspector's HeapProfiler answers (the sizeof table and the heap attribution need it). */
  heapProfiler: boolean;
  /** getHeapStatistics().used_heap_size <= total_heap_size, as on V8. */
  heapUsedWithinTotal: boolean;
}

function gcMethod(rt: ChildRuntime): string {
  if (rt === 'bun') return 'Bun.gc(true) (synchronous; --expose-gc also gives gc())';
  if (rt === 'deno') return 'gc() from --v8-flags=--expose-gc';
  return 'gc() from --expose-gc';
}

/** The GC cost of one forced full collection against its wall time: tells µs from ns on this runtime. */
function measureGcCostRatio(): number | null {
  const g = runtimeGc() ?? (globalThis as { gc?: () => void }).gc;
  if (!g) return null;
  // enough live objects that a full GC takes milliseconds, so the ratio is not lost in timer resolution
  const keep: unknown[] = [];
  for (let i = 0; i < 300_000; i++) keep.push({ i, s: `x${i}` });
  const p = new GCProfiler();
  p.start();
  const t0 = performance.now();
  g();
  const wall = performance.now() - t0;
  const stats = p.stop()?.statistics ?? [];
  const cost = stats.reduce((a, s) => a + s.cost, 0);
  keep.length = 0;
  return stats.length > 0 && wall > 0 ? cost / wall : null;
}

/** Whether node:inspector's sampling heap profiler returns a profile (enable, start, get, stop), not merely accepts calls. */
async function heapProfilerAnswers(): Promise<boolean> {
  try {
    const inspector = await import('node:inspector');
    const session = new inspector.Session();
    session.connect();
    const post = (method: string, params: object = {}): Promise<{ ok: boolean; result?: unknown }> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ ok: false }), 2000);
        try {
          session.post(method, params, (err: Error | null, result?: unknown) => {
            clearTimeout(timer);
            resolve({ ok: !err, result });
          });
        } catch {
          clearTimeout(timer);
          resolve({ ok: false });
        }
      });
    let ok = (await post('HeapProfiler.enable')).ok && (await post('HeapProfiler.startSampling', { samplingInterval: 4096 })).ok;
    if (ok) {
      const keep: unknown[] = [];
      for (let i = 0; i < 20_000; i++) keep.push({ i });
      const got = await post('HeapProfiler.getSamplingProfile');
      ok = got.ok && typeof (got.result as { profile?: { head?: unknown } } | undefined)?.profile?.head === 'object';
      await post('HeapProfiler.stopSampling');
    }
    session.disconnect();
    return ok;
  } catch {
    return false;
  }
}

function canResetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return /^VmHWM:/m.test(readFileSync('/proc/self/status', 'latin1'));
  } catch {
    return false;
  }
}

/** Run on the runtime under test. */
export async function probeCapabilities(): Promise<CapabilityProbe> {
  const rt = currentRuntime();
  const versions = process.versions as Record<string, string | undefined>;
  const tuple = serialize([1.5, 'ABCDEFGHIJKLMNOPQRST', 2n ** 64n - 1n]);
  const h = getHeapStatistics();
  return {
    runtime: rt,
    version: rt === 'node' ? process.version : (versions[rt] ?? 'unknown'),
    v8: versions.v8 ?? 'unknown',
    peakReset: canResetPeak(),
    gc: gcMethod(rt),
    gcCostPerMs: measureGcCostRatio(),
    gcCostUnitAssumed: gcCostUnitMs(rt) === 1e-6 ? 'ns' : 'µs',
    v8TupleBytes: tuple.length,
    v8Header: Buffer.from(tuple.buffer, tuple.byteOffset, Math.min(4, tuple.length)).toString('hex'),
    heapProfiler: await heapProfilerAnswers(),
    heapUsedWithinTotal: h.used_heap_size <= h.total_heap_size,
  };
}

/** The unit a cost-per-wall-ms ratio shows: µs near 1e3, ns near 1e6. */
export function gcUnitFromRatio(ratio: number | null): 'µs' | 'ns' | 'unknown' {
  if (ratio === null) return 'unknown';
  if (ratio > 1e5 && ratio < 1e7) return 'ns';
  if (ratio > 1e2 && ratio < 1e4) return 'µs';
  return 'unknown';
}

/** V8's serializer writes a version header `ff` + version byte; anything else is another format (Bun: JSC's structured clone). */
export function isV8WireFormat(header: string): boolean {
  return header.startsWith('ff');
}

/** The capability rows of a JavaScript runtime, from its probe. */
export function capabilitiesOf(p: CapabilityProbe): RuntimeCapabilities {
  const v8Engine = p.runtime !== 'bun';
  const unit = gcUnitFromRatio(p.gcCostPerMs);
  const rows: CapabilityRow[] = [
    {
      what: 'peak RSS (clear_refs + VmHWM)',
      status: p.peakReset ? 'yes' : 'differs',
      detail: p.peakReset
        ? 'writing 5 to /proc/self/clear_refs reset VmHWM (probed)'
        : 'clear_refs not writable (probed): whole-process maxRSS, start-up included',
    },
    { what: 'forced full GC before the baseline', status: 'yes', detail: p.gc },
    {
      what: 'GC time (GCProfiler cost)',
      status: unit === 'unknown' || unit !== p.gcCostUnitAssumed ? 'differs' : 'yes',
      detail:
        unit === 'unknown'
          ? `unit not confirmed by the probe (cost/wall ratio ${p.gcCostPerMs === null ? 'n/a' : p.gcCostPerMs.toFixed(0)}); read as ${p.gcCostUnitAssumed}`
          : unit === p.gcCostUnitAssumed
            ? `cost in ${unit} (probed: ${p.gcCostPerMs!.toFixed(0)} per wall ms), normalised to ms`
            : `probe says ${unit}, the adapter assumes ${p.gcCostUnitAssumed}: GC times are suspect`,
    },
    {
      what: 'heap figures (peak heap, retained heap, data heap)',
      status: v8Engine && p.heapUsedWithinTotal ? 'yes' : 'differs',
      detail: v8Engine
        ? `V8 ${p.v8} heap statistics`
        : `JavaScriptCore's heap through Bun's node:v8 shim${p.heapUsedWithinTotal ? '' : ' (heapUsed exceeded heapTotal here)'}: not comparable with V8's`,
    },
    {
      what: 'external memory (Buffers, ArrayBuffers)',
      status: 'yes',
      detail: v8Engine ? "V8's external_memory" : "Bun's external counter (its own accounting of off-heap buffers)",
    },
    {
      what: '`v8` codec (node:v8 serialize)',
      status: isV8WireFormat(p.v8Header) ? 'yes' : 'differs',
      detail: isV8WireFormat(p.v8Header)
        ? `V8's wire format (header ${p.v8Header}, a tuple is ${p.v8TupleBytes} B); a file is only read back by the runtime that wrote it`
        : `not V8's format: JavaScriptCore's structured clone (header ${p.v8Header}, a tuple is ${p.v8TupleBytes} B): a different format, not compared`,
    },
    {
      what: 'heap snapshot / sampling heap profiler (sizeof table)',
      status: v8Engine ? (p.heapProfiler ? 'yes' : 'differs') : 'no',
      detail: v8Engine
        ? p.heapProfiler
          ? "node:inspector's sampling heap profiler returned a profile (probed); writeHeapSnapshot writes V8's format"
          : 'node:inspector HeapProfiler does not answer (probed); writeHeapSnapshot still writes V8 format, so the sizeof table is measured'
        : 'no V8 heap snapshot (JSC data) and no inspector HeapProfiler: the sizeof table is not measured',
    },
    {
      what: 'GC, compiler and heap-limit flags (--single-threaded-gc, --no-concurrent-recompilation, --max-old-space-size)',
      status: v8Engine ? 'yes' : 'no',
      detail: v8Engine
        ? p.runtime === 'deno'
          ? 'passed as --v8-flags'
          : 'node flags'
        : 'V8 flags; Bun accepts and ignores them (JSC collects and compiles on its own threads, no heap limit)',
    },
  ];
  return { name: p.runtime, version: p.version, engine: v8Engine ? `V8 ${p.v8}` : 'JavaScriptCore', rows };
}

/** Whether the sizeof table (a V8 heap snapshot) can be measured on this runtime; unknown (older probe) counts as yes. */
export function canMeasureSizeof(c: RuntimeCapabilities | undefined): boolean {
  return c?.rows.find((r) => r.what.startsWith('heap snapshot'))?.status !== 'no';
}

/** How a report names its runtime: `Node v20.20.2`, or `Bun 1.4.5 (its Node API reports v26.3.0)`. */
export function runtimeLabel(e: { node: string; runtime?: RuntimeCapabilities }): string {
  const rt = e.runtime;
  if (!rt || rt.name === 'node') return `Node ${e.node}`;
  const name = { bun: 'Bun', deno: 'Deno', python: 'Python' }[rt.name];
  return rt.name === 'python' ? `${name} ${rt.version}` : `${name} ${rt.version} (its Node API reports ${e.node})`;
}

/** Whether a runtime's heap figures are V8's. Reports without a runtime ran on Node. */
export function hasV8Heap(c: RuntimeCapabilities | undefined): boolean {
  return c === undefined || c.engine.startsWith('V8');
}

/** Codecs (and clone variants) built on node:v8 serialize: their format follows the runtime's. */
export const V8_FORMAT_CODECS: readonly string[] = ['v8', 'v8-stream', 'v8-serialize-clone'];

/** Whether the `v8` codec writes V8's wire format on this runtime. Reports without a runtime ran on Node. */
export function writesV8Format(c: RuntimeCapabilities | undefined): boolean {
  return c === undefined || c.rows.find((r) => r.what.startsWith('`v8` codec'))?.status !== 'differs';
}

/**
 * Which figures of a case compare between two runtimes, and why the others do not.
 * RSS, external memory, time and file size compare everywhere; heap figures only
 * between V8 runtimes; the v8 family of codecs only when both write V8's format.
 */
export function comparability(
  codec: string,
  metric: RunMetric,
  a: RuntimeCapabilities | undefined,
  b: RuntimeCapabilities | undefined,
): { comparable: true } | { comparable: false; why: string } {
  const name = (c: RuntimeCapabilities | undefined): string => (c ? `${c.name} ${c.version}` : 'node');
  if (V8_FORMAT_CODECS.includes(codec) && writesV8Format(a) !== writesV8Format(b)) {
    const other = writesV8Format(a) ? b : a;
    return { comparable: false, why: `node:v8 serialize on ${name(other)} writes JavaScriptCore's structured-clone format, not V8's: a different format` };
  }
  if (/Heap/.test(metric) && hasV8Heap(a) !== hasV8Heap(b)) {
    const other = hasV8Heap(a) ? b : a;
    return { comparable: false, why: `${name(other)}'s heap is JavaScriptCore's, not V8's` };
  }
  return { comparable: true };
}

/**
 * A caveat that goes with a figure compared across runtimes although it is measured on both: Bun
 * ignores the children's V8 flags (--single-threaded-gc, --no-concurrent-recompilation: its
 * collector and JIT run on their own threads) and keeps its own accounting of external memory, so
 * its external peak and its wall time are measured, but under other conditions than Node's.
 */
export function comparisonCaveat(metric: RunMetric, a: RuntimeCapabilities | undefined, b: RuntimeCapabilities | undefined): string | undefined {
  const bun = [a, b].find((c) => c?.name === 'bun');
  if (!bun || a?.name === b?.name) return undefined;
  if (metric === 'peakExternalIncrementBytes')
    return `bun ${bun.version} keeps its own accounting of external memory (JavaScriptCore's, not V8's counter), and ignores the children's GC and JIT flags`;
  if (metric === 'wallMs')
    return `bun ${bun.version} ignores the children's flags (--single-threaded-gc, --no-concurrent-recompilation): its GC and JIT use other threads than Node's children`;
  return undefined;
}
