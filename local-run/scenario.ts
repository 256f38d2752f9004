import { type EnforcerConfig, resolveDesired } from '#shared/rules/config';
import { CONTACT_TYPES, type Contact, type ContactType, contactOf } from '#shared/rules/contacts';
import { NAMES } from '../infra/names.ts';
import { ACCOUNT_SERVICE_PRINCIPAL, FULL_AWS_ACCESS_POLICY_ID } from '../simulator/aws-facts.ts';
import { type AccountStatus, type SimAccount, type SimState, SIMULATOR_URL_PLACEHOLDER } from '../simulator/state.ts';

/**
 * Simulated organizations to run the enforcer against. The "correct" contacts are whatever the configuration resolves
 * for each account (resolveDesired with its OU path), so a scenario stays right when the configuration changes.
 */

// The ids the sample events and the default configuration name (see events/README.md).
export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const ROOT_ID = 'r-ab12';
export const MANAGEMENT_ACCOUNT_ID = '111111111111';
/** payments-dev: the account the sample CreateManagedAccount and CreateAccountResult events announce. */
export const NEW_ACCOUNT_ID = '222222222222';
/** The delegated administrator for account.amazonaws.com, where the enforcer runs in the delegated topology. */
export const SECURITY_ACCOUNT_ID = '333333333333';
/** Has an account override in the default configuration. */
export const SANDBOX_ACCOUNT_ID = '444444444444';
export const SUSPENDED_ACCOUNT_ID = '555500000001';
export const CLOSING_ACCOUNT_ID = '555500000002';
export const QUARANTINED_ACCOUNT_IDS = ['666600000001', '666600000002'] as const;
export const WORKLOADS_OU_ID = 'ou-ab12-cd34ef56';
/** Excluded by the default configuration: its accounts must never be called. */
export const QUARANTINE_OU_ID = 'ou-ab12-qu4r4nt1';
export const MANAGEMENT_ROLE_ARN = `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/${NAMES.managementRole}`;
export const SLACK_SECRET_NAME = 'alternate-contacts/slack-webhook';
export const SLACK_WEBHOOK_PATH = '/slack/services/T0SIMULATED/B0SIMULATED/alternate-contacts';

/** Holds the security account, where the enforcer runs in the delegated topology. */
export const SECURITY_OU_ID = 'ou-ab12-s3cur1ty';
/** The management account's organization trail: multi-Region, logging every management event of every account. */
export const ORGANIZATION_TRAIL_NAME = 'organization-trail';
const INFRASTRUCTURE_OU_ID = 'ou-ab12-1nfra001';
const PRODUCTION_OU_ID = 'ou-ab12-pr0d0001';
const PAYMENTS_OU_ID = 'ou-ab12-pay0prod';
const NON_PRODUCTION_OU_ID = 'ou-ab12-n0npr0d1';
const SANDBOX_OU_ID = 'ou-ab12-sandb0x1';

/**
 * How an account's contact of one type starts out:
 * c correct, v correct but for case and surrounding whitespace (must count as correct), o outdated, - missing.
 */
export type Seed = 'c' | 'v' | 'o' | '-';

const FORMER_CONTACTS: readonly Contact[] = [
  { name: 'Jane Doe', title: 'Cloud Engineer', email: 'jane.doe@example.com', phone: '+1 555 0199' },
  { name: 'Security Team (old)', title: 'Security', email: 'secops-legacy@example.org', phone: '+44 20 7946 0000' },
  { name: 'John Smith', title: 'Head of IT', email: 'john.smith@example.net', phone: '(555) 010-4477' },
];

function seededContact(desired: Contact, seed: Seed, index: number): Contact | undefined {
  switch (seed) {
    case 'c':
      return { ...desired };
    case 'v':
      return { ...desired, name: ` ${desired.name} `, title: `${desired.title} `, email: desired.email.toUpperCase() };
    case 'o':
      return { ...FORMER_CONTACTS[index % FORMER_CONTACTS.length]! };
    case '-':
      return undefined;
  }
}

