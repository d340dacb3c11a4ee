/**
 * Reporters for `footprint sizeof`: pure functions SizeofReport -> string.
 * Sizes are V8's own byte counts, printed as bytes (they are small).
 */
import type { RecordHeapMeasurement, SizeofNode, SizeofReport, TupleModel } from '../types.js';
import { columnsOf, markdownTable } from './table.js';

const bytes = (n: number): string => `${n.toLocaleString('en-US')} B`;

interface Row {
  depth: number;
  label: string;
  what: string;
  shallow: string;
  retained: string;
  note: string;
}

function rows(nodes: readonly SizeofNode[], slotBytes: number, depth = 0, out: Row[] = []): Row[] {
  for (const n of nodes) {
    let shallow: string;
    let retained: string;
    if (n.kind === 'smi') {
      shallow = '-';
      retained = '-';
    } else if (n.kind === 'oddball') {
      shallow = '-';
      retained = '-';
    } else {
      shallow = bytes(n.shallowBytes ?? 0);
      retained = n.kind === 'shared' ? `(${bytes(n.retainedBytes ?? 0)})` : bytes(n.retainedBytes ?? 0);
    }
    let note = n.note ?? '';
    if (n.kind === 'oddball') {
      note = `shared oddball (one ${bytes(n.shallowBytes ?? 0)} object per heap, not owned): costs its ${slotBytes}-byte slot`;
    }
    if (n.omittedChildren) note = `${note}${note ? '; ' : ''}${n.omittedChildren} more inside, not shown`;
    out.push({ depth, label: n.label, what: n.kind === 'smi' ? 'Smi (immediate)' : n.what, shallow, retained, note });
    rows(n.children, slotBytes, depth + 1, out);
  }
  return out;
}

function header(r: SizeofReport): string[] {
  const compression = r.pointerCompression === null ? 'pointer compression not stated' : `pointer compression ${r.pointerCompression ? 'on' : 'off'}`;
  return [
    `Node ${r.node} (V8 ${r.v8}), ${r.arch}, ${compression}; one slot (pointer or Smi) = ${r.slotBytes} B (${r.slotBytesSource}).`,
    `Measured from a heap snapshot of a fresh child (${r.snapshot.nodeCount.toLocaleString('en-US')} objects). ` +
      'Shallow = the object itself; retained = it plus everything only it keeps alive (dominator tree). ' +
      'Values held in a slot with no heap object of their own (Smis) or by a shared object (oddballs) show "-"; a retained size in parentheses belongs to a shared object, not freed with its holder.',
  ];
}

function modelLines(m: TupleModel): { parts: [string, string][]; summary: string[] } {
  const parts: [string, string][] = m.parts.map((p) => [p.name, bytes(p.bytes)]);
  parts.push(['model: bytes per tuple', bytes(m.modelBytesPerTuple)]);
  const summary: string[] = [];
  if (m.measured && m.differenceRatio !== undefined) {
    const meas = m.measured;
    summary.push(
      `Suite side: generating ${meas.n.toLocaleString('en-US')} tuples (seed ${meas.seed}) grew the live heap by ${bytes(meas.heapGrowthBytes)} ` +
        `(used heap after full GCs, node --expose-gc) = ${meas.bytesPerTuple.toFixed(1)} B per tuple.`,
    );
    const pct = (Math.round(m.differenceRatio * 1000) / 10 || 0).toFixed(1); // no "-0.0"
    summary.push(
      Math.abs(m.differenceRatio) <= 0.1
        ? `Model vs measured: ${pct}% (within 10%).`
        : `Model vs measured: ${pct}%: more than 10% apart. The measurement also counts what the model leaves out ` +
            '(the outer array growing with spare capacity or in dictionary mode, objects the generator keeps, GC timing); see the snapshot of the generated array.',
    );
  } else {
    summary.push('Suite side not measured (--tuples 0).');
  }
  return { parts, summary };
}

