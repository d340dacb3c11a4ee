#!/usr/bin/env node
/**
 * `footprint <command> [flags]`: one file per command in this folder; this
 * table is the only place that lists them.
 */
import { InputError } from '../errors.js';
import * as compare from './compare.js';
import * as datasets from './datasets.js';
import { EXIT, UsageError } from './errors.js';
import * as explain from './explain.js';
import * as matrix from './matrix.js';
import * as merge from './merge.js';
import * as report from './report.js';
import * as run from './run.js';
import * as sizeof from './sizeof.js';

/** Every command module has this shape: a one-line summary, its --help text, and main. */
type Command = { summary: string; help: string; main: (argv: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = { run, report, matrix, merge, compare, sizeof, explain, datasets };

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: footprint <command> [flags]   (footprint <command> --help for its flags)\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return EXIT.ok;
  }
  // `footprint --n 1e4` means `footprint run --n 1e4`
  const name = first === undefined || first.startsWith('-') ? 'run' : first;
  const args = name === first ? rest : argv;
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return command.main(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof InputError) {
      process.stderr.write(`footprint: ${err.message}\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.stderr.write(`footprint: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.failed;
    }
  },
);