/** An account's contacts from one seed per type; a type the configuration does not manage stays unset. */
export function seededContacts(config: EnforcerConfig, accountId: string, ouPath: readonly string[], seeds: readonly Seed[], index: number): SimAccount['contacts'] {
  const desired = resolveDesired(config, accountId, ouPath);
  const contacts: SimAccount['contacts'] = {};
  CONTACT_TYPES.forEach((type: ContactType, i) => {
    // A type to delete starts out as some former contact, unless its seed leaves it missing.
    const wanted = desired[type]?.policy === 'delete' ? FORMER_CONTACTS[index % FORMER_CONTACTS.length] : contactOf(desired[type]);
    const contact = wanted && seededContact(wanted, seeds[i] ?? '-', index + i);
    if (contact) contacts[type] = contact;
  });
  return contacts;
}

/** What every scenario shares: the organization, the role, the delegated administrator, trusted access and the Slack secret. */
export function organizationShell(config: EnforcerConfig): SimState {
  return {
    organizationId: config.deployment?.organizationId ?? ORGANIZATION_ID,
    managementAccountId: MANAGEMENT_ACCOUNT_ID,
    roots: [{ id: ROOT_ID, name: 'Root' }],
    organizationalUnits: [
      { id: SECURITY_OU_ID, name: 'Security', parentId: ROOT_ID },
      { id: WORKLOADS_OU_ID, name: 'Workloads', parentId: ROOT_ID },
      { id: QUARANTINE_OU_ID, name: 'Quarantine', parentId: ROOT_ID },
    ],
    accounts: [],
    delegatedAdministrators: [{ accountId: SECURITY_ACCOUNT_ID, servicePrincipal: ACCOUNT_SERVICE_PRINCIPAL }],
    trustedAccess: true,
    stackSetsTrustedAccess: true,
    // `cdk bootstrap` of each account and Region a README deploy line deploys to (version 30: CDK's at writing).
    cdkBootstrap: [
      ...[...new Set(['us-east-1', config.deployment?.controlTowerHomeRegion ?? 'us-east-1'])].map((region) => ({ accountId: MANAGEMENT_ACCOUNT_ID, region, version: 30 })),
      { accountId: SECURITY_ACCOUNT_ID, region: 'us-east-1', version: 30 },
    ],
    featureSet: 'ALL',
    // AWS attaches FullAWSAccess to the root, every OU and every account when SCPs are enabled (withFullAwsAccess
    // completes the list once the scenario's OUs and accounts exist); it is what the explicit denies subtract from.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
    policies: [
      {
        id: FULL_AWS_ACCESS_POLICY_ID,
        name: 'FullAWSAccess',
        description: 'Allows access to every operation',
        awsManaged: true,
        content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
        targets: [ROOT_ID],
      },
    ],
    controlTower: { homeRegion: config.deployment?.controlTowerHomeRegion ?? 'us-east-1' },
    // What the MoveAccount and contact-change triggers need to receive their events (the preflight's cloudtrail-delivery).
    trails: [{ name: ORGANIZATION_TRAIL_NAME, accountId: MANAGEMENT_ACCOUNT_ID, homeRegion: 'us-east-1', multiRegion: true, organizationTrail: true, logging: true }],
    roles: { [MANAGEMENT_ROLE_ARN]: [SECURITY_ACCOUNT_ID] },
    secrets: { [SLACK_SECRET_NAME]: `${SIMULATOR_URL_PLACEHOLDER}${SLACK_WEBHOOK_PATH}` },
    outages: { sns: false, slack: false },
    published: [],
    slackPosts: [],
  };
}

export function account(id: string, name: string, parentId: string, joinedAt: Date, status: AccountStatus = 'ACTIVE'): SimAccount {
  return { id, name, email: `aws+${name}@example.com`, status, parentId, joinedAt: joinedAt.toISOString(), joinedMethod: 'CREATED', contacts: {} };
}

export const DAY_MS = 86_400_000;