/** Each dataset's records in V8's heap: per record, and against the records' content (intrinsic size). */
function recordRows(records: readonly RecordHeapMeasurement[]): string[][] {
  return records.map((m) => {
    const intrinsic = m.intrinsicBytes === undefined ? null : m.intrinsicBytes / m.n;
    return [
      m.dataset,
      m.n.toLocaleString('en-US'),
      `${m.bytesPerRecord.toFixed(1)} B`,
      `${(m.externalGrowthBytes / m.n).toFixed(1)} B`,
      intrinsic === null ? '—' : `${intrinsic.toFixed(1)} B`,
      intrinsic ? `× ${((m.bytesPerRecord + m.externalGrowthBytes / m.n) / intrinsic).toFixed(2)}` : '—',
    ];
  });
}

const RECORD_HEADERS = ['dataset', 'records', 'heap per record', 'outside the heap per record', 'intrinsic per record', 'memory ÷ intrinsic'];
const RECORDS_NOTE =
  "Records in V8's heap: a fresh child generates N records (seed as above) and holds them; the growth of the live heap (used heap after full GCs, node --expose-gc) " +
  'and of the ArrayBuffers outside it (bytes payloads), per record. Intrinsic = the content alone (8 bytes a float, the UTF-8 of a string…, docs/datasets.md); memory ÷ intrinsic = (heap + outside) / intrinsic.';

export function renderSizeofText(r: SizeofReport): string {
  const table = rows(r.values, r.slotBytes);
  const labelW = Math.min(56, Math.max(5, ...table.map((t) => t.depth * 2 + t.label.length)));
  const whatW = Math.min(34, Math.max(4, ...table.map((t) => t.what.length)));
  const shW = Math.max(7, ...table.map((t) => t.shallow.length));
  const reW = Math.max(8, ...table.map((t) => t.retained.length));
  const clip = (s: string, w: number): string => (s.length > w ? `${s.slice(0, w - 3)}...` : s.padEnd(w));
  const lines = [...header(r), ''];
  lines.push(`${'value'.padEnd(labelW)}  ${'what'.padEnd(whatW)}  ${'shallow'.padStart(shW)}  ${'retained'.padStart(reW)}  note`);
  for (const t of table) {
    lines.push(
      `${clip('  '.repeat(t.depth) + t.label, labelW)}  ${clip(t.what, whatW)}  ${t.shallow.padStart(shW)}  ${t.retained.padStart(reW)}  ${t.note}`.trimEnd(),
    );
  }
  if (r.tupleModel) {
    const { parts, summary } = modelLines(r.tupleModel);
    lines.push('', 'Per-tuple model (a suite tuple [float, 20-char string, uint64 bigint] held in an array):');
    const w = Math.max(...parts.map(([n]) => n.length));
    for (const [n, b] of parts) lines.push(`  ${n.padEnd(w)}  ${b.padStart(7)}`);
    lines.push(...summary);
  }
  if (r.records?.length) {
    const rows = [RECORD_HEADERS, ...recordRows(r.records)];
    const widths = RECORD_HEADERS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    lines.push('', RECORDS_NOTE);
    for (const row of rows) lines.push(`  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderSizeofMarkdown(r: SizeofReport): string {
  const lines = [`## sizeof: what values cost in V8's heap (Node ${r.node})`, '', ...header(r), ''];
  const values = rows(r.values, r.slotBytes).map((t) => [`${'&nbsp;&nbsp;&nbsp;&nbsp;'.repeat(t.depth)}\`${t.label}\``, t.what, t.shallow, t.retained, t.note]);
  lines.push(
    markdownTable(
      columnsOf(['value', 'what', 'shallow', 'retained', 'note'], (_, i) => i === 2 || i === 3),
      values,
    ),
  );
  if (r.tupleModel) {
    const { parts, summary } = modelLines(r.tupleModel);
    lines.push('', '### Per-tuple model', '', markdownTable([{ header: 'part' }, { header: 'bytes', align: 'right' }], parts), '', ...summary);
  }
  if (r.records?.length) {
    lines.push(
      '',
      "### Records in V8's heap",
      '',
      RECORDS_NOTE,
      '',
      markdownTable(
        columnsOf(RECORD_HEADERS, (_, i) => i > 0),
        recordRows(r.records),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
