/**
 * bench/results/results.schema.json and the result types in bench/types/report.ts describe the same file.
 * Walked together from `Report` with TypeScript's own type checker: every property of a result type
 * is declared in the schema at the same place and the other way round, and a property the types
 * require is required by the schema. A field added to one and not the other fails here.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type SchemaNode = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
};

const schema = JSON.parse(readFileSync('bench/results/results.schema.json', 'utf8')) as SchemaNode & { definitions: Record<string, SchemaNode> };

function deref(node: SchemaNode): SchemaNode {
  let n = node;
  while (n.$ref) n = schema.definitions[n.$ref.replace('#/definitions/', '')]!;
  return n;
}

/** The schema's object node under `node` (through $ref, anyOf/oneOf and `type: [..., 'null']`), or null when it is not an object. */
function objectNode(node: SchemaNode): SchemaNode | null {
  const n = deref(node);
  if (n.properties) return n;
  for (const alt of [...(n.anyOf ?? []), ...(n.oneOf ?? [])]) {
    const o = objectNode(alt);
    if (o) return o;
  }
  return null;
}

const program = ts.createProgram(['bench/types/report.ts'], {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const source = program.getSourceFile('bench/types/report.ts')!;

/** Interfaces and type aliases of bench/types/report.ts only: library types (Float64Array, apache-arrow) are not the file's shape. */
function ownObjectType(t: ts.Type): ts.Type | null {
  const objects = t.isUnion() ? t.types.filter((p) => (p.flags & ts.TypeFlags.Object) !== 0 && !checker.isArrayType(p)) : [];
  // a union of object types declared here (e.g. Verification): walked as one, with every member's fields
  if (
    objects.length > 1 &&
    objects.every((p) => (p.aliasSymbol ?? p.getSymbol())?.declarations?.[0]?.getSourceFile() === source || p.getSymbol()?.name === '__type')
  )
    return t;
  const parts = t.isUnion() ? t.types : [t];
  for (const p of parts) {
    if (p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) continue;
    const decl = (p.aliasSymbol ?? p.getSymbol())?.declarations?.[0];
    if (decl && decl.getSourceFile() === source && p.flags & ts.TypeFlags.Object && p.getProperties().length > 0 && !checker.isArrayType(p)) return p;
  }
  return null;
}

function elementType(t: ts.Type): ts.Type | null {
  const parts = t.isUnion() ? t.types : [t];
  for (const p of parts) if (checker.isArrayType(p)) return checker.getTypeArguments(p as ts.TypeReference)[0] ?? null;
  return null;
}

function reportType(): ts.Type {
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Report')!;
  return checker.getTypeAtLocation(decl.name);
}

/** The properties of an object type, or of every member of a union of object types (a field is optional unless every member requires it). */
function propertiesOf(type: ts.Type): Map<string, { sym: ts.Symbol; optional: boolean }> {
  const members = type.isUnion() ? type.types.filter((t) => (t.flags & ts.TypeFlags.Object) !== 0) : [type];
  const out = new Map<string, { sym: ts.Symbol; optional: boolean; count: number }>();
  for (const m of members) {
    for (const sym of m.getProperties()) {
      const e = out.get(sym.name);
      const optional = (sym.flags & ts.SymbolFlags.Optional) !== 0;
      if (e) out.set(sym.name, { sym: e.sym, optional: e.optional || optional, count: e.count + 1 });
      else out.set(sym.name, { sym, optional, count: 1 });
    }
  }
  return new Map([...out].map(([k, v]) => [k, { sym: v.sym, optional: v.optional || v.count < members.length }]));
}

function walk(type: ts.Type, node: SchemaNode, path: string, problems: string[], seen: Set<string>): void {
  // each (type, schema node) pair once: recursive types (FlameNode, SizeofNode) would walk forever
  const key = `${checker.typeToString(type)}@${JSON.stringify(Object.keys(node.properties ?? {}))}`;
  if (seen.has(key)) return;
  seen.add(key);
  const props = propertiesOf(type);
  const declared = node.properties ?? {};
  for (const [name, { sym, optional }] of props) {
    const where = `${path}.${name}`;
    const child = declared[name];
    if (!child) {
      problems.push(`${where}: in bench/types/report.ts, not in the schema`);
      continue;
    }
    if (!optional && !(node.required ?? []).includes(name)) problems.push(`${where}: required by the types, optional in the schema`);
    const t = checker.getTypeOfSymbolAtLocation(sym, source);
    const obj = ownObjectType(t);
    const childObject = objectNode(child);
    if (obj && childObject) walk(obj, childObject, where, problems, seen);
    const el = elementType(t);
    const items = deref(child).items;
    const elObj = el ? ownObjectType(el) : null;
    const itemsObject = items ? objectNode(items) : null;
    if (elObj && itemsObject) walk(elObj, itemsObject, `${where}[]`, problems, seen);
  }
  for (const name of Object.keys(declared)) {
    if (!props.has(name)) problems.push(`${path}.${name}: in the schema, not in bench/types/report.ts`);
  }
}

describe('results schema and types', () => {
  it('declare the same fields, with the same required ones, from Report down', () => {
    const report = reportType();
    const problems: string[] = [];
    walk(report, schema, 'Report', problems, new Set());
    expect(problems).toEqual([]);
  });

  it('the walk sees a field missing on either side', () => {
    const problems: string[] = [];
    const report = reportType();
    const trimmed: SchemaNode = { ...schema, properties: { ...schema.properties, extraInSchema: { type: 'string' } } };
    delete trimmed.properties!.startedAt;
    walk(report, trimmed, 'Report', problems, new Set());
    expect(problems).toContain('Report.startedAt: in bench/types/report.ts, not in the schema');
    expect(problems).toContain('Report.extraInSchema: in the schema, not in bench/types/report.ts');
  });
});
