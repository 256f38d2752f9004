import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { EXAMPLE_CONFIG, reconcile, startHarness } from '../local-run/harness.ts';

describe('a reconciliation in a throttling storm, end to end', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    // The Account API quotas cut tenfold (Get 1/s, Put 0.5/s, bursts of 1), on a simulated clock running 1000 times
    // as fast: minutes of storm, SDK backoff and state machine retries pass in about a second.
    enforcer = await startHarness({ organization: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), quotaScale: 0.1, speedup: 1000 });
  });
  afterAll(() => enforcer.close());

  it('still ends with every account compliant, each type written once', async () => {
    const report = await reconcile(enforcer);
    const stats = enforcer.simulator!.stats();

    expect(report.failures).toEqual([]);
    expect(report.counts.SECURITY).toMatchObject({ assigned: 31, updated: 4, failed: 0 });
    expect(stats.throttled['account:GetAlternateContact']).toBeGreaterThan(0);
    expect(stats.throttled['account:PutAlternateContact']).toBeGreaterThan(0);
    expect(stats.repeated['account:PutAlternateContact'] ?? 0).toBe(0);
    const again = await reconcile(enforcer);
    expect(again.counts.SECURITY).toMatchObject({ assigned: 0, updated: 0, unchanged: 40 });
  });
});
