/**
 * Number formatting shared by the throughput and sizes reporters: deterministic,
 * no locale. MiB from units.ts.
 */
import { MIB } from './units.js';

/** Integer with thousands separators: 1234567 -> "1,234,567". */
export function formatInt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = Math.round(Math.abs(x))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return x < 0 ? `-${s}` : s;
}

/** `digits` significant digits without exponent notation for ordinary magnitudes: 0.012345 -> "0.0123". */
export function formatSig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return decimals === 0 ? formatInt(x) : x.toFixed(decimals);
}

/** Bytes as MiB (1024²), always labelled by the caller's column header. */
export function formatMiBValue(bytes: number): string {
  return (bytes / MIB).toFixed(2);
}
