/**
 * Display units and formatting, used only by reporters (markdown, HTML, brief). MiB = 1024² bytes,
 * always labelled MiB. Deterministic: no locale-dependent output except the en-US digit grouping.
 */
import { MIB } from '../units.js';

export { MIB };
const MiB = MIB;

export function mib(bytes: number): number {
  return bytes / MiB;
}

/** `123.4 MiB`; signed when asked (for increments). */
export function formatMiB(bytes: number | null | undefined, opts: { signed?: boolean; digits?: number } = {}): string {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return 'n/a';
  const v = bytes / MiB;
  const digits = opts.digits ?? (Math.abs(v) >= 100 ? 0 : 1);
  const s = v.toFixed(digits);
  return `${opts.signed && v >= 0 ? '+' : ''}${s} MiB`;
}

/** `1.23 s` or `456 ms`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/** `±1.2%` from a fraction. */
export function formatPercent(fraction: number, opts: { signed?: boolean; plusMinus?: boolean } = {}): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const p = (fraction * 100).toFixed(1);
  if (opts.plusMinus) return `±${(Math.abs(fraction) * 50).toFixed(1)}%`;
  return `${opts.signed && fraction >= 0 ? '+' : ''}${p}%`;
}

/** A relative change, signed: `+3.8%`, `-24%` (whole percent from 10% up), `0%` without a sign. */
export function formatChange(fraction: number): string {
  const v = fraction * 100;
  const s = Math.abs(v).toFixed(Math.abs(v) >= 10 ? 0 : 1);
  if (Number(s) === 0) return '0%'; // no "-0.0%"
  return v > 0 ? `+${s}%` : `-${s}%`;
}

/** `1,000,000` */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `2.3×` */
export function formatRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return 'n/a';
  return `${r.toFixed(r >= 10 ? 0 : 2)}×`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
