import { AccountNotFoundException, ChildNotFoundException, DescribeAccountCommand, ListAccountsForParentCommand, ListParentsCommand } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import type { RunPlan } from '#shared/rules/model';
import { BASE_CONFIG, MANAGEMENT_ACCOUNT_ID } from './support.ts';
import { account, listAccounts, mockOrganization, organizations, plan, PROD, QUARANTINE, ROOT, storedChunks, useListAccountsBench, WORKLOADS } from './list-accounts-support.ts';
useListAccountsBench();

describe('list-accounts for named accounts (an event, a console input)', () => {
  it('describes only the planned accounts and finds their OU path through ListParents', async () => {
    mockOrganization({});
    organizations.on(DescribeAccountCommand, { AccountId: '222222222222' }).resolves({ Account: account('222222222222') });
    organizations.on(ListParentsCommand, { ChildId: '222222222222' }).resolves({ Parents: [{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }] });
    organizations.on(ListParentsCommand, { ChildId: PROD }).resolves({ Parents: [{ Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' }] });
    organizations.on(ListParentsCommand, { ChildId: WORKLOADS }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
    const config = { ...BASE_CONFIG, exclusions: { accountIds: [], organizationalUnitIds: [WORKLOADS] } };

    const work = await listAccounts(config, { ...plan, accountIds: ['222222222222'] });

    expect(work).toMatchObject({ accountCount: 0, excludedCount: 1 });
    expect(organizations).not.toHaveReceivedCommand(ListAccountsForParentCommand);
  });

  it('rejects a planned account id the organization does not know', async () => {
    mockOrganization({});
    organizations.on(DescribeAccountCommand).rejects(new AccountNotFoundException({ message: 'not found', $metadata: {} }));

    const listing = listAccounts(BASE_CONFIG, { ...plan, accountIds: ['999999999999'] });

    await expect(listing).rejects.toThrow(expect.objectContaining({ name: 'MalformedInputError', message: 'accountIds: 999999999999 is not an account of this organization' }));
  });

  it('rejects a planned account id that ListParents does not know, with the same message', async () => {
    mockOrganization({});
    organizations.on(DescribeAccountCommand).resolves({ Account: account('999999999999') });
    organizations.on(ListParentsCommand).rejects(new ChildNotFoundException({ message: 'not found', $metadata: {} }));

    const listing = listAccounts(BASE_CONFIG, { ...plan, accountIds: ['999999999999'] });

    await expect(listing).rejects.toThrow(expect.objectContaining({ name: 'MalformedInputError', message: 'accountIds: 999999999999 is not an account of this organization' }));
  });
});

describe('list-accounts', () => {
  describe('for a joined event without its account id (a joinedSearch)', () => {
    const JOINED = '2026-11-21T14:07:40Z';
    const search = {
      eventId: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
      joinedMethod: 'INVITED',
      joinedTime: JOINED,
      from: '2026-11-21T13:52:40.000Z',
      to: '2026-11-21T14:22:40.000Z',
      detailKeys: ['joinedMethod', 'joinedTime'],
    };
    const searchPlan: RunPlan = { status: 'RUN', runId: 'joined-1', trigger: 'account-joined', dryRun: false, joinedSearch: search, claimKey: `joined:${search.eventId}` };
    const joinedAt = (offsetMinutes: number) => ({ JoinedTimestamp: new Date(Date.parse(JOINED) + offsetMinutes * 60_000) });

    it('plans only the accounts that joined in the window, wherever they are, with their OU paths and nothing else', async () => {
      mockOrganization({
        [ROOT]: [account(MANAGEMENT_ACCOUNT_ID, joinedAt(0)), account('100000000001', joinedAt(-20))],
        [WORKLOADS]: [account('100000000002', joinedAt(1))],
        [PROD]: [account('100000000003', joinedAt(-14)), account('100000000004')],
      });

      const work = await listAccounts(BASE_CONFIG, searchPlan);

      expect(work.accountCount).toBe(2);
      expect(storedChunks().flat().map((target) => [target.id, target.ouPath])).toEqual([
        ['100000000002', [WORKLOADS]],
        ['100000000003', [WORKLOADS, PROD]],
      ]);
      expect(organizations).not.toHaveReceivedCommand(DescribeAccountCommand);
    });

    it('returns the warning that names the event, the window and the accounts found', async () => {
      mockOrganization({ [ROOT]: [account('100000000002', joinedAt(0))] });

      const work = await listAccounts(BASE_CONFIG, searchPlan);

      expect(work.warnings).toEqual([
        {
          code: 'JoinedAccountIdMissing',
          message: expect.stringMatching(new RegExp(`^AccountJoinedOrganization event ${search.eventId} .*Reconciled instead the account that joined between ${search.from} and ${search.to} .*: 100000000002 \\(account-100000000002\\)\\.`)),
        },
      ]);
    });

    it('plans nothing, and still warns, when no account joined in the window', async () => {
      mockOrganization({ [ROOT]: [account('100000000001')] });

      const work = await listAccounts(BASE_CONFIG, searchPlan);

      expect(work).toMatchObject({ accountCount: 0, chunks: [] });
      expect(work.warnings?.[0]?.message).toContain('No account joined between');
    });

    it('leaves out an excluded account it found, as every run does', async () => {
      mockOrganization({ [QUARANTINE]: [account('100000000005', joinedAt(0))] });
      const config = { ...BASE_CONFIG, exclusions: { accountIds: [], organizationalUnitIds: [QUARANTINE] } };

      const work = await listAccounts(config, searchPlan);

      expect(work).toMatchObject({ accountCount: 0, excludedCount: 1 });
    });
  });
});
