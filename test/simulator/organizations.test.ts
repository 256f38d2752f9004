import { DescribeAccountCommand, ListAccountsCommand, ListAccountsForParentCommand, ListOrganizationalUnitsForParentCommand, ListParentsCommand, paginateListAccounts } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, clock, MANAGEMENT, MEMBER, organization, organizations, OU, outcomes, start, stopSimulator, SUSPENDED } from './fixture.ts';

afterEach(stopSimulator);

describe('Organizations', () => {
  it('pages ListAccounts 20 at a time over more than 20 pages', async () => {
    // A second passes per request, so the Organizations throttle (20/s) never interferes with the paging.
    await start({ state: organization(450), clock: () => (clock.now += 1_000) });
    const pages: number[] = [];
    const ids = new Set<string>();

    for await (const page of paginateListAccounts({ client: organizations(MANAGEMENT) }, {})) {
      pages.push(page.Accounts?.length ?? 0);
      page.Accounts?.forEach((a) => ids.add(a.Id!));
    }

    expect({ pages: pages.length, largest: Math.max(...pages), accounts: ids.size }).toEqual({ pages: 23, largest: 20, accounts: 457 });
  });

  it('rejects MaxResults above 20', async () => {
    await start();

    const call = organizations(MANAGEMENT).send(new ListAccountsCommand({ MaxResults: 21 }));

    await expect(call).rejects.toMatchObject({ name: 'InvalidInputException' });
  });

  it('describes accounts with status, state and joined time in epoch seconds', async () => {
    await start();

    const { Account } = await organizations(MANAGEMENT).send(new DescribeAccountCommand({ AccountId: SUSPENDED }));

    expect(Account).toMatchObject({ Id: SUSPENDED, Status: 'SUSPENDED', State: 'SUSPENDED', JoinedMethod: 'CREATED', JoinedTimestamp: new Date('2024-01-01T00:00:00Z') });
  });

  it('lists the OUs and accounts under a parent, and a child\'s parent', async () => {
    await start();
    const client = organizations(ADMIN);

    const ous = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-ab12' }));
    const accounts = await client.send(new ListAccountsForParentCommand({ ParentId: 'r-ab12' }));
    const parents = await client.send(new ListParentsCommand({ ChildId: MEMBER }));

    expect({ ous: ous.OrganizationalUnits?.map((o) => o.Id), accounts: accounts.Accounts?.map((a) => a.Id), parents: parents.Parents }).toEqual({
      ous: [OU],
      accounts: [MANAGEMENT],
      parents: [{ Id: OU, Type: 'ORGANIZATIONAL_UNIT' }],
    });
  });

  it('denies a member account that is not a delegated administrator', async () => {
    await start();

    const call = organizations(MEMBER).send(new ListAccountsCommand({}));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('throttles beyond 20 requests per second per caller', async () => {
    await start();
    const client = organizations(MANAGEMENT);

    const counts = await outcomes(25, () => client.send(new ListAccountsCommand({})));

    expect(counts).toEqual({ OK: 20, TooManyRequestsException: 5 });
  });
});
