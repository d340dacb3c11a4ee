/**
 * What a codec's load returns (LOAD_RETURNS in bench/types.ts): declared by each codec, checked
 * against what its load actually returned by the measured child, and worded for the reports.
 * Loads that return different things do not compare: building a JavaScript value per field of
 * every record is most of what a row load costs, and a columnar or lazy load builds none.
 */
import type { Codec, LoadReturns } from '../types.js';

/** What a codec's load returns: its declaration, or `rows` when it declares none (a --codec-module codec may leave it out). */
export function declaredReturns(codec: Pick<Codec, 'returns'>): LoadReturns {
  return codec.returns ?? 'rows';
}

/** The kind of value a load returned, by its shape; throws a TypeError for anything that is no LoadedData. */
export function loadedReturns(data: unknown): LoadReturns {
  if (Array.isArray(data)) return 'rows';
  const kind = typeof data === 'object' && data !== null ? (data as { kind?: unknown }).kind : undefined;
  if (kind === 'columnar') return 'columns';
  if (kind === 'arrow') return 'lazy';
  throw new TypeError(
    `the load returned ${data === null ? 'null' : typeof data}${kind !== undefined ? ` of kind ${String(kind)}` : ''}, not an array of tuples, ColumnarData or ArrowData`,
  );
}

/** Throws unless `data` is what `codec` declares its load returns. */
export function checkReturns(codec: Pick<Codec, 'name' | 'returns'>, data: unknown): void {
  const declared = declaredReturns(codec);
  const got = loadedReturns(data);
  if (got !== declared) {
    throw new TypeError(
      `${codec.name} declares that its load returns ${RETURNS_WORDS[declared]} (returns: '${declared}'${codec.returns === undefined ? ', the default' : ''}), but it returned ${RETURNS_WORDS[got]}: declare returns: '${got}'`,
    );
  }
}

/** How the reports word each kind. */
export const RETURNS_WORDS: Record<LoadReturns, string> = {
  rows: 'rows (JavaScript values, used as they are)',
  columns: 'columns (typed arrays)',
  lazy: 'a lazy view (values decoded when read)',
};
