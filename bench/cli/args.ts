/** Strict parsing of flag values: each bad value is a UsageError naming the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import { errorMessage } from '../errors.js';

/** A positive integer, `1e6` notation accepted (and mentioned for --n, where it is the usual way). */
export function parseCount(flag: string, text: string, opts: { min?: number } = {}): number {
  const min = opts.min ?? 1;
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isSafeInteger(v) || v < min) {
    throw new UsageError(`--${flag} ${JSON.stringify(text)}: expected an integer ≥ ${min}${flag === 'n' ? ' (1e6 notation is fine)' : ''}`);
  }
  return v;
}

/**
 * node:util parseArgs's error as one line, the same for every command: its first sentence
 * (it goes on about positionals starting with '-', with unbalanced quotes) and where the flags are listed.
 */
export function flagError(command: string, err: unknown): UsageError {
  const message = errorMessage(err);
  const first = message.split('\n')[0]!.split(/\. (?=To specify a positional)/)[0]!;
  return new UsageError(`${command}: ${first} (footprint ${command} --help lists the flags)`);
}

/** An integer (may be negative or zero). */
export function parseInteger(flag: string, text: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isSafeInteger(v)) throw new UsageError(`--${flag} ${JSON.stringify(text)}: expected an integer`);
  return v;
}

/** A comma-separated list, empty items refused. */
export function parseList(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} ${JSON.stringify(text)}: empty item in the comma-separated list`);
  return items;
}

/** A comma-separated list of positive integers, sorted and deduplicated. */
export function parseCountList(flag: string, text: string): number[] {
  return [...new Set(parseList(flag, text).map((s) => parseCount(flag, s)))].sort((a, b) => a - b);
}

/** A file-name-safe UTC time for default output names: 2026-11-29T21-05-03Z. */
export function timestamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
}

/** node:util's parseArgs for one command, its error turned into flagError's one line: how every command reads its flags. */
export function parseFlags<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err: unknown) {
    throw flagError(command, err);
  }
}
