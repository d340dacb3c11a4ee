/**
 * Units shared by every layer: the byte and time units a user may write (budgets, compare floors),
 * and the MiB every reporter prints (1024² bytes, always labelled MiB). Formatting for display
 * lives in bench/report/units.ts; this module has no presentation in it.
 */
export const MIB = 1024 ** 2;

/** Byte units a user may write, 1024-based. */
export const BYTE_UNITS: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: MIB, GiB: 1024 ** 3 };

/** Time units a user may write, in milliseconds. */
export const TIME_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000 };

/** A fraction as a whole-number percentage for messages: 0.02 -> "2%". */
export function wholePercent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}
