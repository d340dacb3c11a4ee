/**
 * The sizeof child: creates the values, holds them on one known root, writes a
 * heap snapshot to a temporary file and prints where it is (one JSON line).
 * Parsing happens in the parent, so the snapshot contains no parser and the
 * child stays small enough to run under any Node binary (`--node`).
 *
 * Run as compiled JS with no loader: `node dist/bench/sizeof/child.js '<ChildRequest JSON>'`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { Script } from 'node:vm';
import {
  CHILD_BAD_EXPR_EXIT,
  recordLabel,
  ROOT_CLASS,
  type ChildFailed,
  type ChildOutput,
  type ChildRequest,
  type ChildValue,
  type SmiSlot,
} from './protocol.js';
import { DEFAULT_VALUES } from './values.js';

const config = process.config as unknown as { variables?: Record<string, unknown> };
const compressionFlag = config.variables?.v8_enable_pointer_compression;
const pointerCompression = compressionFlag === undefined ? null : Boolean(compressionFlag);
const is64 = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64'].includes(process.arch);
const smiBits = is64 && !pointerCompression && !config.variables?.v8_enable_31bit_smis_on_64bit_arch ? 32 : 31;

function isSmi(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0) && v >= -(2 ** (smiBits - 1)) && v < 2 ** (smiBits - 1);
}

const MAX_SLOTS = 50;

/** Smi children of a container; they have no heap object, so the snapshot shows no edge for them. */
function smiSlots(v: unknown): SmiSlot[] {
  const out: SmiSlot[] = [];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && out.length < MAX_SLOTS; i++) if (isSmi(v[i])) out.push({ key: `[${i}]`, value: String(v[i]) });
  } else if (v instanceof Map) {
    for (const [k, x] of v) {
      if (out.length >= MAX_SLOTS) break;
      if (isSmi(k)) out.push({ key: `key ${k}`, value: String(k) });
      if (isSmi(x)) out.push({ key: typeof k === 'string' || isSmi(k) ? `value of ${JSON.stringify(k)}` : 'value', value: String(x) });
    }
  } else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
    for (const k of Object.keys(v)) {
      if (out.length >= MAX_SLOTS) break;
      const x = (v as Record<string, unknown>)[k];
      if (isSmi(x)) out.push({ key: `.${k}`, value: String(x) });
    }
  }
  return out;
}

function describe(label: string, source: ChildValue['source'], v: unknown, note?: string): ChildValue {
  return { label, ...(note ? { note } : {}), source, jsType: typeof v, smi: isSmi(v), smiSlots: smiSlots(v) };
}

class FootprintSizeofRoot {
  constructor(
    readonly values: unknown[],
    /** Two empty arrays of lengths 16 and 32: their backing stores differ by exactly 16 slots. */
    readonly calibration: unknown[][],
  ) {}
}
if (FootprintSizeofRoot.name !== ROOT_CLASS) throw new Error('root class renamed');

function print(out: ChildOutput): void {
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The wrapper `return (...)` can make V8 blame a ')' the user never wrote; compiling the text alone names the real problem. */
function syntaxMessage(expr: string, err: Error): string {
  if (!(err instanceof SyntaxError)) return err.message;
  try {
    new Script(expr, { filename: '--expr' });
  } catch (alone: unknown) {
    if (alone instanceof SyntaxError) return alone.message;
  }
  return err.message;
}

/** Builds the values in their own frame, so that no stack slot still points at one when the snapshot is taken. */
function buildValues(
  request: ChildRequest,
  records: readonly { label: string; make: () => unknown }[],
): { held: unknown[]; values: ChildValue[] } | ChildFailed {
  // Element 0 is an object so the holder array has generic elements: a double
  // stays a heap number and every value sits in one tagged slot.
  const held: unknown[] = [{}];
  const values: ChildValue[] = [];
  if (request.defaults) {
    for (const def of DEFAULT_VALUES) {
      const v = def.make();
      held.push(v);
      values.push(describe(def.label, 'default', v, def.note));
    }
  }
  for (const r of records) {
    const v = r.make();
    held.push(v);
    values.push(describe(r.label, 'dataset', v));
  }
  for (const expr of request.exprs ?? []) {
    let v: unknown;
    try {
      // Runs the user's own expression: that is the point of --expr (documented in the README).
      v = new Function(`return (${expr}\n);`)();
    } catch (err: unknown) {
      const what = err instanceof Error ? `${err.name}: ${syntaxMessage(expr, err)}` : String(err);
      return { ok: false, error: `--expr ${JSON.stringify(expr)}: ${what}` };
    }
    held.push(v);
    values.push(describe(expr, 'expr', v));
  }
  return { held, values };
}

/** Each requested dataset's first record, made in buildValues's frame (the registry imported only when asked). */
async function datasetRecords(request: ChildRequest): Promise<{ label: string; make: () => unknown }[]> {
  if (!request.datasets?.length) return [];
  const { definitionIn } = await import('../data/source.js');
  const out: { label: string; make: () => unknown }[] = [];
  for (const d of request.datasets) {
    const def = await definitionIn(d.name, d.source);
    out.push({ label: recordLabel(d.name, d.seed), make: () => def.generate(1, d.seed)[0] });
  }
  return out;
}

async function main(): Promise<number> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const built = buildValues(request, await datasetRecords(request));
  if ('ok' in built) {
    print(built);
    return CHILD_BAD_EXPR_EXIT;
  }
  (globalThis as Record<string, unknown>).__footprintSizeofRoot = new FootprintSizeofRoot(built.held, [new Array(16), new Array(32)]);
  const snapshotFile = writeHeapSnapshot(join(request.snapshotDir ?? tmpdir(), `footprint-sizeof-${process.pid}-${Date.now()}.heapsnapshot`));
  print({
    ok: true,
    snapshotFile,
    node: process.version,
    v8: process.versions.v8,
    arch: process.arch,
    pointerCompression,
    smiBits,
    values: built.values,
  });
  return 0;
}

process.exitCode = await main();
