/**
 * Flame graphs of `footprint explain`: one per case and view, from the pruned call tree in the
 * case's `explain` section. Root at the top, callees below (an icicle, as memray and speedscope's
 * "left heavy" view lay them out): each box's width is the bytes allocated in that frame and
 * everything it called, children sorted widest first from the left.
 *
 * Drawn as SVG directly rather than through vega-lite: the layout is one line per box, and each
 * box carries a <title> (function, file:line, package, bytes, share) that a browser shows on
 * hover, which vega's static SVG output does not.
 */
import type { CaseResult, ExplainView, FlameNode, Report } from '../types.js';
import type { ChartFigure } from './vega.js';
import { escapeHtml, MIB } from '../report/units.js';

const WIDTH = 1100;
const ROW = 18;
const FONT = 11;
/**
 * Width of one character at FONT px in a sans-serif face, on the generous side: labels are cut to
 * fit their box by this estimate (no font metrics in Node), and 6.2 px let a label of wide letters
 * overflow its box in Chromium.
 */
const CHAR = 7;

/** Warm colours by package, as flame graphs usually do; the suite's own code stands out in blue. */
function colour(pkg: string, name: string): string {
  if (pkg === 'serialization-footprint') return '#7fa7d9';
  if (pkg === 'node') return '#9fd49a';
  if (pkg.startsWith('(v8')) return name === '(root)' ? '#d9d9d9' : '#f2c46d';
  return '#f29b6b'; // a library from node_modules
}

function mib(bytes: number): string {
  const v = bytes / MIB;
  return `${v.toFixed(v < 10 ? 2 : 1)} MiB`;
}

interface Box {
  node: FlameNode;
  x: number;
  w: number;
  depth: number;
}

/** Boxes of the tree, x and width in px (boxes narrower than half a pixel are dropped). */
export function layoutFlame(root: FlameNode, width = WIDTH): Box[] {
  const boxes: Box[] = [];
  const scale = root.totalBytes > 0 ? width / root.totalBytes : 0;
  const visit = (node: FlameNode, x: number, depth: number): void => {
    const w = node.totalBytes * scale;
    if (w < 0.5) return;
    boxes.push({ node, x, w, depth });
    let cx = x;
    for (const c of node.children ?? []) {
      visit(c, cx, depth + 1);
      cx += c.totalBytes * scale;
    }
  };
  visit(root, 0, 0);
  return boxes;
}

/** The label that fits in `w` px: the function name, cut with an ellipsis, or nothing. */
export function fitLabel(text: string, w: number): string {
  const room = Math.floor((w - 6) / CHAR);
  if (room < 3) return '';
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

export function flameSvg(root: FlameNode, title: string): string {
  const boxes = layoutFlame(root);
  const depth = boxes.reduce((d, b) => Math.max(d, b.depth), 0) + 1;
  const top = 24;
  const height = top + depth * ROW + 4;
  const total = root.totalBytes;
  const rects = boxes.map((b) => {
    const n = b.node;
    const name = b.depth === 0 ? `all: ${mib(total)}` : n.functionName;
    const where = [n.location, n.package].filter(Boolean).join(', ');
    const tip = `${n.functionName}${where ? ` (${where})` : ''}: ${mib(n.totalBytes)} total, ${mib(n.selfBytes)} self, ${((n.totalBytes / (total || 1)) * 100).toFixed(1)}% of the view`;
    const y = top + b.depth * ROW;
    // the file:line too where it fits (the frame's file name only; the full path is in the hover title)
    const short = n.location ? `${name} ${n.location.split('/').pop()}` : name;
    const label = b.depth > 0 && fitLabel(short, b.w) === short ? short : fitLabel(name, b.w);
    return (
      `<g class="frame"><title>${escapeHtml(tip)}</title>` +
      `<rect x="${b.x.toFixed(2)}" y="${y}" width="${Math.max(b.w - 0.5, 0.5).toFixed(2)}" height="${ROW - 1}" fill="${colour(n.package, n.functionName)}" rx="2"/>` +
      (label ? `<text x="${(b.x + 3).toFixed(2)}" y="${y + ROW - 5}">${escapeHtml(label)}</text>` : '') +
      '</g>'
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="flame" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}">
<style>.flame text{font:${FONT}px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:#1d1d1f;pointer-events:none}.flame g.frame:hover rect{stroke:#333;stroke-width:1}</style>
<text x="0" y="15" style="font-weight:600;font-size:13px">${escapeHtml(title)}</text>
${rects.join('\n')}
</svg>`;
}

const VIEW_TITLE: Record<ExplainView, string> = {
  held: 'held at the end of the phase',
  allocated: 'allocated during the phase',
};

/** Every case's flame graphs, held view first. */
export function flameCharts(report: Report): ChartFigure[] {
  const out: ChartFigure[] = [];
  for (const c of report.cases.filter((x): x is CaseResult & { explain: NonNullable<CaseResult['explain']> } => x.explain !== undefined)) {
    for (const view of ['held', 'allocated'] as const) {
      const v = c.explain[view];
      if (!v) continue;
      const title = `${c.codec} ${c.phase}, N = ${c.n.toLocaleString('en-US')}: ${VIEW_TITLE[view]} (${mib(v.totalBytes)}, ${v.samples.toLocaleString('en-US')} samples)`;
      out.push({
        id: `flame-${c.codec}-${c.phase}-${c.n}-${view}`,
        title,
        caption:
          `V8's sampling heap profile (one sample per ${c.explain.samplingIntervalBytes.toLocaleString('en-US')} bytes on average) from an extra, unmeasured child. ` +
          `Width = estimated bytes allocated in a frame and its callees; root at the top. Hover a box for its file:line and bytes. ` +
          `Only the V8 heap: Buffers and other native memory are not sampled. Open ${v.file} in Chrome DevTools (Memory) or speedscope for the full profile.`,
        svg: flameSvg(v.flame, title),
      });
    }
  }
  return out;
}
