import { join, resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURE_RULES } from './architecture-rules.ts';

/**
 * The architecture kept by a tool: dependency-cruiser reads every import of the tree (type-only imports too) and
 * checks it against test/architecture-rules.ts. https://github.com/sverweij/dependency-cruiser/blob/main/doc/api.md
 */

const SOURCES = ['tasks', 'infra', 'preflight', 'local-run', 'simulator', 'bench', 'test', 'vitest.config.ts'];
/** A tree that breaks every rule once, on purpose: never part of the tree checked. */
const FIXTURE_DIR = join('test', 'fixtures', 'architecture');

/**
 * Every import of the files under `sources`, checked against the rules; paths relative to `baseDir`, which must be
 * absolute: enhanced-resolve resolves `#shared` imports from a relative one only by chance of its cache.
 */
async function cruiseTree(sources: readonly string[], baseDir = process.cwd()): Promise<ICruiseResult> {
  const { output } = await cruise(
    [...sources],
    {
      baseDir,
      validate: true,
      ruleSet: { forbidden: ARCHITECTURE_RULES },
      // The TypeScript 7 compiler offers no JavaScript API to parse with, so swc parses; type-only imports count.
      parser: 'swc',
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: ['node_modules', `^${FIXTURE_DIR}/`] },
    },
    // `#shared/x` resolves through package.json "imports" ("#shared/*": "./tasks/shared/*.ts"), as Node resolves it.
    { conditionNames: ['import', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  );
  if (typeof output === 'string') throw new Error('dependency-cruiser returned a report instead of its result');
  return output;
}

/** One line per violation: `rule: from → to`, and the cycle when the rule is about one. */
const violationsOf = (result: ICruiseResult, rule?: string) =>
  result.summary.violations
    .filter((violation) => rule === undefined || violation.rule.name === rule)
    .map(({ rule: { name }, from, to, cycle }) => `${name}: ${from} → ${to}${cycle ? ` (cycle: ${cycle.map((step) => step.name).join(' → ')})` : ''}`);

let tree: ICruiseResult;

beforeAll(async () => {
  tree = await cruiseTree(SOURCES);
});

describe('the architecture of this tree', () => {
  it('reads the whole tree, and resolves every #shared import to tasks/shared/', () => {
    const aliased = tree.modules.flatMap((module) => module.dependencies.filter((dependency) => dependency.module.startsWith('#shared/')));

    expect(tree.summary.totalCruised).toBeGreaterThan(200);
    expect(aliased.length).toBeGreaterThan(50);
    expect(aliased.filter((dependency) => dependency.couldNotResolve || !dependency.resolved.startsWith('tasks/shared/')).map((dependency) => dependency.module)).toEqual([]);
  });

  it.each(ARCHITECTURE_RULES.map((rule) => [rule.name!, rule.comment!]))('keeps %s: %s', (rule) => {
    expect(violationsOf(tree, rule)).toEqual([]);
  });
});

describe('the architecture rules', () => {
  it('each can fail: a tree that breaks every rule once is refused by every rule', async () => {
    const broken = await cruiseTree(['tasks', 'infra', 'preflight', 'local-run', 'simulator', 'test'], resolve(FIXTURE_DIR));

    const refusedBy = new Set(broken.summary.violations.map((violation) => violation.rule.name));

    expect([...refusedBy].sort()).toEqual(ARCHITECTURE_RULES.map((rule) => rule.name).sort());
    expect(violationsOf(broken, 'simulator-holds-its-own-facts')).toEqual(['simulator-holds-its-own-facts: simulator/imports-a-rule.ts → tasks/shared/rules/fact.ts']);
  });
});
