import { contactOf } from '#shared/rules/contacts';
import {
  AccountNotFoundException,
  ChildNotFoundException,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
  TooManyRequestsException,
  type Account,
} from '@aws-sdk/client-organizations';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '#shared/rules/config';
import type { RunPlan, TargetAccount } from '#shared/rules/model';
import { BASE_CONFIG, CONTACTS, ENFORCER_ACCOUNT_ID, lambdaContext, loadTask, MANAGEMENT_ACCOUNT_ID } from './support.ts';

const organizations = mockSdkClient(OrganizationsClient);
const documents = mockSdkClient(DynamoDBDocumentClient);

const ROOT = 'r-ab12';
const WORKLOADS = 'ou-ab12-cd34ef56';
const PROD = 'ou-ab12-pr0dpr0d';
const QUARANTINE = 'ou-ab12-qu4r4nt1';
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

const plan: RunPlan = { status: 'RUN', runId: 'run-1', trigger: 'schedule', dryRun: false, claimKey: 'schedule:1' };
const account = (Id: string, extra: Partial<Account> = {}): Account => ({ Id, Name: `account-${Id}`, State: 'ACTIVE', JoinedTimestamp: LONG_AGO, ...extra });

/** An organization: root → Workloads → Prod, and Quarantine under the root. */
function mockOrganization(accounts: Record<string, Account[]>, management = MANAGEMENT_ACCOUNT_ID) {
  organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: management } });
  organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: ROOT }] });
  organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
  organizations.on(ListOrganizationalUnitsForParentCommand, { ParentId: ROOT }).resolves({ OrganizationalUnits: [{ Id: WORKLOADS }, { Id: QUARANTINE }] });
  organizations.on(ListOrganizationalUnitsForParentCommand, { ParentId: WORKLOADS }).resolves({ OrganizationalUnits: [{ Id: PROD }] });
  organizations.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
  for (const [ParentId, list] of Object.entries(accounts)) organizations.on(ListAccountsForParentCommand, { ParentId }).resolves({ Accounts: list });
}

/** Every account written to the run table, chunk by chunk. */
function storedChunks(): TargetAccount[][] {
  return documents
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => Object.values(call.args[0].input.RequestItems ?? {}).flat())
    .map((request) => request.PutRequest?.Item?.['accounts'] as TargetAccount[]);
}
const stored = (id: string) => storedChunks().flat().find((target) => target.id === id);

const listAccounts = async (config: ConfigInput = BASE_CONFIG, runPlan: RunPlan = plan) => {
  const { handler } = await loadTask(() => import('../../tasks/list-accounts.ts'), config);
  return handler({ plan: runPlan }, lambdaContext);
};

beforeEach(() => {
  organizations.reset();
  documents.reset();
  documents.on(BatchWriteCommand).resolves({});
});

describe('list-accounts', () => {
  it('walks the organization breadth-first and gives each account the OU path from the root down', async () => {
    mockOrganization({ [ROOT]: [account('100000000001')], [WORKLOADS]: [account('100000000002')], [PROD]: [account('100000000003')] });
    const config = { ...BASE_CONFIG, overrides: { organizationalUnits: { [WORKLOADS]: { SECURITY: { name: 'Workloads SOC' } }, [PROD]: { SECURITY: { name: 'Prod SOC' } } } } };

    await listAccounts(config);

    expect(contactOf(stored('100000000001')?.desired.SECURITY)?.name).toBe(CONTACTS.SECURITY.name);
    expect(contactOf(stored('100000000002')?.desired.SECURITY)?.name).toBe('Workloads SOC');
    expect(contactOf(stored('100000000003')?.desired.SECURITY)?.name).toBe('Prod SOC');
  });

  it('asks for each parent once, never ListParents per account', async () => {
    mockOrganization({ [WORKLOADS]: [account('100000000002'), account('100000000004')] });

    await listAccounts();

    expect(organizations).toHaveReceivedCommandTimes(ListAccountsForParentCommand, 4);
    expect(organizations).not.toHaveReceivedCommand(ListParentsCommand);
  });

  it('follows every page of a parent with more than 20 pages of accounts', async () => {
    mockOrganization({});
    const PAGES = 25;
    for (let page = 0; page < PAGES; page++) {
      organizations
        .on(ListAccountsForParentCommand, { ParentId: ROOT, NextToken: page === 0 ? undefined : `page-${page}` })
        .resolves({ Accounts: [account(String(200000000000 + page))], NextToken: page + 1 < PAGES ? `page-${page + 1}` : undefined });
    }

    const work = await listAccounts();

    expect(work.accountCount).toBe(PAGES);
    expect(storedChunks().flat()).toHaveLength(PAGES);
  });

  it('stores the accounts in chunks of 10 and returns only the chunk numbers', async () => {
    mockOrganization({ [ROOT]: Array.from({ length: 23 }, (_, i) => account(String(300000000000 + i))) });

    const work = await listAccounts();

    expect(work).toMatchObject({ runId: 'run-1', accountCount: 23, chunks: [0, 1, 2] });
    expect(storedChunks().map((chunk) => chunk.length)).toEqual([10, 10, 3]);
  });

  it('gives each recently joined account a chunk of its own, so its not-ready retries hold up no other account', async () => {
    const justJoined = { JoinedTimestamp: new Date(Date.now() - 5 * 60_000) };
    mockOrganization({ [ROOT]: [...Array.from({ length: 11 }, (_, i) => account(String(100000000001 + i))), account('100000000099', justJoined)] });

    await listAccounts();

    expect(storedChunks().map((chunk) => chunk.map((target) => target.id))).toEqual([
      ['100000000099'],
      Array.from({ length: 10 }, (_, i) => String(100000000001 + i)),
      ['100000000011'],
    ]);
  });

  it('returns a work list far under the 256 KiB state limit for 10,000 accounts', async () => {
    mockOrganization({ [ROOT]: Array.from({ length: 10_000 }, (_, i) => account(String(200000000000 + i))) });

    const work = await listAccounts();

    expect(work.accountCount).toBe(10_000);
    expect(Buffer.byteLength(JSON.stringify(work))).toBeLessThan(8 * 1024);
  });

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

  it('turns Organizations throttling into ThrottledError, which the state machine retries', async () => {
    mockOrganization({});
    organizations.on(ListAccountsForParentCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));

    await expect(listAccounts()).rejects.toThrow(expect.objectContaining({ name: 'ThrottledError' }));
  });

  it.each([
    [3, 2],
    [2, 4],
    [1, 8],
  ])('derives a concurrency that keeps %i parallel Gets and Puts per account within the bursts of 15 and 8', async (types, expected) => {
    mockOrganization({});
    const contacts = Object.fromEntries(Object.entries(CONTACTS).slice(0, types));

    const work = await listAccounts({ contacts });

    expect(work.maxConcurrency).toBe(expected);
  });

  it('takes the configured concurrency when there is one', async () => {
    mockOrganization({});

    const work = await listAccounts({ ...BASE_CONFIG, maxConcurrency: 2 });

    expect(work.maxConcurrency).toBe(2);
  });

  it('sends again the items DynamoDB left unprocessed', async () => {
    mockOrganization({ [ROOT]: [account('100000000001')] });
    const unprocessed = { 'run-table': [{ PutRequest: { Item: { runId: 'run-1', item: 'CHUNK#000000' } } }] };
    documents.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: unprocessed }).resolves({});

    await listAccounts();

    expect(documents).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
  });

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
