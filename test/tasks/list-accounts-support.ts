/** The list-accounts task's test bench: a mocked organization (root → Workloads → Prod, and Quarantine) and run table. */
import {
  type Account,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach } from 'vitest';
import type { ConfigInput } from '#shared/rules/config';
import type { RunPlan, TargetAccount } from '#shared/rules/model';
import { BASE_CONFIG, lambdaContext, loadTask, MANAGEMENT_ACCOUNT_ID } from './support.ts';

export const organizations = mockSdkClient(OrganizationsClient);
export const documents = mockSdkClient(DynamoDBDocumentClient);

export const ROOT = 'r-ab12';
export const WORKLOADS = 'ou-ab12-cd34ef56';
export const PROD = 'ou-ab12-pr0dpr0d';
export const QUARANTINE = 'ou-ab12-qu4r4nt1';
export const LONG_AGO = new Date('2020-01-01T00:00:00Z');

export const plan: RunPlan = { status: 'RUN', runId: 'run-1', trigger: 'schedule', dryRun: false, claimKey: 'schedule:1' };
export const account = (Id: string, extra: Partial<Account> = {}): Account => ({ Id, Name: `account-${Id}`, State: 'ACTIVE', JoinedTimestamp: LONG_AGO, ...extra });

/** An organization: root → Workloads → Prod, and Quarantine under the root, each OU with its name. */
export function mockOrganization(accounts: Record<string, Account[]>, management = MANAGEMENT_ACCOUNT_ID) {
  organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: management } });
  organizations.on(ListRootsCommand).resolves({ Roots: [{ Id: ROOT }] });
  organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
  organizations.on(ListOrganizationalUnitsForParentCommand, { ParentId: ROOT }).resolves({ OrganizationalUnits: [{ Id: WORKLOADS, Name: 'Workloads' }, { Id: QUARANTINE, Name: 'Quarantine' }] });
  organizations.on(ListOrganizationalUnitsForParentCommand, { ParentId: WORKLOADS }).resolves({ OrganizationalUnits: [{ Id: PROD, Name: 'Prod' }] });
  organizations.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
  for (const [ParentId, list] of Object.entries(accounts)) organizations.on(ListAccountsForParentCommand, { ParentId }).resolves({ Accounts: list });
}

/** Every account written to the run table, chunk by chunk. */
export function storedChunks(): TargetAccount[][] {
  return documents
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => Object.values(call.args[0].input.RequestItems ?? {}).flat())
    .map((request) => request.PutRequest?.Item?.['accounts'] as TargetAccount[]);
}
export const stored = (id: string) => storedChunks().flat().find((target) => target.id === id);

export const listAccounts = async (config: ConfigInput = BASE_CONFIG, runPlan: RunPlan = plan) => {
  const { handler } = await loadTask(() => import('../../tasks/list-accounts.ts'), config);
  return handler({ plan: runPlan }, lambdaContext);
};

/** Fresh mocks before each test: nothing in the organization, the run table taking every write. */
export function useListAccountsBench(): void {
  beforeEach(() => {
    organizations.reset();
    documents.reset();
    documents.on(BatchWriteCommand).resolves({});
  });
}
