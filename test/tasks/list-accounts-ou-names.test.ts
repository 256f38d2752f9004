import { AccessDeniedException, DescribeAccountCommand, DescribeOrganizationalUnitCommand, ListParentsCommand } from '@aws-sdk/client-organizations';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { OuNames } from '#shared/rules/model';
import { BASE_CONFIG } from './support.ts';
import { account, documents, listAccounts, mockOrganization, organizations, plan, PROD, QUARANTINE, ROOT, useListAccountsBench, WORKLOADS } from './list-accounts-support.ts';

useListAccountsBench();

/** The OU names the run stored beside its plan, for the report. */
const storedOuNames = (): OuNames | undefined => {
  const item = documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item).find((stored) => String(stored?.['item']).startsWith('OUNAMES#'));
  return item && { names: item['names'] as OuNames['names'], ...(item['unread'] !== undefined && { unread: item['unread'] as OuNames['unread'] }) };
};

/** Two accounts in Prod, found by ListParents as an event's run finds them. */
function mockNamedAccounts() {
  mockOrganization({});
  for (const id of ['222222222222', '222222222223']) {
    organizations.on(DescribeAccountCommand, { AccountId: id }).resolves({ Account: account(id) });
    organizations.on(ListParentsCommand, { ChildId: id }).resolves({ Parents: [{ Id: PROD, Type: 'ORGANIZATIONAL_UNIT' }] });
  }
  organizations.on(ListParentsCommand, { ChildId: PROD }).resolves({ Parents: [{ Id: WORKLOADS, Type: 'ORGANIZATIONAL_UNIT' }] });
  organizations.on(ListParentsCommand, { ChildId: WORKLOADS }).resolves({ Parents: [{ Id: ROOT, Type: 'ROOT' }] });
}
const namedPlan = { ...plan, trigger: 'account-moved' as const, accountIds: ['222222222222', '222222222223'] };

describe('list-accounts: the names of the OUs, for the report', () => {
  it('keeps the names the organization walk read anyway, for the OUs above the planned accounts only', async () => {
    mockOrganization({ [PROD]: [account('100000000003')], [QUARANTINE]: [account('100000000005', { State: 'SUSPENDED' })] });

    await listAccounts();

    expect(storedOuNames()).toEqual({ names: { [WORKLOADS]: 'Workloads', [PROD]: 'Prod' } });
    expect(organizations).not.toHaveReceivedCommand(DescribeOrganizationalUnitCommand);
  });

  it('asks DescribeOrganizationalUnit once per OU for accounts found through ListParents', async () => {
    mockNamedAccounts();
    organizations.on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: WORKLOADS }).resolves({ OrganizationalUnit: { Id: WORKLOADS, Name: 'Workloads' } });
    organizations.on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: PROD }).resolves({ OrganizationalUnit: { Id: PROD, Name: 'Prod' } });

    const work = await listAccounts(BASE_CONFIG, namedPlan);

    expect(work.accountCount).toBe(2);
    expect(storedOuNames()).toEqual({ names: { [WORKLOADS]: 'Workloads', [PROD]: 'Prod' } });
    expect(organizations).toHaveReceivedCommandTimes(DescribeOrganizationalUnitCommand, 2);
  });

  it('plans the accounts all the same when a name cannot be read, and keeps which and why for the report', async () => {
    mockNamedAccounts();
    organizations.on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: WORKLOADS }).resolves({ OrganizationalUnit: { Id: WORKLOADS, Name: 'Workloads' } });
    organizations.on(DescribeOrganizationalUnitCommand, { OrganizationalUnitId: PROD }).rejects(new AccessDeniedException({ message: 'not authorized to perform organizations:DescribeOrganizationalUnit', $metadata: {} }));

    const work = await listAccounts(BASE_CONFIG, namedPlan);

    expect(work.accountCount).toBe(2);
    expect(storedOuNames()).toEqual({
      names: { [WORKLOADS]: 'Workloads' },
      unread: { ouIds: [PROD], error: 'AccessDeniedException: not authorized to perform organizations:DescribeOrganizationalUnit' },
    });
  });

  it('stores no names for a run whose accounts all sit under the root', async () => {
    mockOrganization({ [ROOT]: [account('100000000001')] });

    await listAccounts();

    expect(storedOuNames()).toBeUndefined();
  });
});
