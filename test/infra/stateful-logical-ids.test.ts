import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './synth.ts';
import { type StatefulLogicalIds, statefulLogicalIds, TOPOLOGY_CONTEXTS } from './stateful-resources.ts';

// Captured from the templates of the commit before the enforcer was split into constructs by concern
// (fixtures/capture-stateful-logical-ids.ts says how). A stateful resource whose logical id or type changes would be
// replaced on the next deploy: its data lost, or the deploy failed on its fixed name.
const BEFORE = JSON.parse(readFileSync(new URL('./fixtures/stateful-logical-ids.json', import.meta.url), 'utf8')) as Record<keyof typeof TOPOLOGY_CONTEXTS, StatefulLogicalIds>;

describe.each(Object.entries(TOPOLOGY_CONTEXTS))('a deploy over a stack of before the split (%s topology)', (topology, context) => {
  const before = BEFORE[topology as keyof typeof TOPOLOGY_CONTEXTS];
  // Every stack's template of this topology, read once for all the tests below.
  let after: StatefulLogicalIds;
  beforeAll(() => {
    after = statefulLogicalIds(buildApp(context));
  });

  it('deploys the same stacks', () => {
    expect(Object.keys(after)).toEqual(Object.keys(before));
  });

  it.each(Object.keys(before))('keeps every stateful resource of %s under its logical id, with its type', (stackId) => {
    const now = after[stackId] ?? {};

    for (const [logicalId, type] of Object.entries(before[stackId]!)) expect({ logicalId, type: now[logicalId] }).toEqual({ logicalId, type });
  });
});
