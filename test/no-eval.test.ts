/**
 * No code path evaluates data as code (the original experiment read its data
 * back with `eval(line)`). The one exception is the sizeof command's `--expr`,
 * which runs the user's own expression: only bench/sizeof/child.ts is allowlisted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['bench', 'fixtures', 'scripts'];
const ALLOWED = [/^bench\/sizeof\/child\.ts$/];
const PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['eval(', /(?<![\w$.])eval\s*\(/],
  ['indirect eval', /\(\s*0\s*,\s*eval\s*\)/],
  ['new Function', /\bnew\s+Function\b/],
  ['Function(', /(?<![\w$.])Function\s*\(/],
  ['vm.run*', /\bvm\s*\.\s*run\w*/],
  ['vm import', /from\s+['"](node:)?vm['"]|require\(\s*['"](node:)?vm['"]\s*\)/],
  ['string setTimeout', /\bset(Timeout|Interval)\s*\(\s*['"`]/],
];

/** Which patterns a source text contains. */
function evalUses(text: string): string[] {
  return PATTERNS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

describe('no code path evaluates data as code', () => {
  it('the scanner finds each form', () => {
    expect(evalUses('const t = eval(line);')).toEqual(['eval(']);
    expect(evalUses('(0, eval)(s)')).toEqual(['indirect eval']);
    expect(evalUses('const f = new Function("return " + s);')).toContain('new Function');
    expect(evalUses('Function("x", body)()')).toEqual(['Function(']);
    expect(evalUses("import vm from 'node:vm'; vm.runInNewContext(s)")).toEqual(['vm.run*', 'vm import']);
    expect(evalUses('setTimeout("alert(1)", 10)')).toEqual(['string setTimeout']);
    expect(evalUses('retrieval(x); myFunction(y); codec.evaluate(z); setTimeout(() => 1, 5)')).toEqual([]);
  });

  it('bench/, fixtures/ and scripts/ contain none of them outside the sizeof --expr allowlist', () => {
    const files = ROOTS.flatMap((r) => sources(r)).map((p) => relative('.', p));
    expect(files.length).toBeGreaterThan(20);
    const found = files.filter((f) => !ALLOWED.some((a) => a.test(f))).flatMap((f) => evalUses(readFileSync(f, 'utf8')).map((u) => `${f}: ${u}`));
    expect(found).toEqual([]);
  });
});
