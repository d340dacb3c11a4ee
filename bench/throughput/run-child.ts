/**
 * Parent side of the throughput run: spawn one fresh `node --expose-gc`
 * child (bench/throughput/child.js, compiled), forward its progress lines, and
 * return the ThroughputSection it prints.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ThroughputChildRequest } from './child.js';
import type { ThroughputSection } from '../types.js';
import { errorMessage } from '../errors.js';

export const THROUGHPUT_CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface ThroughputChildOptions extends ThroughputChildRequest {
  /** Node binary of the child (the suite's `nodeBinary`). */
  nodeBinary: string;
  onProgress?: (line: string) => void;
  /** Aborting kills the child; the promise rejects. */
  signal?: AbortSignal;
}

/**
 * The batch (records per operation) of a dataset: the tuples' batch scaled by the dataset's default N
 * against the tuples' (1,000,000), so that an operation handles about the same share of each dataset's
 * default data (about 1% with the default batch, whose heap the datasets make about equal).
 */
export function batchFor(tuplesBatch: number, defaultN: number, tuplesDefaultN: number): number {
  return Math.max(1, Math.round((tuplesBatch * defaultN) / tuplesDefaultN));
}

export function runThroughputChild(opts: ThroughputChildOptions): Promise<ThroughputSection> {
  const { nodeBinary, onProgress, signal, ...request } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBinary, ['--expose-gc', THROUGHPUT_CHILD, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stdout = '';
    let stderrTail = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderrTail = (stderrTail + s).slice(-2000);
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) if (l) onProgress?.(l);
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      if (code !== 0) {
        reject(new Error(`throughput child exited with ${sig ?? `code ${code}`}: ${stderrTail.trim().split('\n').slice(-3).join(' / ')}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as ThroughputSection);
      } catch (err) {
        reject(new Error(`throughput child printed no section: ${errorMessage(err)}`));
      }
    });
  });
}
