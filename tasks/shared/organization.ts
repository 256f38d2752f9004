import {
  type Account,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  paginateListRoots,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import { toNamedError } from './account-api.ts';
import { MalformedInputError } from './errors.ts';

const organizations = new OrganizationsClient({});

/** An account of the organization with the OUs above it, root first (resolveDesired's order). */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  /** `State`, falling back to the deprecated `Status` that older responses carry. */
  readonly state: string;
  readonly joinedAt?: Date;
  readonly ouPath: readonly string[];
}

/** Throttling and server faults become the named errors the state machine retries. */
async function mapErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toNamedError(error);
  }
}

const toOrganizationAccount = (account: Account, ouPath: readonly string[]): OrganizationAccount => ({
  id: account.Id ?? '',
  name: account.Name ?? '',
  state: account.State ?? account.Status ?? 'UNKNOWN',
  joinedAt: account.JoinedTimestamp,
  ouPath,
});

export function managementAccountId(): Promise<string> {
  return mapErrors(async () => {
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
    if (!Organization?.MasterAccountId) throw new Error('DescribeOrganization returned no management account');
    return Organization.MasterAccountId;
  });
}

/**
 * Every account, breadth-first from the roots: two paginated calls per parent, so OU paths cost O(#OUs) calls
 * instead of a ListParents chain per account.
 */
export function listOrganizationAccounts(): Promise<OrganizationAccount[]> {
  return mapErrors(async () => {
    const accounts: OrganizationAccount[] = [];
    const parents: { id: string; ouPath: readonly string[] }[] = [];
    for await (const page of paginateListRoots({ client: organizations }, {})) {
      parents.push(...(page.Roots ?? []).map((root) => ({ id: root.Id ?? '', ouPath: [] })));
    }
    for (let next = parents.shift(); next; next = parents.shift()) {
      const { id: ParentId, ouPath } = next;
      for await (const page of paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId })) {
        parents.push(...(page.OrganizationalUnits ?? []).map((ou) => ({ id: ou.Id ?? '', ouPath: [...ouPath, ou.Id ?? ''] })));
      }
      for await (const page of paginateListAccountsForParent({ client: organizations }, { ParentId })) {
        accounts.push(...(page.Accounts ?? []).map((account) => toOrganizationAccount(account, ouPath)));
      }
    }
    return accounts;
  });
}

interface Parent {
  readonly id: string;
  readonly type: string;
}

async function parentOf(ChildId: string): Promise<Parent> {
  for await (const page of paginateListParents({ client: organizations }, { ChildId })) {
    const [parent] = page.Parents ?? [];
    if (parent) return { id: parent.Id ?? '', type: parent.Type ?? '' };
  }
  throw new Error(`ListParents returned no parent for ${ChildId}`);
}

// Organizations names an account it does not know in either error, depending on the call.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
const UNKNOWN_ACCOUNT_ERRORS = new Set(['AccountNotFoundException', 'ChildNotFoundException']);

/**
 * The one message for an account id that is not in the organization, whether a console input or an event named it.
 * MalformedInputError: retrying cannot help, and the run must stop before it writes anything.
 */
export const notInOrganization = (accountId: string) => new MalformedInputError(`accountIds: ${accountId} is not an account of this organization`);

/** Calls Organizations about one account; an account it does not know becomes notInOrganization. */
async function aboutAccount<T>(accountId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && UNKNOWN_ACCOUNT_ERRORS.has(error.name)) throw notInOrganization(accountId);
    throw error;
  }
}

/** The root or OU directly above an account: one ListParents call. */
export function parentIdOf(accountId: string): Promise<string> {
  return mapErrors(async () => (await aboutAccount(accountId, () => parentOf(accountId))).id);
}

/** Just these accounts: DescribeAccount, then ListParents up to the root (each OU's parent is asked once). */
export function describeAccounts(ids: readonly string[]): Promise<OrganizationAccount[]> {
  return mapErrors(async () => {
    const parents = new Map<string, Promise<Parent>>();
    const cachedParentOf = (id: string) => {
      const parent = parents.get(id) ?? parentOf(id);
      parents.set(id, parent);
      return parent;
    };
    const accounts: OrganizationAccount[] = [];
    for (const id of ids) {
      const account = await aboutAccount(id, () => describeAccount(id));
      const ouPath: string[] = [];
      for (let up = await aboutAccount(id, () => cachedParentOf(id)); up.type === 'ORGANIZATIONAL_UNIT'; up = await cachedParentOf(up.id)) ouPath.unshift(up.id);
      accounts.push(toOrganizationAccount(account, ouPath));
    }
    return accounts;
  });
}

async function describeAccount(AccountId: string): Promise<Account> {
  const { Account: account } = await organizations.send(new DescribeAccountCommand({ AccountId }));
  if (!account) throw new Error(`DescribeAccount returned nothing for ${AccountId}`);
  return account;
}

// Tags are one call per account: at 10,000 accounts that is most of a listing's calls, so this client waits in its
// own adaptive bucket on Organizations' throttling rather than failing the listing, and a few calls run at once.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html#throttling-limits
const taggingClient = new OrganizationsClient({ retryMode: 'adaptive', maxAttempts: 10 });
const TAG_READS_AT_ONCE = 4;

/** Each account's tags, key to value (ListTagsForResource); read only when the configuration uses tags. */
export function accountTags(ids: readonly string[]): Promise<Map<string, Record<string, string>>> {
  return mapErrors(async () => {
    const tags = new Map<string, Record<string, string>>();
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const found: Record<string, string> = {};
        for await (const page of paginateListTagsForResource({ client: taggingClient }, { ResourceId: id })) {
          for (const tag of page.Tags ?? []) if (tag.Key !== undefined) found[tag.Key] = tag.Value ?? '';
        }
        tags.set(id, found);
      }
    };
    await Promise.all(Array.from({ length: TAG_READS_AT_ONCE }, worker));
    return tags;
  });
}
