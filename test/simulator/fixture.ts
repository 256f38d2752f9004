import { AccountClient, GetAlternateContactCommand, PutAlternateContactCommand, type PutAlternateContactCommandInput } from '@aws-sdk/client-account';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { credentialsFor, SIMULATOR_URL_PLACEHOLDER, type SimState, type Simulator, type SimulatorOptions, startSimulator } from '../../simulator/index.ts';

/** The small organization the simulator's tests share, and the clients and helpers they reach it with. */

export const T0 = Date.parse('2026-11-20T10:00:00Z');
export const MANAGEMENT = '111111111111';
export const ADMIN = '333333333333';
export const MEMBER = '200000000001';
export const OTHER_MEMBER = '200000000002';
export const NEW_MEMBER = '200000000003';
/** Walled off by an SCP on the root: no member account's principal may call the Account API on it. */
export const DENIED = '200000000004';
export const SUSPENDED = '200000000005';
export const ROLE_ARN = `arn:aws:iam::${MANAGEMENT}:role/AlternateContactsEnforcer-ManagementAccount`;
export const OU = 'ou-ab12-cd34ef56';
export const TOPIC_ARN = `arn:aws:sns:us-east-1:${ADMIN}:alternate-contacts-report`;
export const CONTACT = { Name: 'Security Operations Center', Title: 'Security Team', EmailAddress: 'security@example.com', PhoneNumber: '+1 555 0100' };

/**
 * Denies every Account API call on DENIED in organization context, to the principals of every member account below
 * the root; the management account is bound by no SCP.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-example-scps.html
 */
const DENY_ACCOUNT_API_ON_DENIED = {
  id: 'p-denied00001',
  name: 'DenyAccountApiOnDenied',
  description: '',
  awsManaged: false,
  content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'account:*', Resource: `arn:aws:account::*:account/o-*/${DENIED}` }] }),
  targets: ['r-ab12'],
};

/** A small organization: management, a delegated admin, members in different conditions, and `extraAccounts` fillers. */
export function organization(extraAccounts = 0): SimState {
  const member = (id: string, extra: Partial<SimState['accounts'][number]> = {}) => ({
    id,
    name: `account-${id}`,
    email: `aws+${id}@example.com`,
    status: 'ACTIVE' as const,
    parentId: OU,
    joinedAt: '2024-01-01T00:00:00.000Z',
    joinedMethod: 'CREATED' as const,
    contacts: {},
    ...extra,
  });
  return {
    organizationId: 'o-a1b2c3d4e5',
    managementAccountId: MANAGEMENT,
    roots: [{ id: 'r-ab12', name: 'Root' }],
    organizationalUnits: [{ id: OU, name: 'Workloads', parentId: 'r-ab12' }],
    accounts: [
      member(MANAGEMENT, { parentId: 'r-ab12' }),
      member(ADMIN),
      member(MEMBER, { contacts: { BILLING: { name: 'Cloud FinOps', title: 'Billing', email: 'finops@example.com', phone: '+1 555 0101' } } }),
      member(OTHER_MEMBER),
      member(NEW_MEMBER, { joinedAt: new Date(T0 - 60_000).toISOString(), readyAt: new Date(T0 + 60_000).toISOString() }),
      member(DENIED),
      member(SUSPENDED, { status: 'SUSPENDED' }),
      ...Array.from({ length: extraAccounts }, (_, i) => member(String(300_000_000_000 + i))),
    ],
    delegatedAdministrators: [{ accountId: ADMIN, servicePrincipal: 'account.amazonaws.com' }],
    trustedAccess: true,
    policies: [DENY_ACCOUNT_API_ON_DENIED],
    roles: { [ROLE_ARN]: [ADMIN] },
    secrets: { 'alternate-contacts/slack-webhook': `${SIMULATOR_URL_PLACEHOLDER}/slack/services/T0/B0/x` },
    outages: { sns: false, slack: false },
    published: [],
    slackPosts: [],
  };
}

/** The simulated time every started simulator reads (unless a test gives its own clock); tests move it on. */
export const clock = { now: T0 };
let current: Simulator | undefined;

/** Starts a simulator of `organization()` at T0; `options` may replace the state or the clock. */
export async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  clock.now = T0;
  current = await startSimulator({ state: organization(), clock: () => clock.now, ...options });
  return current;
}

/** The simulator the running test started. */
export function simulator(): Simulator {
  if (!current) throw new Error('no simulator started in this test');
  return current;
}

/** For afterEach: closes the simulator the test started. */
export async function stopSimulator(): Promise<void> {
  await current?.close();
  current = undefined;
}

/** SDK clients as `accountId`, without SDK retries so every throttle and error is seen as the server sent it. */
export function clientConfig(accountId: string, region = 'us-east-1') {
  return { endpoint: simulator().url, region, credentials: credentialsFor(accountId), maxAttempts: 1 };
}
export const account = (accountId: string, region?: string) => new AccountClient(clientConfig(accountId, region));
export const organizations = (accountId: string) => new OrganizationsClient(clientConfig(accountId));

export const put = (accountId: string | undefined, extra: Partial<PutAlternateContactCommandInput> = {}) =>
  new PutAlternateContactCommand({ AccountId: accountId, AlternateContactType: 'SECURITY', ...CONTACT, ...extra });
export const get = (accountId: string | undefined, type: 'SECURITY' | 'BILLING' = 'SECURITY') => new GetAlternateContactCommand({ AccountId: accountId, AlternateContactType: type });

/** Sends `count` requests one after another and counts the outcomes by error name ('OK' for success). */
export async function outcomes(count: number, send: () => Promise<unknown>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const outcome = await send().then(
      () => 'OK',
      (error: Error) => error.name,
    );
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}