// name, parent OU, and the SECURITY/BILLING/OPERATIONS seeds. SECURITY: 31 missing, 4 outdated, 5 correct (one 'v').
const DEFAULT_ACCOUNTS: readonly (readonly [id: string | undefined, name: string, parentId: string, seeds: string])[] = [
  [MANAGEMENT_ACCOUNT_ID, 'management', ROOT_ID, 'occ'],
  [SECURITY_ACCOUNT_ID, 'security', SECURITY_OU_ID, 'cvc'],
  [undefined, 'log-archive', SECURITY_OU_ID, 'c-o'],
  [undefined, 'network', INFRASTRUCTURE_OU_ID, 'vc-'],
  [undefined, 'shared-services', INFRASTRUCTURE_OU_ID, 'cov'],
  [undefined, 'identity', INFRASTRUCTURE_OU_ID, 'o--'],
  [undefined, 'dns', INFRASTRUCTURE_OU_ID, '-c-'],
  [undefined, 'backup', INFRASTRUCTURE_OU_ID, '--c'],
  [undefined, 'ci-cd', INFRASTRUCTURE_OU_ID, '-o-'],
  [undefined, 'monitoring', INFRASTRUCTURE_OU_ID, '-vo'],
  [undefined, 'edge', INFRASTRUCTURE_OU_ID, '---'],
  [NEW_ACCOUNT_ID, 'payments-dev', WORKLOADS_OU_ID, '---'],
  [undefined, 'payments-prod', PAYMENTS_OU_ID, 'ccc'],
  [undefined, 'payments-staging', PAYMENTS_OU_ID, '-c-'],
  [undefined, 'ledger-prod', PAYMENTS_OU_ID, '-oc'],
  [undefined, 'checkout-prod', PRODUCTION_OU_ID, 'o-o'],
  [undefined, 'catalog-prod', PRODUCTION_OU_ID, '-c-'],
  [undefined, 'search-prod', PRODUCTION_OU_ID, '--v'],
  [undefined, 'customer-prod', PRODUCTION_OU_ID, '-o-'],
  [undefined, 'orders-prod', PRODUCTION_OU_ID, '-cc'],
  [undefined, 'data-lake-prod', PRODUCTION_OU_ID, '---'],
  [undefined, 'analytics-prod', PRODUCTION_OU_ID, '-v-'],
  [undefined, 'mobile-api-prod', PRODUCTION_OU_ID, '--o'],
  [undefined, 'notifications-prod', PRODUCTION_OU_ID, '---'],
  [undefined, 'checkout-dev', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'catalog-dev', NON_PRODUCTION_OU_ID, '-c-'],
  [undefined, 'search-dev', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'customer-dev', NON_PRODUCTION_OU_ID, '--c'],
  [undefined, 'orders-dev', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'data-lake-dev', NON_PRODUCTION_OU_ID, '-o-'],
  [undefined, 'analytics-dev', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'mobile-api-dev', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'notifications-dev', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'checkout-test', NON_PRODUCTION_OU_ID, '---'],
  [undefined, 'orders-test', NON_PRODUCTION_OU_ID, '---'],
  [SANDBOX_ACCOUNT_ID, 'sandbox', SANDBOX_OU_ID, '-o-'],
  [undefined, 'sandbox-alice', SANDBOX_OU_ID, 'o--'],
  [undefined, 'sandbox-bob', SANDBOX_OU_ID, '---'],
  [undefined, 'sandbox-carol', SANDBOX_OU_ID, '---'],
  [undefined, 'ml-experiments', SANDBOX_OU_ID, '---'],
];

export interface DefaultOrganizationOptions {
  /** The moment the scenario is built for; payments-dev joined just before it. @default Date.now() */
  readonly now?: number;
  /** How long payments-dev answers AccessDenied, as a just-created account does; 0 for never. @default 30_000 */
  readonly newAccountReadyInMs?: number;
}

/**
 * The organization from the design brief: 40 ACTIVE, non-excluded accounts, of which 31 have no SECURITY contact,
 * 4 an outdated one and 5 a correct one; plus 2 ACTIVE accounts in the excluded Quarantine OU, 1 SUSPENDED and
 * 1 PENDING_CLOSURE account. OUs nest three deep (Workloads > Production > Payments). Deterministic for a given `now`.
 */
