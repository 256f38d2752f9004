import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../simulator/clock.ts';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { readDefinition, type TaskCall } from '../../local-run/engine.ts';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { EXAMPLE_CONFIG, LIMIT_ALLOWANCE_REAL_MS, reconcile, startHarness } from './harness.ts';

/**
 * ToleratedFailurePercentage as AWS applies it, on the shipped definition with the threshold at 0: the first child
 * that fails fails the Map, the children still running stop, and no queued chunk starts after the Map has ended (a
 * task already running finishes, as a Lambda invocation does on AWS when its execution stops).
 */

describe('a Distributed Map that tolerates no failed child, in the local engine', () => {
  let enforcer: LocalEnforcer;
  const loaded: number[] = [];
  const onTask = ({ state, input }: TaskCall) => {
    if (state === 'LoadChunk') loaded.push((input as { chunk: number }).chunk);
  };
  beforeAll(async () => {
    const definition = readDefinition();
    definition.States['ReconcileAccounts']!.ToleratedFailurePercentage = 0;
    enforcer = await startHarness({ organization: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), stallAllowanceRealMs: LIMIT_ALLOWANCE_REAL_MS, definition, onTask });
  });
  afterAll(() => enforcer.close());

  it('fails the Map at the first child past its limit, starts no queued chunk, and reports every account with the reason', async () => {
    // Every Account API call takes 200 s, so the first chunks in flight run past their 5 minutes.
    enforcer.simulator!.injectFaults(({ operation }) => (operation.startsWith('account:') ? { delayMs: 200_000 } : undefined));

    const report = await reconcile(enforcer);
    const loadedAtEnd = loaded.length;
    await sleep(5 * 60_000);

    expect(report.accountsProcessed).toBe(40);
    expect(report.failures.map((failure) => failure.reason)).toContainEqual(expect.stringContaining('more than the Map tolerates'));
    expect(loadedAtEnd).toBeLessThan(5);
    expect(loaded.length).toBe(loadedAtEnd);
  });
});
