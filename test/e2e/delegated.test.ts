import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '#shared/rules/model';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { expectOnlyStandaloneCalls, contactOf, EXAMPLE_CONFIG, reconcile, serve, startHarness } from '../local-run/harness.ts';

const organization = () => defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });

describe('a reconciliation in the delegated topology, end to end', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization: organization(), topology: 'delegated' });
  });
  afterAll(() => enforcer.close());
  // One whole-organization run serves every test.
  let report: Report;
  beforeAll(async () => {
    await serve(enforcer, organization());
    report = await reconcile(enforcer);
  });

  it("reaches the design brief's numbers from the delegated administrator", () => {
    expect(report.counts.SECURITY).toEqual({ assigned: 31, updated: 4, deleted: 0, unchanged: 5, skipped: 0, failed: 0 });
    expect(report.failures).toEqual([]);
  });

  it('reaches the management account through its role, in standalone context', () => {
    // Calls made as the management account itself: the enforcer's own credentials never act there.
    expect(enforcer.simulator!.stats().byCaller[MANAGEMENT_ACCOUNT_ID]).toBeGreaterThan(0);
    expect(contactOf(enforcer, MANAGEMENT_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
    // The management account passing its own id, or anyone passing it, would be AccessDenied.
    expect(enforcer.simulator!.stats().errors.AccessDeniedException).toBeUndefined();
    expectOnlyStandaloneCalls(enforcer, MANAGEMENT_ACCOUNT_ID);
  });

  it("handles the delegated administrator's own account in standalone context", () => {
    expect(contactOf(enforcer, SECURITY_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
    expect(enforcer.simulator!.stats().byCaller[SECURITY_ACCOUNT_ID]).toBeGreaterThan(0);
    // The simulator would accept AccountId here too (it names a member); the enforcer must not rely on that.
    expectOnlyStandaloneCalls(enforcer, SECURITY_ACCOUNT_ID);
  });
});