export function defaultOrganization(config: EnforcerConfig, options: DefaultOrganizationOptions = {}): SimState {
  const { now = Date.now(), newAccountReadyInMs = 30_000 } = options;
  const state = organizationShell(config);
  state.organizationalUnits.push(
    { id: INFRASTRUCTURE_OU_ID, name: 'Infrastructure', parentId: ROOT_ID },
    { id: PRODUCTION_OU_ID, name: 'Production', parentId: WORKLOADS_OU_ID },
    { id: PAYMENTS_OU_ID, name: 'Payments', parentId: PRODUCTION_OU_ID },
    { id: NON_PRODUCTION_OU_ID, name: 'Non-Production', parentId: WORKLOADS_OU_ID },
    { id: SANDBOX_OU_ID, name: 'Sandbox', parentId: ROOT_ID },
  );
  const paths = ouPathBuilder(state);
  const joinedLongAgo = (index: number) => new Date(Date.UTC(2019, 2, 1) + index * 23 * DAY_MS);

  DEFAULT_ACCOUNTS.forEach(([id, name, parentId, seeds], index) => {
    const accountId = id ?? String(500_000_000_000 + index * 1_000_101);
    const created = account(accountId, name, parentId, joinedLongAgo(index));
    created.contacts = seededContacts(config, accountId, paths(parentId), [...seeds] as Seed[], index);
    state.accounts.push(created);
  });

  const newAccount = state.accounts.find((a) => a.id === NEW_ACCOUNT_ID)!;
  newAccount.joinedAt = new Date(now - 5 * 60_000).toISOString();
  if (newAccountReadyInMs > 0) newAccount.readyAt = new Date(now + newAccountReadyInMs).toISOString();

  state.accounts.push(
    account(SUSPENDED_ACCOUNT_ID, 'legacy-billing', SANDBOX_OU_ID, joinedLongAgo(3), 'SUSPENDED'),
    account(CLOSING_ACCOUNT_ID, 'old-marketing', SANDBOX_OU_ID, joinedLongAgo(5), 'PENDING_CLOSURE'),
    ...QUARANTINED_ACCOUNT_IDS.map((id, i) => account(id, `quarantined-${i + 1}`, QUARANTINE_OU_ID, joinedLongAgo(7 + i))),
  );
  return withFullAwsAccess(state);
}

/**
 * Walls one member account off with a real SCP: on the root, it denies every Account API call on that account in
 * organization context to the principals of every member account, the delegated administrator among them. The
 * management account is bound by no SCP, so only the delegated topology meets the denial.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-example-scps.html
 */
export function withAccountApiDenied(state: SimState, accountId: string): SimState {
  const statement = { Effect: 'Deny', Action: 'account:*', Resource: `arn:aws:account::*:account/o-*/${accountId}` };
  state.policies = [
    ...(state.policies ?? []),
    { id: `p-deny${accountId}`, name: `DenyAccountApiOn${accountId}`, description: `No member account may call the Account API on ${accountId}`, awsManaged: false, content: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), targets: [ROOT_ID] },
  ];
  return state;
}

/** FullAWSAccess on every root, OU and account, as AWS attaches it to each new one. */
export function withFullAwsAccess(state: SimState): SimState {
  const everything = [...state.roots.map((r) => r.id), ...state.organizationalUnits.map((ou) => ou.id), ...state.accounts.map((a) => a.id)];
  for (const policy of state.policies ?? []) if (policy.id === FULL_AWS_ACCESS_POLICY_ID) policy.targets = everything;
  return state;
}

/** OU path (root down) of any parent id, memoized; parents must be added before their children. */
export function ouPathBuilder(state: SimState): (parentId: string) => string[] {
  const paths = new Map<string, string[]>([[ROOT_ID, []]]);
  return (parentId) => {
    let path = paths.get(parentId);
    if (!path) {
      const ou = state.organizationalUnits.find((o) => o.id === parentId);
      if (!ou) throw new Error(`Unknown parent ${parentId}`);
      path = [...(paths.get(ou.parentId) ?? []), ou.id];
      paths.set(parentId, path);
    }
    return path;
  };
}
