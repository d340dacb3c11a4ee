/** What a report says about its shards: a shard of a plan, or merged from shards (and partial). Pure. */
import type { Report } from '../types.js';

/** One markdown paragraph, or '' for a report of a whole plan measured at once. */
export function shardNote(report: Report): string {
  const s = report.shard;
  if (s) {
    return `This is shard ${s.index}/${s.count} of a plan of ${s.planned.length} cases: ${s.cases.length} of them (on ${s.host ?? 'an unnamed host'}); \`footprint merge\` joins the shards into one report.`;
  }
  const m = report.merged;
  if (!m) return '';
  const hosts = m.shards.map((x) => `${x.index}/${m.count} on ${x.host ?? 'an unnamed host'} (${x.environment.cpuModel})`);
  const partial = m.partial
    ? ` PARTIAL: ${m.partial.missing.length} planned case${m.partial.missing.length === 1 ? ' is' : 's are'} missing: ${m.partial.missing.join(', ')}.`
    : '';
  return `Merged from ${m.shards.length} of ${m.count} shards: ${hosts.join('; ')}. Each case was measured on its shard's machine.${partial}`;
}
