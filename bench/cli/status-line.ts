/**
 * Where progress goes: on a terminal, one live line rewritten in place (and
 * redrawn each second so the elapsed time and ETA move inside long cases),
 * with permanent lines printed above it; elsewhere (CI logs, files) plain
 * lines, one per finished run, never a carriage return.
 */
import { monotonicMs } from '../measure/protocol.js';
import { renderStatusLine } from '../report/timing.js';
import type { ProgressStatus } from '../types.js';

export interface StatusSink {
  /** A permanent line (a finished case, sizes). */
  log(line: string): void;
  /** The latest status. */
  update(status: ProgressStatus): void;
  /** Clear the live line before the final output. */
  close(): void;
}

export function statusSink(out: NodeJS.WriteStream): StatusSink {
  if (!out.isTTY) {
    let runsDone = -1;
    return {
      log: (line) => out.write(`${line}\n`),
      update: (s) => {
        // one plain line per finished run, not one per second
        if (s.runsDone === runsDone || s.runsDone === 0) return;
        runsDone = s.runsDone;
        out.write(`${renderStatusLine(s, monotonicMs())}\n`);
      },
      close: () => {},
    };
  }
  let live = '';
  const draw = (): void => {
    const width = Math.max(20, (out.columns || 100) - 1); // 0 or undefined when the terminal does not say
    out.write(`\r\x1b[K${live.length > width ? `${live.slice(0, width - 1)}…` : live}`);
  };
  return {
    log: (line) => {
      out.write(`\r\x1b[K${line}\n`);
      if (live) draw();
    },
    update: (s) => {
      live = renderStatusLine(s, monotonicMs());
      draw();
    },
    close: () => {
      if (live) out.write('\r\x1b[K');
      live = '';
    },
  };
}
