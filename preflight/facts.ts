import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  type Organization,
  OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
  paginateListPoliciesForTarget,
  paginateListRoots,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { OrganizationAccount } from '#shared/aws/organization';
import { HOME_REGION } from '../infra/names.ts';
import type { AttachedPolicy } from './scp.ts';

/** What several checks read about the organization: each read is made once, when a check first needs it. */
export interface OrganizationFacts {
  readonly organizations: OrganizationsClient;
  caller(): Promise<string>;
  organization(): Promise<Organization>;
  /** Every account with its OU path (the enforcer's own walk, tasks/shared/aws/organization.ts). */
  accounts(): Promise<OrganizationAccount[]>;
  roots(): Promise<string[]>;
  /** The policy types enabled on a root (ListRoots' PolicyTypes with status ENABLED). */
  enabledPolicyTypes(rootId: string): Promise<string[]>;
  /** Service principals with trusted access. */
  servicePrincipals(): Promise<string[]>;
  /** The SCPs attached to a root, OU or account, with their documents. */
  policiesFor(targetId: string): Promise<AttachedPolicy[]>;
  /** Every target whose SCPs were read so far, for the report to say what it read. */
  policyTargetsRead(): string[];
  organizationalUnitExists(id: string): Promise<boolean>;
  close(): void;
}

/** The partition of the organization's ARN (aws, aws-cn, aws-us-gov): the partition of every ARN in it. */
export const partitionOf = (organization: Organization): string => organization.Arn?.split(':')[1] ?? 'aws';

/** A read made once, when first asked for; later callers share its answer. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}

function onceBy<T>(read: (key: string) => Promise<T>): { get: (key: string) => Promise<T>; keys: () => string[] } {
  const values = new Map<string, Promise<T>>();
  return {
    get: (key) => {
      const value = values.get(key) ?? read(key);
      values.set(key, value);
      return value;
    },
    keys: () => [...values.keys()],
  };
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

export async function organizationFacts(): Promise<OrganizationFacts> {
  // Imported here: its module-scope client reads the environment the caller has just set (region, endpoint).
  const { listOrganizationAccounts } = await import('#shared/aws/organization');
  const region = { region: HOME_REGION };
  const sts = new STSClient(region);
  const organizations = new OrganizationsClient(region);
  // FullAWSAccess is attached everywhere: each document is read once, whatever the number of targets.
  const documents = onceBy(async (PolicyId) => (await organizations.send(new DescribePolicyCommand({ PolicyId }))).Policy?.Content ?? '');
  const policies = onceBy(async (TargetId) => {
    const summaries = await collect(paginateListPoliciesForTarget({ client: organizations }, { TargetId, Filter: 'SERVICE_CONTROL_POLICY' }), (page) => page.Policies);
    return Promise.all(summaries.map(async (s) => ({ id: s.Id ?? '', name: s.Name ?? '', content: await documents.get(s.Id ?? '') })));
  });

  const rootList = once(() => collect(paginateListRoots({ client: organizations }, {}), (page) => page.Roots));

  return {
    organizations,
    caller: once(async () => (await sts.send(new GetCallerIdentityCommand({}))).Account ?? ''),
    organization: once(async () => {
      const { Organization: found } = await organizations.send(new DescribeOrganizationCommand({}));
      if (!found) throw new Error('DescribeOrganization returned no organization');
      return found;
    }),
    accounts: once(() => listOrganizationAccounts()),
    roots: async () => (await rootList()).map((root) => root.Id ?? ''),
    enabledPolicyTypes: async (rootId) =>
      ((await rootList()).find((root) => root.Id === rootId)?.PolicyTypes ?? []).filter((type) => type.Status === 'ENABLED').map((type) => type.Type ?? ''),
    servicePrincipals: once(async () =>
      (await collect(paginateListAWSServiceAccessForOrganization({ client: organizations }, {}), (page) => page.EnabledServicePrincipals)).map((p) => p.ServicePrincipal ?? ''),
    ),
    policiesFor: policies.get,
    policyTargetsRead: policies.keys,
    organizationalUnitExists: async (OrganizationalUnitId) => {
      try {
        await organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId }));
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === 'OrganizationalUnitNotFoundException') return false;
        throw error;
      }
    },
    close: () => {
      sts.destroy();
      organizations.destroy();
    },
  };
}
