import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEnforcer } from '../../local/enforcer.ts';
import { defaultOrganization } from '../../local/scenario.ts';
import { EXAMPLE_CONFIG, reconcile, startHarness } from './harness.ts';

describe('a reconciliation in a throttling storm, end to end', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    // The Account API quotas cut tenfold: Get 1/s with a burst of 1, Put 0.5/s with a burst of 1.
    enforcer = await startHarness({ organization: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), quotaScale: 0.1, speedup: 200 });
  });
  afterAll(() => enforcer.close());

  it('still ends with every account compliant', async () => {
    const report = await reconcile(enforcer);

    expect(report.failures).toEqual([]);
    expect(report.counts.SECURITY).toMatchObject({ assigned: 31, updated: 4, failed: 0 });
    expect(enforcer.simulator!.stats().throttled['account:GetAlternateContact']).toBeGreaterThan(0);
    const again = await reconcile(enforcer);
    expect(again.counts.SECURITY).toMatchObject({ assigned: 0, updated: 0, unchanged: 40 });
  });
});
