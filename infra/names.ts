/**
 * Names fixed across stacks. The stacks of the delegated topology live in different accounts, where CloudFormation
 * cannot pass references, so each side computes the other's ARNs from these names.
 */
export const NAMES = {
  /** The enforcer account's custom event bus that the management stack forwards account-creation events to. */
  eventBus: 'alternate-contacts-enforcer',
  /** The management-account role that the state machine's management branch assumes (delegated topology). */
  managementRole: 'AlternateContactsEnforcer-ManagementAccount',
  /** get-contacts and put-contacts: the only principals the management role trusts. */
  getContactsRole: 'AlternateContactsEnforcer-GetContacts',
  putContactsRole: 'AlternateContactsEnforcer-PutContacts',
} as const;

/** Every managed Region resource lives here: Organizations and Account events exist only in us-east-1. */
export const HOME_REGION = 'us-east-1';

export const roleArn = (partition: string, account: string, name: string): string => `arn:${partition}:iam::${account}:role/${name}`;

export const eventBusArn = (partition: string, account: string, name: string): string =>
  `arn:${partition}:events:${HOME_REGION}:${account}:event-bus/${name}`;

/** The stacks, by role. Also what the preflight looks for once deployed, so they live here, away from aws-cdk-lib. */
export const STACK_IDS = {
  enforcer: 'AlternateContactsEnforcer',
  management: 'AlternateContactsEnforcerManagement',
  controlTowerForwarder: 'AlternateContactsEnforcerControlTowerForwarder',
} as const;

/**
 * The service principals whose trusted access in the organization the templates depend on:
 * - the Account API in organization context (every member's contacts);
 * - CloudFormation StackSets, for the service-managed contact-change forwarding StackSet;
 * - Control Tower, whose lifecycle events the enforcer reacts to (Control Tower enables its own).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html
 */
export const SERVICE_PRINCIPALS = {
  account: 'account.amazonaws.com',
  stackSets: 'member.org.stacksets.cloudformation.amazonaws.com',
  controlTower: 'controltower.amazonaws.com',
} as const;

/**
 * The CDK bootstrap every stack deploys through (the default synthesizer's qualifier). Each template's
 * CheckBootstrapVersion rule refuses a bootstrap older than `minimumVersion`; test/infra keeps the two in step.
 * https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */
export const CDK_BOOTSTRAP = {
  stackName: 'CDKToolkit',
  versionParameter: '/cdk-bootstrap/hnb659fds/version',
  minimumVersion: 6,
} as const;
