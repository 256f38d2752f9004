import { DescribeAccountCommand, ListParentsCommand } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, CONTACTS, ENFORCER_ACCOUNT_ID, MANAGEMENT_ACCOUNT_ID } from './support.ts';
import { account, listAccounts, mockOrganization, organizations, plan, QUARANTINE, ROOT, stored, storedChunks, useListAccountsBench, WORKLOADS } from './list-accounts-support.ts';
useListAccountsBench();

describe('list-accounts: which accounts are planned, and how each is called', () => {
  it('leaves out SUSPENDED and PENDING_CLOSURE accounts, reading the deprecated Status when State is absent', async () => {
    mockOrganization({
      [ROOT]: [
        account('100000000001'),
        account('100000000002', { State: 'SUSPENDED' }),
        account('100000000003', { State: 'PENDING_CLOSURE' }),
        account('100000000004', { State: undefined, Status: 'SUSPENDED' }),
        account('100000000005', { State: undefined, Status: 'ACTIVE' }),
      ],
    });

    const work = await listAccounts();

    expect(work.accountCount).toBe(2);
    expect(storedChunks().flat().map((target) => target.id)).toEqual(['100000000001', '100000000005']);
  });

  it('lists each SUSPENDED or PENDING_CLOSURE account as skipped, with its state as the reason', async () => {
    mockOrganization({ [ROOT]: [account('100000000001'), account('100000000002', { State: 'SUSPENDED' }), account('100000000003', { State: 'PENDING_CLOSURE' })] });

    const work = await listAccounts();

    expect(work.skippedAccounts).toEqual([
      { accountId: '100000000002', accountName: 'account-100000000002', reason: 'account is SUSPENDED, not ACTIVE' },
      { accountId: '100000000003', accountName: 'account-100000000003', reason: 'account is PENDING_CLOSURE, not ACTIVE' },
    ]);
    expect(work.skippedCount).toBe(2);
  });

  it('reports a targeted SUSPENDED account as skipped instead of planning nothing without a word', async () => {
    mockOrganization({});
    organizations.on(DescribeAccountCommand, { AccountId: '555500000001' }).resolves({ Account: account('555500000001', { State: 'SUSPENDED' }) });
    organizations.on(ListParentsCommand, { ChildId: '555500000001' }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });

    const work = await listAccounts(BASE_CONFIG, { ...plan, accountIds: ['555500000001'] });

    expect(work).toMatchObject({ accountCount: 0, skippedCount: 1, skippedAccounts: [{ accountId: '555500000001', reason: 'account is SUSPENDED, not ACTIVE' }] });
  });

  it('does not list an excluded account as skipped, whatever its state', async () => {
    mockOrganization({ [ROOT]: [account('100000000002', { State: 'SUSPENDED' })] });

    const work = await listAccounts({ ...BASE_CONFIG, exclusions: { accountIds: ['100000000002'], organizationalUnitIds: [] } });

    expect(work.skippedAccounts).toBeUndefined();
  });

  it('calls the management account in standalone context as itself when the enforcer runs there (single topology)', async () => {
    mockOrganization({ [ROOT]: [account(ENFORCER_ACCOUNT_ID), account('100000000002')] }, ENFORCER_ACCOUNT_ID);

    await listAccounts();

    expect(stored(ENFORCER_ACCOUNT_ID)?.context).toBe('self');
    expect(stored('100000000002')?.context).toBe('organization');
  });

  it('marks the management account for the role branch when the enforcer is a delegated administrator', async () => {
    mockOrganization({ [ROOT]: [account(MANAGEMENT_ACCOUNT_ID), account(ENFORCER_ACCOUNT_ID), account('100000000002')] });

    await listAccounts();

    expect(stored(MANAGEMENT_ACCOUNT_ID)?.context).toBe('management');
    expect(stored(ENFORCER_ACCOUNT_ID)?.context).toBe('self');
    expect(stored('100000000002')?.context).toBe('organization');
  });

  it('counts excluded accounts and OUs without storing them', async () => {
    mockOrganization({ [ROOT]: [account('100000000001'), account('100000000002')], [QUARANTINE]: [account('100000000003')] });
    const config = { ...BASE_CONFIG, exclusions: { accountIds: ['100000000002'], organizationalUnitIds: [QUARANTINE] } };

    const work = await listAccounts(config);

    expect(work).toMatchObject({ accountCount: 1, excludedCount: 2 });
    expect(storedChunks().flat().map((target) => target.id)).toEqual(['100000000001']);
  });

  it('applies an account override over its OU override', async () => {
    mockOrganization({ [WORKLOADS]: [account('100000000002')] });
    const config = {
      ...BASE_CONFIG,
      overrides: {
        organizationalUnits: { [WORKLOADS]: { BILLING: { email: 'ou-billing@example.com' } } },
        accounts: { '100000000002': { BILLING: { email: 'account-billing@example.com', policy: 'fill-missing' as const } } },
      },
    };

    await listAccounts(config);

    expect(stored('100000000002')?.desired.BILLING).toEqual({ contact: { ...CONTACTS.BILLING, email: 'account-billing@example.com' }, policy: 'fill-missing' });
  });

  it('flags an account that joined within the last hour as recently joined', async () => {
    mockOrganization({ [ROOT]: [account('100000000001', { JoinedTimestamp: new Date(Date.now() - 5 * 60_000) }), account('100000000002')] });

    await listAccounts();

    expect(stored('100000000001')?.recentlyJoined).toBe(true);
    expect(stored('100000000002')?.recentlyJoined).toBe(false);
  });
});
