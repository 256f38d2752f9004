import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { CLOSING_ACCOUNT_ID, defaultOrganization, NEW_ACCOUNT_ID, SUSPENDED_ACCOUNT_ID } from '../../local-run/scenario.ts';
import type { SimState } from '../../simulator/index.ts';
import { calls, contactOf, EXAMPLE_CONFIG, reconcile, serve, startHarness } from '../local-run/harness.ts';
import { sampleEvent } from '../support/events.ts';

const CLOSED_ACCOUNT_ID = '555500000003';

/** The default organization with the new account still signing up, and one CLOSED account. */
function organizationWithPendingAccount(activatesInMs?: number): SimState {
  const organization = defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });
  const created = organization.accounts.find((a) => a.id === NEW_ACCOUNT_ID)!;
  created.status = 'PENDING_ACTIVATION';
  if (activatesInMs !== undefined) created.activatesAt = new Date(Date.now() + activatesInMs).toISOString();
  const suspended = organization.accounts.find((a) => a.id === SUSPENDED_ACCOUNT_ID)!;
  organization.accounts.push({ ...suspended, id: CLOSED_ACCOUNT_ID, name: 'closed-long-ago', status: 'CLOSED', contacts: {} });
  return organization;
}

const accountApiCalls = (enforcer: LocalEnforcer, accountId: string) =>
  ['GetAlternateContact', 'PutAlternateContact', 'DeleteAlternateContact'].reduce((sum, op) => sum + calls(enforcer, `account:${op}`, accountId), 0);

describe('accounts that are not active, end to end', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization: organizationWithPendingAccount() });
  });
  afterAll(() => enforcer.close());

  it('skips PENDING_ACTIVATION, SUSPENDED, PENDING_CLOSURE and CLOSED accounts with their state, and never calls them', async () => {
    const report = await reconcile(enforcer);

    const reasons = Object.fromEntries(report.skippedAccounts.map((s) => [s.accountId, s.reason]));
    expect(reasons[NEW_ACCOUNT_ID]).toMatch(/^account is PENDING_ACTIVATION: not ready yet/);
    expect(reasons[SUSPENDED_ACCOUNT_ID]).toBe('account is SUSPENDED, not ACTIVE');
    expect(reasons[CLOSING_ACCOUNT_ID]).toBe('account is PENDING_CLOSURE, not ACTIVE');
    expect(reasons[CLOSED_ACCOUNT_ID]).toBe('account is CLOSED, not ACTIVE');
    for (const id of [NEW_ACCOUNT_ID, SUSPENDED_ACCOUNT_ID, CLOSING_ACCOUNT_ID, CLOSED_ACCOUNT_ID]) expect(accountApiCalls(enforcer, id), id).toBe(0);
    expect(report.accountsFailed).toBe(0);
  });

  it('waits for a new account that is still signing up, then skips it and releases its claim for the next event', async () => {
    await serve(enforcer, organizationWithPendingAccount());

    const first = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(first.skippedAccounts).toEqual([expect.objectContaining({ accountId: NEW_ACCOUNT_ID, reason: expect.stringMatching(/PENDING_ACTIVATION/) })]);
    expect(calls(enforcer, 'organizations:DescribeAccount', NEW_ACCOUNT_ID)).toBeGreaterThan(1);
    expect(accountApiCalls(enforcer, NEW_ACCOUNT_ID)).toBe(0);

    // Sign-up finishes; the same event, delivered again, is not a duplicate any more: the claim was released.
    enforcer.simulator!.state.accounts.find((a) => a.id === NEW_ACCOUNT_ID)!.status = 'ACTIVE';
    const second = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(second).toMatchObject({ accountsProcessed: 1, accountsFailed: 0, skippedAccounts: [] });
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
  });

  it('reconciles a new account that finishes signing up while the run waits', async () => {
    await serve(enforcer, organizationWithPendingAccount(60_000));

    const report = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(report).toMatchObject({ accountsProcessed: 1, accountsFailed: 0, skippedAccounts: [] });
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
  });
});
