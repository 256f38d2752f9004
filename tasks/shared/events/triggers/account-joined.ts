import { z } from 'zod';
import { accountIdSchema } from '../../rules/contacts.ts';
import { MalformedInputError } from '../../rules/errors.ts';
import type { JoinedAccountSearch, RunWarning } from '../../rules/model.ts';
import { parseEvent } from '../envelope.ts';
import { CLOUDTRAIL_SERVICE_EVENT, serviceEvent } from '../service-event.ts';
import { accountClaimKey } from './account-claim.ts';
import type { RuledTrigger } from './trigger.ts';

const SOURCE = 'aws.organizations';
export const ACCOUNT_JOINED_EVENT_NAME = 'AccountJoinedOrganization';

/**
 * An account joined the organization, by invitation or by creation (emitted since May 2026). AWS documents
 * `joinedMethod` and `joinedTime`; no public sample shows where the account id sits, so the parser reads it at an
 * assumed path. An event without it is still a real event about a real account: rather than fail every join, the
 * run finds the accounts that joined around `joinedTime` (Organizations' JoinedTimestamp) and warns. (AWS's
 * announcement "AWS Organizations emits CloudTrail events for account membership changes", May 2026; the events are
 * logged in us-east-1: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_cloudtrail-integration.html)
 */
const JOINED_METHODS = ['INVITED', 'CREATED'] as const;
const accountJoinedEvent = serviceEvent(SOURCE, ACCOUNT_JOINED_EVENT_NAME, {
  joinedMethod: z.enum(JOINED_METHODS, { error: `must be ${JOINED_METHODS.join(' or ')}` }),
  joinedTime: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
  accountId: z.unknown().optional(),
});

/** The assumed path of the joined account's id: no public sample confirms it (see events/README.md). */
const JOINED_ACCOUNT_ID_PATH = 'detail.serviceEventDetails.accountId';

/**
 * The window around joinedTime in which an account's JoinedTimestamp counts as this event's. Both name the moment the
 * account became a member, so they should agree to the second; the margin covers what is not documented: whether
 * either one records the start or the end of an account creation, which takes minutes. A wider window costs only a
 * few compliant accounts' reads, bounded by MAX_JOINED_ACCOUNTS; a narrower one leaves the account to the nightly run.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
 */
export const JOINED_WINDOW_MS = 15 * 60_000;
/** At most this many accounts, closest to joinedTime first: in a burst of account vending, no event becomes a large run. */
export const MAX_JOINED_ACCOUNTS = 10;

// Only plain names travel into the report, and only a few: they come from the input, and a line break in one could
// forge a line of the report's text.
const MAX_DETAIL_KEYS = 20;
const plainKeys = (details: object) => Object.keys(details).filter((key) => /^\w{1,64}$/.test(key)).slice(0, MAX_DETAIL_KEYS);
const plainId = (value: unknown) => (typeof value === 'string' && /^[\w-]{1,128}$/.test(value) ? value : undefined);

const isoAt = (ms: number) => new Date(ms).toISOString();

/** An account joined: its id, or, when the event lacks it at the assumed path, the search for the accounts that joined around then. */
export type AccountJoinedRun =
  | { readonly trigger: 'account-joined'; readonly joinedMethod: string; readonly accountId: string }
  | { readonly trigger: 'account-joined'; readonly joinedMethod: string; readonly accountId?: undefined; readonly joinedSearch: JoinedAccountSearch };

function parseAccountJoined(input: unknown): AccountJoinedRun {
  const event = parseEvent(accountJoinedEvent, input);
  const { accountId, joinedMethod, joinedTime } = event.detail.serviceEventDetails;
  if (accountId === undefined) {
    const joinedAt = Date.parse(joinedTime);
    // CloudTrail's eventID names the event where the operator looks it up; the EventBridge id when it has none.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
    const eventId = plainId(event.detail['eventID']) ?? plainId(event.id);
    const joinedSearch: JoinedAccountSearch = {
      ...(eventId && { eventId }),
      joinedMethod,
      joinedTime,
      from: isoAt(joinedAt - JOINED_WINDOW_MS),
      to: isoAt(joinedAt + JOINED_WINDOW_MS),
      detailKeys: plainKeys(event.detail.serviceEventDetails),
    };
    return { trigger: 'account-joined', joinedMethod, joinedSearch };
  }
  const id = accountIdSchema.safeParse(accountId);
  if (!id.success) throw new MalformedInputError(`${JOINED_ACCOUNT_ID_PATH}: must be a 12-digit account id`);
  return { trigger: 'account-joined', joinedMethod, accountId: id.data };
}

