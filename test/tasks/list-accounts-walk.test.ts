import { ListAccountsForParentCommand, ListParentsCommand, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { contactOf } from '#shared/rules/contacts';
import { BASE_CONFIG, CONTACTS } from './support.ts';
import { account, documents, listAccounts, mockOrganization, organizations, PROD, ROOT, stored, storedChunks, useListAccountsBench, WORKLOADS } from './list-accounts-support.ts';
useListAccountsBench();

describe('list-accounts: the organization walk, the chunks and the pace', () => {
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
});
