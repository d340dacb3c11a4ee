/**
 * `footprint run --peer python [flags]`: the original experiment in CPython
 * (bench/peer/python/), measured by the suite's method, written in the same
 * report format and labelled as a peer group.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_N, DEFAULT_REPEATS, DEFAULT_SAMPLE_MS, DEFAULT_SEED, DEFAULT_TIMEOUT_MS } from '../constants.js';
import { findPython, PYTHON_FORMATS, runPythonPeer, type PythonFormat } from '../peer/python/peer.js';
import { renderPeerCaseTable } from '../report/python-peer.js';
import { claimUniquePath } from '../results/claim.js';
import { lockOutput } from '../results/lock.js';
import { parseCount, parseCountList, parseFlags, parseInteger, parseList } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { PEER_MARKDOWN_SINK } from './sinks.js';

export const PEER_HELP = `usage: footprint run --peer python [flags]

The seed experiment in CPython: pickle.dump / pickle.load of the whole list, the
flat text file written and read line by line, and json for reference, each
(format, phase, repeat) in a fresh python3 process measured like the JavaScript
children (clear_refs, baseline, phase, VmHWM, verification outside the window),
on the same seeded data. Needs python3 >= 3.9 (standard library only) on the PATH;
without it the peer is reported as skipped (exit code 1: nothing was measured).

  --n LIST          tuples; a comma list runs a sweep (1e6 notation ok)   [${DEFAULT_N}]
  --seed INT        data seed                                              [${DEFAULT_SEED}]
  --repeats INT     fresh processes per case                               [${DEFAULT_REPEATS}]
  --codecs LIST     Python formats: ${PYTHON_FORMATS.join(', ')}                          [all]
  --phases LIST     dump, load                                             [dump,load]
  --out FILE        results JSON; markdown goes next to it (.md)           [results/<time>-python<version>.json]
  --timeout SECONDS wall-time limit of each child                          [${DEFAULT_TIMEOUT_MS / 1000}]
  --sample-ms MS    RSS sampling interval for memory-over-time; 0 = off    [${DEFAULT_SAMPLE_MS}]
  --python CMD      the interpreter                                        [python3]
`;

export interface PeerArgs {
  python: string;
  n: number[];
  seed: number;
  repeats: number;
  formats: PythonFormat[];
  phases: ('dump' | 'load')[];
  out?: string;
  timeoutMs: number;
  sampleMs: number;
  help: boolean;
}

/** Parse `run --peer python` flags (`--peer` itself included). */
export function parsePeerArgs(argv: string[]): PeerArgs {
  const { values } = parseFlags('run --peer python', {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      peer: { type: 'string' },
      n: { type: 'string' },
      seed: { type: 'string' },
      repeats: { type: 'string' },
      codecs: { type: 'string' },
      phases: { type: 'string' },
      out: { type: 'string' },
      timeout: { type: 'string' },
      'sample-ms': { type: 'string' },
      python: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.peer !== undefined && values.peer !== 'python') throw new UsageError(`--peer ${values.peer}: the only peer is python`);
  const formats = values.codecs ? parseList('codecs', values.codecs) : [...PYTHON_FORMATS];
  for (const f of formats)
    if (!(PYTHON_FORMATS as readonly string[]).includes(f))
      throw new UsageError(`--codecs: '${f}' is not a Python peer format; formats: ${PYTHON_FORMATS.join(', ')}`);
  const phases = values.phases ? parseList('phases', values.phases) : ['dump', 'load'];
  for (const p of phases) if (p !== 'dump' && p !== 'load') throw new UsageError(`--phases: the Python peer runs dump and load, not '${p}'`);
  return {
    python: values.python ?? 'python3',
    n: values.n ? parseCountList('n', values.n) : [DEFAULT_N],
    seed: values.seed ? parseInteger('seed', values.seed) : DEFAULT_SEED,
    repeats: values.repeats ? parseCount('repeats', values.repeats) : DEFAULT_REPEATS,
    formats: [...new Set(formats)] as PythonFormat[],
    phases: [...new Set(phases)] as ('dump' | 'load')[],
    ...(values.out ? { out: resolve(values.out) } : {}),
    timeoutMs: values.timeout ? parseCount('timeout', values.timeout) * 1000 : DEFAULT_TIMEOUT_MS,
    sampleMs: values['sample-ms'] !== undefined ? parseCount('sample-ms', values['sample-ms'], { min: 0 }) : DEFAULT_SAMPLE_MS,
    help: values.help ?? false,
  };
}

export async function peerRunCommand(argv: string[]): Promise<number> {
  const args = parsePeerArgs(argv);
  if (args.help) {
    process.stdout.write(PEER_HELP);
    return EXIT.ok;
  }
  const found = await findPython(args.python);
  if (!found.ok) {
    process.stderr.write(`footprint: python peer: SKIPPED: ${found.reason}\n`);
    return EXIT.failed; // nothing was measured: never reported as ok
  }
  const stamp = new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const outFile = args.out ?? claimUniquePath(resolve(join('results', `${stamp}-python${found.python.version}.json`)), (p) => [p.replace(/\.json$/, '.md')]);
  const lock = lockOutput(outFile);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\nfootprint: ${sig} received: stopping the python child; every case recorded so far stays in ${outFile}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stderr.write(
    `footprint: python peer (Python ${found.python.version}): ${args.formats.length * args.phases.length * args.n.length} cases × ${args.repeats} repeats, results in ${outFile}\n`,
  );
  try {
    const { report, allOk } = await runPythonPeer({
      ...args,
      python: found.python,
      outFile,
      sinks: [PEER_MARKDOWN_SINK],
      signal: controller.signal,
      onProgress: (l) => process.stderr.write(`${l}\n`),
    });
    const cut = report.interrupted ? 'Interrupted: the table holds the cases recorded before the signal.\n\n' : '';
    process.stdout.write(`\n${cut}${renderPeerCaseTable(report)}\n\nresults: ${outFile}\nmarkdown: ${outFile.replace(/\.json$/i, '')}.md\n`);
    if (report.interrupted) return 130;
    return allOk ? EXIT.ok : EXIT.failed;
  } finally {
    lock.release();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
