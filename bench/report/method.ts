/**
 * How each figure was measured: one list of notes, in markdown, that the markdown report prints
 * as a list and the HTML report renders (marked). Written once, so the two never say different
 * things. Pure.
 */
import { INTRINSIC_BYTES_PER_TUPLE } from '../data/datasets/tuples.js';
import type { Report } from '../types.js';
import { baselineExternalRange, jobsNote, samplingNote } from './summary.js';

export function methodNotes(report: Report): string[] {
  const baseExt = baselineExternalRange(report.cases);
  const peak = report.environment.peakResetAvailable
    ? "each run is a fresh child process. It runs `gc()` and waits for RSS to settle, resets the kernel's high-water mark by writing 5 to `/proc/self/clear_refs`, reads its RSS (the baseline), runs the phase, then reads `VmHWM` from `/proc/self/status`: the phase's own peak, transient spikes inside synchronous calls included. The figure is that peak minus the baseline."
    : '**whole-process** (`maxRSS`): `/proc/self/clear_refs` was not writable, so peaks include process start-up.';
  return [
    `**Every figure is an increment over the child's own baseline**, in a fresh process, median of the repeats; ± spread = half of (max − min) over the repeats, relative to the median. A dump child generated the data before its baseline; a load child never held it.${flagsNote(report.environment.nodeFlags, report.environment.runtime?.name)}`,
    `**Library import is not in the phase figures**: every child imports its codec's library and runs its set-up before the baseline, as a long-running application did long before it dumps or loads; what that import costs a fresh process is its own figure (import, under More figures).`,
    `**Extra peak RSS**: ${peak}`,
    report.config.datasets.every((d) => d.name === 'tuples')
      ? `**× data heap / × intrinsic**: the extra peak divided by the generated tuples' measured live V8 heap and by the data's intrinsic size (N × ${INTRINSIC_BYTES_PER_TUPLE} B: float64, uint64 and 20 one-byte characters).`
      : `**× data heap / × intrinsic**: the extra peak divided by the generated records' measured live V8 heap and by the data's intrinsic size (the bytes of content with no overhead: 8 for a float64 or uint64, a string's UTF-8 bytes, …; the tuples: N × ${INTRINSIC_BYTES_PER_TUPLE} B), each of its own dataset.`,
    `**Peak live heap Δ**: the highest V8 heap used right after any GC during the phase (\`v8.GCProfiler\`: what survived the collection), or at its end the heap used outside the young generation, minus the baseline. The young generation's garbage is left out: the raw peak before GCs (\`peakHeapWithGarbageBytes\` in the JSON) reads about +14 MiB for any streaming phase, the nursery filling between scavenges (docs/measurement.md).`,
    `**Peak external Δ**: the highest external memory (Buffers and ArrayBuffers outside the V8 heap, V8's \`external_memory\` counter) at any GC during the phase or at its end, minus the baseline's${baseExt ? ` (the baselines held ${baseExt})` : ''}.`,
    `**Retained heap**: live heap after the phase and a full GC, over the baseline: what the result or leftovers keep.`,
    `**Wall time**: the phase alone, in the child, ${jobsNote(report.config.jobs)}, ${samplingNote(report.config.sampleMs)}. It varies far more than memory between runs on a shared machine.`,
    `**Verified**: outside the measured window the data is checked exactly (order-sensitive checksum of every float's bits, string and uint64), read back by a fresh process for a dump (its codec's first load run, which reads that file as its input; or a verifier process), or found byte-identical, by SHA-256, to a file of the same codec so judged in this run (\`verification\` in the JSON). **uint64**: what that verification found for the 64-bit integers, never declared by the codec: exact (every value, including those ≥ 2^63, came back), lossy (some came back different; the first differing record is named) or rejected (the dump threw on a value ≥ 2^63 while a small one went through); — when the data held no value ≥ 2^63 or the case did not get that far.`,
    `**Memory over time**: the parent reads \`VmRSS\` from \`/proc/<pid>/status\` of the child every few milliseconds; the child reports phase boundaries over IPC. Series are stored downsampled keeping each bucket's maximum, so the peak is never lost. The series is for the picture; the headline peak is the child's VmHWM. **Sampled max vs VmHWM** compares the two (negative: the sampler missed the top of a short spike).`,
    'MiB = 1024² bytes.',
  ];
}

/** What the children's flags mean for the figures, said only for the flags the run used. */
function flagsNote(flags: readonly string[], runtime: string | undefined): string {
  // Bun is started with the same flags and ignores them (V8 flags; JavaScriptCore has none): not what they say there
  if (runtime === 'bun') {
    return flags.some((f) => f === '--single-threaded-gc' || f === '--no-concurrent-recompilation')
      ? ` The children were started with \`${flags.join(' ')}\`, which Bun ignores: JavaScriptCore collects and compiles on its own threads, so where the GCs fall can depend on how busy the cores are (docs/runtimes.md).`
      : '';
  }
  const gc = flags.includes('--single-threaded-gc');
  const jit = flags.includes('--no-concurrent-recompilation');
  if (!gc && !jit) return '';
  const ran = ` The children ran \`${flags.join(' ')}\``;
  if (gc && jit)
    return `${ran}: garbage collection and optimizing compiles on the main thread, so where the GCs fall does not depend on how busy the cores are, except through I/O: a load that reads its file asynchronously can still vary from run to run (docs/measurement.md).`;
  // one of the two alone does not make that so: with the GC alone on the main thread, arrow dump's
  // peak external still moved with the load on the other core (docs/measurement.md)
  return gc
    ? `${ran}: garbage collection on the main thread, optimizing compiles on V8's background thread, so where the GCs fall can still depend on how busy the cores are (README, "The phases").`
    : `${ran}: optimizing compiles on the main thread, garbage collection on V8's background threads, so the peaks can depend on how busy the cores are (README, "The phases").`;
}
