/**
 * Types by audience: the package's entry (bench/index.ts, package.json's `exports` and `types`)
 * publishes the codec contract and the report schema, each with its version, and none of the
 * internal options; and the foundation's type modules import no library.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const program = ts.createProgram(['bench/index.ts'], {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const exported = (file: string): string[] => {
  const sf = program.getSourceFile(file);
  if (!sf) throw new Error(`${file} is not in the program`);
  return checker
    .getExportsOfModule(checker.getSymbolAtLocation(sf)!)
    .map((s) => s.name)
    .sort();
};

describe('the public types', () => {
  const published = exported('bench/index.ts');

  it('the package entry is bench/index.ts', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { types: string; exports: Record<string, { types?: string }> };
    expect(pkg.types).toBe('dist/bench/index.d.ts');
    expect(pkg.exports['.']!.types).toBe('./dist/bench/index.d.ts');
  });

  it('publishes the codec contract and the report schema, with their versions', () => {
    for (const name of [...exported('bench/types/codec.ts'), ...exported('bench/types/report.ts')]) expect(published).toContain(name);
    for (const name of ['Codec', 'LoadedData', 'Report', 'CaseResult', 'CODEC_CONTRACT_VERSION', 'SCHEMA_VERSION']) expect(published).toContain(name);
  });

  it('publishes none of the internal options', () => {
    const internal = exported('bench/types/internal.ts');
    expect(internal).toEqual(expect.arrayContaining(['SuiteOptions', 'ReportSink', 'ProgressStatus', 'ThroughputOptions']));
    expect(published.filter((name) => internal.includes(name))).toEqual([]);
  });

  it('the type modules import no library (Arrow types live with the Arrow codecs)', () => {
    for (const file of ['bench/types/codec.ts', 'bench/types/report.ts', 'bench/types/internal.ts']) {
      const imports = program.getSourceFile(file)!.statements.filter(ts.isImportDeclaration);
      const specs = imports.map((i) => (i.moduleSpecifier as ts.StringLiteral).text);
      expect(
        specs.filter((s) => !s.startsWith('./')),
        file,
      ).toEqual([]);
    }
  });
});
