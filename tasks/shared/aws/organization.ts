import {
  type Account,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  paginateListRoots,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import { toNamedError } from './errors.ts';
import { describeError } from '../rules/errors.ts';
import { type AccountTags, type EnforcerConfig, isExcluded, usesTags } from '../rules/config.ts';
import { MalformedInputError } from '../rules/errors.ts';
import type { OuNames } from '../rules/model.ts';
import { namesOf } from '../report/ou-names.ts';

// Adaptive retry: the walk sends several parents' calls at once from one container, and the client's own rate limiter
// settles them at the rate Organizations answers instead of failing the walk on a throttle.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const organizations = new OrganizationsClient({ retryMode: 'adaptive' });

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

// Parents walked at once: each keeps one request outstanding, so a handful in flight takes a fraction of the time a
// parent-by-parent walk does; the adaptive client keeps them within Organizations' request rate.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
const PARENTS_IN_FLIGHT = 4;

interface Parent {
  readonly id: string;
  readonly ouPath: readonly string[];
}

/**
 * The names of the OUs a listing meets, for the report: free in the organization walk (ListOrganizationalUnitsForParent
 * returns each OU's Name), else one DescribeOrganizationalUnit per OU, asked once. A name that cannot be read is noted,
 * never an error: the report then shows that OU's id alone.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganizationalUnit.html
 */
export class OuNameBook {
  private readonly names: Record<string, string> = {};
  private readonly asked = new Map<string, Promise<void>>();
  private readonly unread = new Map<string, string>();

  record(ouId: string, name: string | undefined): void {
    if (name) this.names[ouId] = name;
  }

  /** Reads the names of these OUs that are not known yet. */
  async describe(ouIds: readonly string[]): Promise<void> {
    await Promise.all(ouIds.map((ouId) => Object.hasOwn(this.names, ouId) ? undefined : this.ask(ouId)));
  }

  private ask(ouId: string): Promise<void> {
    const asking = this.asked.get(ouId) ?? this.read(ouId);
    this.asked.set(ouId, asking);
    return asking;
  }

  private async read(OrganizationalUnitId: string): Promise<void> {
    try {
      const { OrganizationalUnit } = await organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId }));
      this.record(OrganizationalUnitId, OrganizationalUnit?.Name);
    } catch (error) {
      this.unread.set(OrganizationalUnitId, describeError(error));
    }
  }

  /** The names of these OUs, and those that could not be read with the first reason. */
  namesOf(ouIds: Iterable<string>): OuNames {
    const wanted = new Set(ouIds);
    const unread = [...this.unread].filter(([ouId]) => wanted.has(ouId));
    return { names: namesOf(wanted, this.names), ...(unread.length > 0 && { unread: { ouIds: unread.map(([ouId]) => ouId), error: unread[0]![1] } }) };
  }
}

/** The OUs and accounts directly under one parent: two paginated calls. */
async function childrenOf({ id: ParentId, ouPath }: Parent, book?: OuNameBook): Promise<{ ous: Parent[]; accounts: OrganizationAccount[] }> {
  const ous: Parent[] = [];
  const accounts: OrganizationAccount[] = [];
  for await (const page of paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId })) {
    for (const ou of page.OrganizationalUnits ?? []) {
      book?.record(ou.Id ?? '', ou.Name);
      ous.push({ id: ou.Id ?? '', ouPath: [...ouPath, ou.Id ?? ''] });
    }
  }
  for await (const page of paginateListAccountsForParent({ client: organizations }, { ParentId })) {
    accounts.push(...(page.Accounts ?? []).map((account) => toOrganizationAccount(account, ouPath)));
  }
  return { ous, accounts };
}

/** `work` over every item, at most `inFlight` at once, results in the items' order. */
async function mapInFlight<T, R>(items: readonly T[], inFlight: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
  return results;
}

/**
 * Every account, breadth-first from the roots, one level of OUs at a time with PARENTS_IN_FLIGHT parents at once:
 * two paginated calls per parent, so OU paths cost O(#OUs) calls instead of a ListParents chain per account.
 */
export function listOrganizationAccounts(book?: OuNameBook): Promise<OrganizationAccount[]> {
  return mapErrors(async () => {
    const accounts: OrganizationAccount[] = [];
    let level: Parent[] = [];
    for await (const page of paginateListRoots({ client: organizations }, {})) {
      level.push(...(page.Roots ?? []).map((root) => ({ id: root.Id ?? '', ouPath: [] })));
    }
    while (level.length > 0) {
      const children = await mapInFlight(level, PARENTS_IN_FLIGHT, (parent) => childrenOf(parent, book));
      accounts.push(...children.flatMap((child) => child.accounts));
      level = children.flatMap((child) => child.ous);
    }
    return accounts;
  });
}

interface ParentOfChild {
  readonly id: string;
  readonly type: string;
}

async function parentOf(ChildId: string): Promise<ParentOfChild> {
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
const notInOrganization = (accountId: string) => new MalformedInputError(`accountIds: ${accountId} is not an account of this organization`);

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

/**
 * Just these accounts: DescribeAccount, then ListParents up to the root (each OU's parent is asked once), and with a
 * book the names of the OUs on the way.
 */
export function describeAccounts(ids: readonly string[], book?: OuNameBook): Promise<OrganizationAccount[]> {
  return mapErrors(async () => {
    const parents = new Map<string, Promise<ParentOfChild>>();
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
      await book?.describe(ouPath);
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
    const tagsOf = async (ResourceId: string) => {
      const found: Record<string, string> = {};
      for await (const page of paginateListTagsForResource({ client: taggingClient }, { ResourceId })) {
        for (const tag of page.Tags ?? []) if (tag.Key !== undefined) found[tag.Key] = tag.Value ?? '';
      }
      return found;
    };
    const found = await mapInFlight(ids, TAG_READS_AT_ONCE, tagsOf);
    return new Map(ids.map((id, index) => [id, found[index]!]));
  });
}

/**
 * The accounts no exclusion covers, each with its tags: read only when the configuration uses tags, and only for the
 * accounts the id and OU exclusions leave in, since each is a call of its own.
 */
export async function includedWithTags(config: EnforcerConfig, accounts: readonly OrganizationAccount[]): Promise<{ account: OrganizationAccount; tags: AccountTags }[]> {
  const candidates = accounts.filter((account) => !isExcluded(config, account.id, account.ouPath));
  const tagged = usesTags(config) ? await accountTags(candidates.map((account) => account.id)) : new Map<string, AccountTags>();
  return candidates
    .map((account) => ({ account, tags: tagged.get(account.id) ?? {} }))
    .filter(({ account, tags }) => !isExcluded(config, account.id, account.ouPath, tags));
}
