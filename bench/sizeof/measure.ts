/**
 * `measureSizeof`: runs the sizeof child under a Node binary, parses its heap
 * snapshot, computes dominators and builds the report. `measureTupleHeap`:
 * the suite-side in-heap bytes per tuple, in its own child.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeDominators } from './dominators.js';
import type { ChildOk, ChildOutput, ChildRequest } from './protocol.js';
import { parseHeapSnapshotText } from './snapshot.js';
import { buildEntries } from './tree.js';
import type { DatasetSource, RecordHeapMeasurement, SizeofEntry, SizeofReport, TupleHeapMeasurement, TupleModel } from '../types.js';
import { TUPLE_LABEL } from './values.js';

/** Compiled child scripts: children run JS from dist/ with no loader, also when this module runs from source (tests). */
function compiled(name: string): string {
  const rel = import.meta.url.endsWith('.ts') ? `../../dist/bench/sizeof/${name}` : `./${name}`;
  return fileURLToPath(new URL(rel, import.meta.url));
}

/** A user expression the child could not evaluate (bad input: exit 2). */
export class SizeofExprError extends Error {
  override name = 'SizeofExprError';
}

interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(nodeBinary: string, args: string[], timeoutMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    execFile(nodeBinary, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code === 'string') {
        reject(new Error(`cannot run ${nodeBinary}: ${err.message}`));
        return;
      }
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

export interface SizeofOptions {
  /** Folder for the temporary heap snapshot. @default os.tmpdir() */
  snapshotDir?: string;
  /** Measure the default value set. @default true */
  defaults?: boolean;
  /** User expressions, evaluated in the child (runs the given code). */
  exprs?: string[];
  /** Node binary that runs the child. @default process.execPath */
  nodeBinary?: string;
  /** Tuples for the suite-side per-tuple measurement; 0 skips it. @default 0 */
  tupleN?: number;
  /** @default 42 */
  seed?: number;
  /** Datasets whose first record joins the values and whose records' heap is measured (`records` of them). */
  datasets?: { name: string; source?: DatasetSource }[];
  /** Records generated per dataset for its bytes per record; 0 skips it. @default 0 */
  records?: number;
}

export async function measureSizeof(opts: SizeofOptions = {}): Promise<SizeofReport> {
  const nodeBinary = opts.nodeBinary ?? process.execPath;
  const seed = opts.seed ?? 42;
  const request: ChildRequest = {
    defaults: opts.defaults ?? true,
    exprs: opts.exprs ?? [],
    ...(opts.snapshotDir ? { snapshotDir: opts.snapshotDir } : {}),
    ...(opts.datasets?.length ? { datasets: opts.datasets.map((d) => ({ ...d, seed })) } : {}),
  };
  const res = await run(nodeBinary, [compiled('child.js'), JSON.stringify(request)], 60_000);
  const line = res.stdout.trim().split('\n').pop() ?? '';
  let out: ChildOutput;
  try {
    out = JSON.parse(line) as ChildOutput;
  } catch {
    throw new Error(`sizeof child (${nodeBinary}) exited ${res.code} without a result: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  if (!out.ok) throw new SizeofExprError(out.error);
  const child: ChildOk = out;

  let text: string;
  try {
    text = readFileSync(child.snapshotFile, 'utf8');
  } finally {
    rmSync(child.snapshotFile, { force: true });
  }
  const t0 = performance.now();
  const graph = parseHeapSnapshotText(text);
  const fileBytes = Buffer.byteLength(text);
  text = '';
  const weak = graph.edgeTypes.indexOf('weak');
  const tree = computeDominators(graph, 0, (e) => graph.edgeType[e] !== weak);
  const parseMs = performance.now() - t0;

  const configSlot = child.pointerCompression === null ? null : child.pointerCompression || child.arch.endsWith('32') ? 4 : 8;
  const provisional = configSlot ?? 8;
  const layout = buildEntries(graph, tree, child, provisional);
  const slotBytes = layout.measuredSlotBytes ?? provisional;
  const slotBytesSource =
    layout.measuredSlotBytes === null
      ? `process.config (v8_enable_pointer_compression=${child.pointerCompression}); not measurable from the snapshot`
      : `measured: backing stores of new Array(32) and new Array(16) differ by 16 x ${layout.measuredSlotBytes} B` +
        (configSlot === null ? '' : configSlot === layout.measuredSlotBytes ? '; agrees with process.config' : `; process.config suggests ${configSlot} B`);
  if (slotBytes !== provisional) {
    // Rebuild so the Smi notes name the measured slot size.
    layout.entries = buildEntries(graph, tree, child, slotBytes).entries;
  }

  const report: SizeofReport = {
    schemaVersion: 1,
    node: child.node,
    v8: child.v8,
    arch: child.arch,
    nodeBinary,
    pointerCompression: child.pointerCompression,
    slotBytes,
    slotBytesSource,
    smiBits: child.smiBits,
    snapshot: { nodeCount: graph.nodeCount, edgeCount: graph.edgeCount, fileBytes, parseMs },
    values: layout.entries,
  };
  const model = tupleModel(layout.entries, slotBytes);
  if (model) {
    report.tupleModel = opts.tupleN && opts.tupleN > 0 ? withMeasurement(model, await measureTupleHeap(opts.tupleN, seed, nodeBinary)) : model;
  }
  if (opts.datasets?.length && opts.records && opts.records > 0) {
    report.records = [];
    for (const d of opts.datasets) report.records.push(await measureRecordHeap(d, opts.records, seed, nodeBinary));
  }
  return report;
}

/** The suite tuple's cost, summed from its measured parts; undefined if the default tuple was not measured. */
export function tupleModel(entries: readonly SizeofEntry[], slotBytes: number): TupleModel | undefined {
  const tuple = entries.find((e) => e.label === TUPLE_LABEL);
  if (!tuple || tuple.shallowBytes === null) return undefined;
  const child = (label: string) => tuple.children.find((c) => c.label === label);
  const parts: [string, ReturnType<typeof child>][] = [
    ['elements backing store (3 slots)', child('elements')],
    ['[0] float: heap number', child('[0]')],
    ['[1] 20-char string', child('[1]')],
    ['[2] uint64: bigint', child('[2]')],
  ];
  if (parts.some(([, c]) => c?.shallowBytes == null)) return undefined;
  const all = [
    { name: 'array object (JSArray)', bytes: tuple.shallowBytes },
    ...parts.map(([name, c]) => ({ name, bytes: c!.shallowBytes! })),
    { name: 'slot in the outer array', bytes: slotBytes },
  ];
  return { parts: all, modelBytesPerTuple: all.reduce((s, p) => s + p.bytes, 0) };
}

/**
 * The model compared with a measured heap-per-tuple figure: ours from measureTupleHeap, or the suite's own
 * (a dump case's `dataHeapBytes` at N: `{ n, seed, heapGrowthBytes: dataHeapBytes, bytesPerTuple: dataHeapBytes / n }`).
 */
export function withMeasurement(model: TupleModel, measured: TupleHeapMeasurement): TupleModel {
  return { ...model, measured, differenceRatio: (model.modelBytesPerTuple - measured.bytesPerTuple) / measured.bytesPerTuple };
}

/** The records' growth of the live heap in a fresh child (bench/sizeof/record-heap.ts). */
async function recordHeapChild(dataset: { name: string; source?: DatasetSource }, n: number, seed: number, nodeBinary: string): Promise<RecordHeapMeasurement> {
  const args = ['--expose-gc', compiled('record-heap.js'), String(n), String(seed), dataset.name, ...(dataset.source ? [JSON.stringify(dataset.source)] : [])];
  const res = await run(nodeBinary, args, 10 * 60_000);
  try {
    return JSON.parse(res.stdout.trim()) as RecordHeapMeasurement;
  } catch {
    throw new Error(`record-heap child (${nodeBinary}, ${dataset.name}, n=${n}) exited ${res.code}: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** A dataset's records in V8's heap, with their intrinsic size (one streaming pass over the same records here). */
export async function measureRecordHeap(
  dataset: { name: string; source?: DatasetSource },
  n: number,
  seed: number,
  nodeBinary = process.execPath,
): Promise<RecordHeapMeasurement> {
  const measured = await recordHeapChild(dataset, n, seed, nodeBinary);
  const { deriveDataset } = await import('../data/registry.js');
  const { definitionIn } = await import('../data/source.js');
  const ds = await deriveDataset(await definitionIn(dataset.name, dataset.source));
  return { ...measured, intrinsicBytes: ds.expect(n, seed).intrinsicBytes };
}

/** The tuples' bytes per tuple (the per-tuple model's suite side). */
export async function measureTupleHeap(n: number, seed: number, nodeBinary = process.execPath): Promise<TupleHeapMeasurement> {
  const r = await recordHeapChild({ name: 'tuples' }, n, seed, nodeBinary);
  return { n: r.n, seed: r.seed, heapGrowthBytes: r.heapGrowthBytes, bytesPerTuple: r.bytesPerRecord };
}
