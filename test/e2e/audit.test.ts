import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { calls, EXAMPLE_CONFIG, reconcile, startHarness } from '../local-run/harness.ts';

describe('a reconciliation in audit mode, end to end', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({
      organization: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }),
      config: { ...EXAMPLE_CONFIG, mode: 'audit' },
    });
  });
  afterAll(() => enforcer.close());

  it('reports the drift and makes zero Put calls', async () => {
    const report = await reconcile(enforcer);

    expect(report.dryRun).toBe(true);
    expect(report.counts.SECURITY).toMatchObject({ assigned: 31, updated: 4, unchanged: 5 });
    expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
  });
});
