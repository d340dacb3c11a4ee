/** A problem with what the user typed: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string) {
    // one line, whatever it quotes: JSON.parse's message, for one, repeats the offending text with its newlines
    super(message.replace(/\s*[\r\n]+\s*/g, ' ').trim());
  }
}

/** Exit codes of the `footprint` command. */
export const EXIT = {
  ok: 0,
  /** Ran, but something failed: a case not ok, a budget exceeded, an interrupted run. */
  failed: 1,
  /** Bad command line or bad input file: nothing was run. */
  usage: 2,
} as const;