export const accountJoined: RuledTrigger<AccountJoinedRun> = {
  trigger: 'account-joined',
  source: SOURCE,
  eventNames: [ACCOUNT_JOINED_EVENT_NAME],
  parse: parseAccountJoined,
  /**
   * With its account id, the account's claim. Without it, `joined:<joinedTime, UTC>`: its run searches the accounts
   * that joined around that moment, so the moment is the run. A redelivery finds the claim taken, and so does the
   * event of a second account that joined in the same second, which that window covered too. It names no account, so
   * it cannot share the account key: the accounts it finds may already have been reconciled by their creation's run,
   * and this run then reads them and writes nothing.
   */
  claimKey: (run, context) => ('joinedSearch' in run ? `joined:${new Date(run.joinedSearch.joinedTime).toISOString()}` : accountClaimKey(run.accountId, context)),
  switch: { key: 'accountJoined' },
  rule: {
    id: 'AccountJoined',
    description: `Organizations ${ACCOUNT_JOINED_EVENT_NAME}: reconcile the account that joined.`,
    // Both INVITED and CREATED: a created account's claim makes the second a duplicate (account-claim.ts).
    pattern: { source: [SOURCE], 'detail-type': [CLOUDTRAIL_SERVICE_EVENT], detail: { eventName: [ACCOUNT_JOINED_EVENT_NAME] } },
  },
  samples: ['orgs-account-joined-organization.json'],
};

interface JoinedAccount {
  readonly id: string;
  readonly name: string;
  readonly joinedAt?: Date;
}

/**
 * The accounts whose JoinedTimestamp lies in the search's window, closest to joinedTime first, at most
 * MAX_JOINED_ACCOUNTS, and how many more were in the window. The management account never joins: its JoinedTimestamp
 * is the organization's creation, so it is never taken for the member.
 */
export function accountsJoinedIn<A extends JoinedAccount>(accounts: readonly A[], search: JoinedAccountSearch, managementId: string): { found: A[]; beyondLimit: number } {
  const [from, to, joined] = [Date.parse(search.from), Date.parse(search.to), Date.parse(search.joinedTime)];
  const distance = (account: A) => Math.abs(account.joinedAt!.getTime() - joined);
  const inWindow = accounts
    .filter((account) => account.id !== managementId && account.joinedAt !== undefined && account.joinedAt.getTime() >= from && account.joinedAt.getTime() <= to)
    .sort((a, b) => distance(a) - distance(b) || a.id.localeCompare(b.id));
  return { found: inWindow.slice(0, MAX_JOINED_ACCOUNTS), beyondLimit: Math.max(0, inWindow.length - MAX_JOINED_ACCOUNTS) };
}

/** The report's warning for a search: what the event lacked, what the run did instead, and what to do about it. */
export function joinedSearchWarning(search: JoinedAccountSearch, found: readonly JoinedAccount[], beyondLimit: number): RunWarning {
  const keys = search.detailKeys.length > 0 ? search.detailKeys.join(', ') : 'no keys';
  const window = `joined between ${search.from} and ${search.to} (Organizations JoinedTimestamp)`;
  const did =
    found.length === 0
      ? `No account ${window}, so none was reconciled; the nightly run reconciles the joined account.`
      : `Reconciled instead the ${found.length === 1 ? 'account' : `${found.length} accounts`} that ${window}: ${found.map((account) => `${account.id} (${account.name})`).join(', ')}.` +
        (beyondLimit > 0 ? ` ${beyondLimit} more joined in that window, beyond the ${MAX_JOINED_ACCOUNTS} closest; their own events or the nightly run reconcile them.` : '');
  return {
    code: 'JoinedAccountIdMissing',
    message:
      `${ACCOUNT_JOINED_EVENT_NAME} event ${search.eventId ?? '(no id)'} (${search.joinedMethod}, joinedTime ${search.joinedTime}) has no ${JOINED_ACCOUNT_ID_PATH}; ` +
      `its serviceEventDetails carries ${keys}. ${did} Please report the event's shape (its key names, not its values) so the enforcer can read the account id.`,
  };
}
