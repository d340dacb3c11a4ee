/**
 * Which machine measured a case. In a merged report (`footprint merge`) each case keeps its shard's
 * machine (`case.shard` → `merged.shards[].environment` and host); elsewhere it is the report's.
 * Two cases measured on different machines differ by the machines as well as by what is compared,
 * so compare warns per case, as Bencher keeps its testbeds apart.
 */
import type { CaseResult, Report } from '../types.js';

interface Machine {
  host?: string;
  hardware: string;
}

function machineOf(report: Report, c: CaseResult): Machine {
  const shard = c.shard === undefined ? undefined : report.merged?.shards.find((s) => s.index === c.shard);
  const e = shard?.environment ?? report.environment;
  const host = shard ? shard.host : report.shard?.host;
  return { ...(host !== undefined ? { host } : {}), hardware: `${e.cpuModel}, ${e.cores} cores, ${(e.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB` };
}

const show = (m: Machine): string => (m.host !== undefined ? `${m.host} (${m.hardware})` : m.hardware);

/**
 * A warning when `a` and `b` were measured on different machines, or null. Only where a side is a
 * shard or a merged report (whole reports on different machines get the report-level warnings);
 * hosts are told apart only when both sides name theirs.
 */
export function machineWarning(ra: Report, a: CaseResult, rb: Report, b: CaseResult, labels: [string, string]): string | null {
  if (!ra.merged && !rb.merged && !ra.shard && !rb.shard) return null;
  const ma = machineOf(ra, a);
  const mb = machineOf(rb, b);
  const sameHost = ma.host === undefined || mb.host === undefined || ma.host === mb.host;
  if (sameHost && ma.hardware === mb.hardware) return null;
  return `${a.codec} ${a.phase} n=${a.n}: measured on different machines (${labels[0]}: ${show(ma)}; ${labels[1]}: ${show(mb)})`;
}
