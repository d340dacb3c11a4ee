/**
 * The layers stay apart: measurement (bench/measure), orchestration (bench/run), formats
 * (bench/codecs) and comparison (bench/compare) never import the command line (bench/cli) or the
 * presentation (bench/report); the CLI hands the run its sinks. And no runtime import cycle in
 * bench/: a cycle works only by import order. Imports are read with TypeScript's own parser, so
 * `import type` (erased at compile time) is told apart from a runtime import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
  /** `await import(...)`: loaded when the code runs, not with the module. */
  dynamic?: boolean;
}

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every relative import of `file` (static, re-export and dynamic), resolved to a .ts path. */
function importsOf(file: string, text: string): Edge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic = false): void => {
    if (!spec.startsWith('.')) return;
    edges.push({ from: file, to: normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))), typeOnly, ...(dynamic ? { dynamic } : {}) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allTypes = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) add(arg.text, false, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

/** Runtime import cycles (each as a list of files), by depth-first search over runtime edges. */
function runtimeCycles(edges: readonly Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const dfs = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) dfs(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) dfs(n);
  return cycles;
}

/**
 * The layer order, lowest first (README, "Layout"). A file may import (at run time or for its types)
 * only from its own layer or one below; `node:*` and packages are not files of the suite. The
 * foundation imports no package at all, and the data model only node:* and the foundation.
 */
const LAYERS: readonly { name: string; paths: readonly string[] }[] = [
  { name: 'foundation', paths: ['bench/types.ts', 'bench/types/', 'bench/units.ts', 'bench/errors.ts', 'bench/constants.ts'] },
  { name: 'data', paths: ['bench/data/', 'fixtures/', 'bench/checksum.ts', 'bench/verify-diff.ts', 'bench/shuffle.ts'] },
  { name: 'stats', paths: ['bench/stats.ts'] },
  { name: 'results', paths: ['bench/results/'] },
  { name: 'codecs', paths: ['bench/codecs/'] },
  { name: 'measure', paths: ['bench/measure/'] },
  { name: 'side measurements', paths: ['bench/sizes/', 'bench/throughput/', 'bench/sizeof/', 'bench/explain/'] },
  { name: 'compare', paths: ['bench/compare/'] },
  { name: 'run', paths: ['bench/run/'] },
  { name: 'runners', paths: ['bench/peer/', 'bench/matrix/', 'bench/fuzz/'] },
  { name: 'report', paths: ['bench/report/'] },
  { name: 'charts', paths: ['bench/charts/'] },
  { name: 'html', paths: ['bench/html/'] },
  { name: 'cli', paths: ['bench/cli/', 'bench/index.ts'] },
];

/** The layer of a file: its index in LAYERS. */
function layerOf(file: string): number {
  const i = LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
  if (i < 0) throw new Error(`${file} is in no layer: add its folder to LAYERS (and to the README's layout)`);
  return i;
}

/** Every import that runs back up the order, as `from (layer) -> to (layer)`. */
function upward(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => layerOf(e.to) > layerOf(e.from))
    .map((e) => `${e.from} (${LAYERS[layerOf(e.from)]!.name}) -> ${e.to} (${LAYERS[layerOf(e.to)]!.name})${e.typeOnly ? ' [type]' : ''}`);
}

/** Package imports (not relative, not node:*) of a file. */
function packagesOf(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    let spec: string | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      spec = node.moduleSpecifier.text;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
      spec = node.arguments[0].text;
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) spec = node.argument.literal.text;
    if (spec !== undefined && !spec.startsWith('.') && !spec.startsWith('node:')) out.push(spec);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The data model's one package, in one file: lossless-json reads `--data` samples so that integers
 * beyond 2^53 arrive as BigInts, unrounded, before the inference sees them (design §7.2), which
 * JSON.parse cannot do. Only by a dynamic import: a run without `--data` never loads it.
 */
const DATA_PACKAGES: Readonly<Record<string, string>> = { 'bench/data/sample.ts': 'lossless-json' };

const files = [...sources('bench'), ...sources('fixtures')].map((f) => relative('.', f));
const edges = files.flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));

