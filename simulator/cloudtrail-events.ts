import { randomUUID } from 'node:crypto';
import { type AlternateContactType, FULL_AWS_ACCESS_POLICY_ID } from './aws-facts.ts';
import type { Caller } from './service.ts';
import type { SimAccount, SimState } from './state.ts';

/**
 * The CloudTrail events the simulated Account API emits for each contact write, shaped as EventBridge delivers them
 * (see events/account-*.json): contact values hidden, `requestParameters.accountId` only in
 * organization context, the event in the caller's account. The enforcer's own writes show up here too, as on AWS.
 */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const ASSUMED_ROLE = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;

/** The identity CloudTrail records: an assumed-role session names the role that issued it. */
function userIdentity(caller: Caller) {
  const session = ASSUMED_ROLE.exec(caller.arn);
  if (!session) return { type: 'IAMUser', arn: caller.arn, accountId: caller.accountId };
  const [, accountId, roleName, sessionName] = session;
  return {
    type: 'AssumedRole',
    principalId: `AROASIM${accountId}:${sessionName}`,
    arn: caller.arn,
    accountId,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${accountId}:role/${roleName}`, accountId, userName: roleName } },
  };
}

export interface ContactWrite {
  readonly op: 'PutAlternateContact' | 'DeleteAlternateContact';
  readonly caller: Caller;
  /** The AccountId the call named (organization context); absent in standalone context. */
  readonly accountId?: string;
  readonly type: AlternateContactType;
  readonly at: Date;
}

export function contactWriteEvent({ op, caller, accountId, type, at }: ContactWrite) {
  const time = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const hidden = op === 'PutAlternateContact' ? { emailAddress: HIDDEN, name: HIDDEN, phoneNumber: HIDDEN, title: HIDDEN } : {};
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.account',
    account: caller.accountId,
    time,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: userIdentity(caller),
      eventTime: time,
      eventSource: 'account.amazonaws.com',
      eventName: op,
      awsRegion: 'us-east-1',
      requestParameters: { ...(accountId && { accountId }), alternateContactType: type, ...hidden },
      responseElements: null,
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: caller.accountId,
      eventCategory: 'Management',
    },
  };
}

/** What a hand edit leaves behind: the values are hidden in the event, so any contact other than the desired one. */
export const HAND_EDITED_CONTACT = { name: 'Edited By Hand', title: 'Unknown', email: 'someone@example.org', phone: '+1 555 0100' };

const detailOf = (event: Record<string, unknown>) => (event['detail'] ?? {}) as Record<string, any>;

/**
 * Applies to the simulated organization what an event reports as done (`npm start -- --event`): the OU move, the
 * joined account, the hand edit or delete, the tags added or removed. An event the organization cannot model (an
 * unknown account or OU) is left unapplied, and the run then meets the organization as it is, as it would on AWS.
 */
export function applyEvent(state: SimState, event: Record<string, unknown>): void {
  const detail = detailOf(event);
  // A call AWS refused is recorded too, with its errorCode: it changed nothing, so nothing is applied.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
  if (detail['errorCode'] !== undefined) return;
  const parameters = (detail['requestParameters'] ?? {}) as Record<string, any>;
  const find = (id: unknown) => state.accounts.find((account) => account.id === id);
  const isParent = (id: unknown) => state.roots.some((root) => root.id === id) || state.organizationalUnits.some((ou) => ou.id === id);
  switch (detail['eventName']) {
    case 'MoveAccount': {
      const account = find(parameters['accountId']);
      if (account && isParent(parameters['destinationParentId'])) account.parentId = parameters['destinationParentId'];
      return;
    }
    case 'AccountJoinedOrganization':
      return applyJoined(state, (detail['serviceEventDetails'] ?? {}) as Record<string, any>);
    case 'PutAlternateContact':
    case 'DeleteAlternateContact': {
      const account = find(parameters['accountId'] ?? event['account']);
      const type = parameters['alternateContactType'] as AlternateContactType;
      if (!account) return;
      if (detail['eventName'] === 'DeleteAlternateContact') delete account.contacts[type];
      else account.contacts[type] = { ...HAND_EDITED_CONTACT };
      return;
    }
    // Organizations records the tags of TagResource as [{key, value}] and UntagResource's as tagKeys; only an
    // account's tags are modelled. https://docs.aws.amazon.com/organizations/latest/APIReference/API_TagResource.html
    case 'TagResource': {
      const account = find(parameters['resourceId']);
      const tags = Array.isArray(parameters['tags']) ? (parameters['tags'] as { key?: unknown; value?: unknown }[]) : [];
      if (!account) return;
      const added = tags.filter((tag) => typeof tag.key === 'string').map((tag) => [tag.key as string, typeof tag.value === 'string' ? tag.value : '']);
      account.tags = { ...account.tags, ...Object.fromEntries(added) };
      return;
    }
    case 'UntagResource': {
      const account = find(parameters['resourceId']);
      const keys = Array.isArray(parameters['tagKeys']) ? (parameters['tagKeys'] as unknown[]) : [];
      if (!account?.tags) return;
      account.tags = Object.fromEntries(Object.entries(account.tags).filter(([key]) => !keys.includes(key)));
      return;
    }
  }
}

function applyJoined(state: SimState, details: Record<string, any>): void {
  const joinedTime = details['joinedTime'];
  if (details['accountId'] === undefined) {
    // An event that does not name the account still reports one that joined: Organizations gave it an id, the
    // simulator the next free one. Replayed, it finds the account that joined at that time already there.
    if (typeof joinedTime !== 'string' || state.accounts.some((account) => account.joinedAt === joinedTime)) return;
    addJoined(state, joinedAccount(freeAccountId(state), state.roots[0]!.id, details['joinedMethod'], joinedTime));
    return;
  }
  if (typeof details['accountId'] !== 'string' || state.accounts.some((account) => account.id === details['accountId'])) return;
  addJoined(state, joinedAccount(details['accountId'], state.roots[0]!.id, details['joinedMethod'], joinedTime));
}

/** A joined account gets FullAWSAccess attached, as Organizations attaches it to every account that joins. */
function addJoined(state: SimState, account: SimAccount): void {
  state.accounts.push(account);
  const fullAwsAccess = state.policies?.find((policy) => policy.id === FULL_AWS_ACCESS_POLICY_ID);
  if (fullAwsAccess && !fullAwsAccess.targets.includes(account.id)) fullAwsAccess.targets.push(account.id);
}

/** The first id of the joined accounts' range that no account has. */
function freeAccountId(state: SimState): string {
  const taken = new Set(state.accounts.map((account) => account.id));
  let id = 777_700_000_001;
  while (taken.has(String(id))) id++;
  return String(id);
}

function joinedAccount(id: string, parentId: string, joinedMethod: unknown, joinedTime: unknown): SimAccount {
  return {
    id,
    name: `joined-${id}`,
    email: `aws+joined-${id}@example.com`,
    status: 'ACTIVE',
    parentId,
    joinedAt: typeof joinedTime === 'string' ? joinedTime : new Date().toISOString(),
    joinedMethod: joinedMethod === 'CREATED' ? 'CREATED' : 'INVITED',
    contacts: {},
  };
}
