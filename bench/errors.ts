/**
 * Errors shared by every layer.
 *
 * `InputError`: something from outside the program is wrong (a flag value, a results file, a budget,
 * a codec module, reports that measure different data). Each layer throws its own subclass, named for
 * what was wrong; only bench/cli maps them to an exit code (2: nothing was run). The message is one
 * line, whatever it quotes: JSON.parse's message, for one, repeats the offending text with its newlines.
 */
export class InputError extends Error {
  override name = 'InputError';
  constructor(message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, ' ').trim());
  }
}

/**
 * A problem with what the user typed on the command line (a flag's value). Here, not in bench/cli, so
 * that a lower layer that parses a flag's value (bench/matrix/runtimes.ts: --runtime) can throw it.
 */
export class UsageError extends InputError {
  override name = 'UsageError';
}

/** The message of anything thrown (an Error's message, or the value as text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `Name: message` of anything thrown, for reports where the kind of error matters (TypeError, RangeError...). */
export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