describe('layering of bench/', () => {
  it('the scanner sees static, type-only, re-exported and dynamic imports', () => {
    const got = importsOf(
      'bench/run/x.ts',
      "import { a } from './a.js';\nimport type { B } from '../b.js';\nimport { type C } from './c.js';\nexport { d } from './d.js';\nconst e = await import('../report/e.js');",
    );
    expect(got.map((e) => `${e.to} ${e.typeOnly}`)).toEqual([
      'bench/run/a.ts false',
      'bench/b.ts true',
      'bench/run/c.ts true',
      'bench/run/d.ts false',
      'bench/report/e.ts false',
    ]);
    expect(
      runtimeCycles([
        { from: 'a', to: 'b', typeOnly: false },
        { from: 'b', to: 'a', typeOnly: false },
      ]),
    ).toHaveLength(1);
    expect(
      runtimeCycles([
        { from: 'a', to: 'b', typeOnly: false },
        { from: 'b', to: 'a', typeOnly: true },
      ]),
    ).toHaveLength(0);
  });

  it('the order is checked: a made-up import back up is caught, one down is not', () => {
    expect(upward([{ from: 'bench/run/x.ts', to: 'bench/report/y.ts', typeOnly: true }])).toEqual([
      'bench/run/x.ts (run) -> bench/report/y.ts (report) [type]',
    ]);
    expect(upward([{ from: 'bench/report/y.ts', to: 'bench/run/x.ts', typeOnly: false }])).toEqual([]);
    expect(() => layerOf('bench/nowhere/z.ts')).toThrow(/in no layer/);
  });

  it('every file is in a layer', () => {
    for (const f of files) expect(() => layerOf(f), f).not.toThrow();
  });

  it('no import, run-time or type-only, runs back up the layer order', () => {
    expect(upward(edges)).toEqual([]);
  });

  it('no import cycle between files, type-only imports included', () => {
    expect(runtimeCycles(edges.map((e) => ({ ...e, typeOnly: false }))).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('no runtime import cycle', () => {
    expect(runtimeCycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('the foundation imports no package, the data model only node:* and the foundation', () => {
    const foundation = files.filter((f) => layerOf(f) === 0);
    expect(foundation.flatMap((f) => packagesOf(f).map((p) => `${f} -> ${p}`))).toEqual([]);
    const data = files.filter((f) => layerOf(f) === 1);
    expect(
      data.flatMap((f) =>
        packagesOf(f)
          .filter((p) => DATA_PACKAGES[f] !== p)
          .map((p) => `${f} -> ${p}`),
      ),
    ).toEqual([]);
  });

  it('the type modules import only each other (codec <- report <- internal), and bench/types.ts only them', () => {
    const fromTypes = edges.filter((e) => e.from === 'bench/types.ts' || e.from.startsWith('bench/types/')).map((e) => `${e.from} -> ${e.to}`);
    expect(fromTypes.sort()).toEqual(
      [
        'bench/types.ts -> bench/types/codec.ts',
        'bench/types.ts -> bench/types/internal.ts',
        'bench/types.ts -> bench/types/report.ts',
        'bench/types/internal.ts -> bench/types/report.ts',
        'bench/types/report.ts -> bench/types/codec.ts',
      ].sort(),
    );
  });

  it('bench/data (the data model) imports only node:*, the foundation (types, errors, units) and itself', () => {
    const FOUNDATION = /^bench\/(types\.ts|types\/[^/]+\.ts|errors\.ts|units\.ts)$/;
    const bad: string[] = [];
    for (const file of sources('bench/data')) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        let spec: string | undefined;
        let dynamic = false;
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
          spec = node.moduleSpecifier.text;
        else if (
          ts.isCallExpression(node) &&
          node.expression.kind === ts.SyntaxKind.ImportKeyword &&
          node.arguments[0] &&
          ts.isStringLiteral(node.arguments[0])
        ) {
          spec = node.arguments[0].text;
          dynamic = true;
        }
        if (spec !== undefined) {
          const to = spec.startsWith('.') ? normalize(join(dirname(relative('.', file)), spec.replace(/\.js$/, '.ts'))) : spec;
          const ok =
            spec.startsWith('node:') ||
            (spec.startsWith('.') && (to.startsWith('bench/data/') || FOUNDATION.test(to))) ||
            (dynamic && DATA_PACKAGES[relative('.', file)] === spec);
          if (!ok) bad.push(`${relative('.', file)} -> ${to}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(sources('bench/data').length).toBeGreaterThan(5);
    expect(bad).toEqual([]);
  });

  it("the measured child loads none of the data model's verifier before its baseline (static imports reach only the definitions)", () => {
    // what a child holds before its baseline moves figures (the young generation's size: bench/data/registry.ts)
    const closure = (start: string): Set<string> => {
      const seen = new Set<string>([start]);
      const todo = [start];
      while (todo.length > 0) {
        const f = todo.pop()!;
        for (const e of edges)
          if (e.from === f && !e.typeOnly && !e.dynamic && !seen.has(e.to)) {
            seen.add(e.to);
            todo.push(e.to);
          }
      }
      return seen;
    };
    const DERIVED = [
      'bench/data/dataset.ts',
      'bench/data/hash.ts',
      'bench/data/columns.ts',
      'bench/data/diff.ts',
      'bench/data/size.ts',
      'bench/data/builtin.ts',
    ];
    const reached = closure('bench/measure/child.ts');
    expect(reached.has('bench/data/datasets/tuples.ts')).toBe(true); // the scan sees the child's own imports
    expect(DERIVED.filter((f) => reached.has(f))).toEqual([]);
    // a sample's reader and its JSON parser load only in a child measuring a sample (a dynamic import)
    expect(['bench/data/sample.ts', 'bench/data/infer.ts'].filter((f) => reached.has(f))).toEqual([]);
  });
});
