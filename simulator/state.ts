import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ACCOUNT_ID, ALTERNATE_CONTACT_TYPES, ORGANIZATION_ID, OU_ID, POLICY_ID, ROOT_ID, storedContactSchema } from './aws-facts.ts';

/**
 * The simulated organization: everything the simulator answers from and writes to. Plain JSON, so a run can be
 * saved and the next run (a second `npm start`) sees its writes. Times are ISO strings so the file stays readable.
 */

/**
 * Organizations' account State. PENDING_ACTIVATION: sign-up not finished yet; CLOSED: past the 90-day window.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html
 */
export const ACCOUNT_STATUSES = ['PENDING_ACTIVATION', 'ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

const accountIdSchema = z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id');
const ouIdSchema = z.string().regex(OU_ID, 'must be an OU id like ou-ab12-cd34ef56');
const rootIdSchema = z.string().regex(ROOT_ID, 'must be a root id like r-ab12');
const timeSchema = z.iso.datetime({ offset: true });

const simAccountSchema = z.strictObject({
  id: accountIdSchema,
  name: z.string().min(1),
  email: z.string().min(1),
  status: z.enum(ACCOUNT_STATUSES),
  /** A root or OU id. */
  parentId: z.string(),
  joinedAt: timeSchema,
  joinedMethod: z.enum(['CREATED', 'INVITED']).default('CREATED'),
  /** A PENDING_ACTIVATION account becomes ACTIVE at this time; without it, it stays pending. */
  activatesAt: timeSchema.optional(),
  /** Until then the Account API answers AccessDenied for this account, as a just-created account does. */
  readyAt: timeSchema.optional(),
  /** Organizations tags, key to value (ListTagsForResource). */
  tags: z.record(z.string(), z.string()).optional(),
  /** Stored exactly as written (AWS keeps surrounding whitespace). */
  contacts: z.partialRecord(z.enum(ALTERNATE_CONTACT_TYPES), storedContactSchema).default({}),
});
export type SimAccount = z.infer<typeof simAccountSchema>;

const publishedMessageSchema = z.strictObject({
  messageId: z.string(),
  topicArn: z.string(),
  subject: z.string().optional(),
  message: z.string(),
  publishedAt: timeSchema,
});
export type PublishedMessage = z.infer<typeof publishedMessageSchema>;

/**
 * A service control policy and where it is attached (root, OU or account ids), read back with ListPoliciesForTarget
 * and DescribePolicy, and enforced on the Account API (service-control-policies.ts): the one model of denial. `content` is the policy
 * document, as AWS returns it: a JSON string.
 */
const servicePolicySchema = z.strictObject({
  id: z.string().regex(POLICY_ID, 'must be a policy id like p-FullAWSAccess'),
  name: z.string().min(1),
  description: z.string().default(''),
  awsManaged: z.boolean().default(false),
  content: z.string(),
  targets: z.array(z.string()),
});
export type ServicePolicy = z.infer<typeof servicePolicySchema>;

/** The operations of CloudTrail the simulator answers; each can be denied to an account's callers. */
export const CLOUDTRAIL_READS = ['DescribeTrails', 'GetTrailStatus', 'GetEventSelectors'] as const;

/**
 * CloudTrail's rule for a trail name: 3-128 characters, no adjacent punctuation, not an IP address.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 */
export const TRAIL_NAME = /^(?!.*[._-]{2})(?!\d+\.\d+\.\d+\.\d+$)[A-Za-z0-9][\w.-]{1,126}[A-Za-z0-9]$/;

const fieldSelectorSchema = z.strictObject({
  Field: z.string().min(1),
  Equals: z.array(z.string()).optional(),
  StartsWith: z.array(z.string()).optional(),
  EndsWith: z.array(z.string()).optional(),
  NotEquals: z.array(z.string()).optional(),
  NotStartsWith: z.array(z.string()).optional(),
  NotEndsWith: z.array(z.string()).optional(),
});

/**
 * A CloudTrail trail, with its selectors kept in the API's own shape (what GetEventSelectors returns): a trail has
 * either classic EventSelectors or AdvancedEventSelectors, never both. Without either it has the selector a new trail
 * gets, all management events, read and write.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html
 */
const trailSchema = z
  .strictObject({
    name: z.string().regex(TRAIL_NAME, 'must be a trail name: 3-128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit, with no two periods, underscores or dashes in a row'),
    /** The account that owns the trail: for an organization trail, the management account. */
    accountId: accountIdSchema,
    homeRegion: z.string().min(1),
    multiRegion: z.boolean().default(false),
    /** Logs the events of every account in the organization, and shows in each member account as a shadow trail. */
    organizationTrail: z.boolean().default(false),
    logging: z.boolean().default(true),
    eventSelectors: z
      .array(
        z.strictObject({
          ReadWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).default('All'),
          IncludeManagementEvents: z.boolean().default(true),
          ExcludeManagementEventSources: z.array(z.string()).default([]),
          DataResources: z.array(z.strictObject({ Type: z.string(), Values: z.array(z.string()) })).default([]),
        }),
      )
      .optional(),
    advancedEventSelectors: z.array(z.strictObject({ Name: z.string().optional(), FieldSelectors: z.array(fieldSelectorSchema).min(1) })).optional(),
  })
  .refine((trail) => !(trail.eventSelectors && trail.advancedEventSelectors), 'a trail has either eventSelectors or advancedEventSelectors, not both');
export type SimTrail = z.infer<typeof trailSchema>;

const slackPostSchema = z.strictObject({ body: z.unknown(), postedAt: timeSchema });
export type SlackPost = z.infer<typeof slackPostSchema>;

export const simStateSchema = z.strictObject({
  organizationId: z.string().regex(ORGANIZATION_ID),
  managementAccountId: accountIdSchema,
  roots: z
    .array(
      z.strictObject({
        id: rootIdSchema,
        name: z.string(),
        /** The policy types enabled on the root; absent: SERVICE_CONTROL_POLICY, as in an organization with all features. */
        policyTypes: z.array(z.enum(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY'])).optional(),
      }),
    )
    .min(1),
  organizationalUnits: z.array(z.strictObject({ id: ouIdSchema, name: z.string(), parentId: z.string() })),
  accounts: z.array(simAccountSchema),
  /** Registered with `organizations register-delegated-administrator`. */
  delegatedAdministrators: z.array(z.strictObject({ accountId: accountIdSchema, servicePrincipal: z.string() })),
  /** Trusted access for account.amazonaws.com (`organizations enable-aws-service-access`). */
  trustedAccess: z.boolean(),
  /**
   * CloudFormation StackSets' trusted access (`cloudformation activate-organizations-access`), which service-managed
   * StackSets need; absent means off, as in a new organization.
   */
  stackSetsTrustedAccess: z.boolean().optional(),
  /**
   * The CDK bootstrap stack (CDKToolkit) in each account and Region that has one, with its BootstrapVersion output;
   * absent means none anywhere.
   */
  cdkBootstrap: z.array(z.strictObject({ accountId: accountIdSchema, region: z.string().min(1), version: z.int().min(1) })).optional(),
  /**
   * ALL, or CONSOLIDATED_BILLING: an organization without all features has no SCPs and no trusted access.
   * Optional, like the fields below, so states written before they were modelled still parse: absent means ALL.
   */
  featureSet: z.enum(['ALL', 'CONSOLIDATED_BILLING']).optional(),
  /** Service control policies; absent means none. */
  policies: z.array(servicePolicySchema).optional(),
  /** AWS Control Tower's landing zone, when the organization has one: its stack sets live in the home Region. */
  controlTower: z.strictObject({ homeRegion: z.string() }).optional(),
  /** IAM roles that STS AssumeRole knows: role ARN → the account ids its trust policy admits. */
  roles: z.record(z.string(), z.array(accountIdSchema)),
  /** Secrets Manager: secret name → SecretString. SIMULATOR_URL_PLACEHOLDER in a value becomes the server's URL. */
  secrets: z.record(z.string(), z.string()),
  /** S3 buckets that exist: bucket name → the owning account (their objects are kept in memory only). */
  buckets: z.record(z.string(), accountIdSchema).optional(),
  /** CloudTrail trails in every account and Region; absent means none. */
  trails: z.array(trailSchema).optional(),
  /** CloudTrail reads an account's callers are denied (AccessDeniedException), as an IAM policy without them would. */
  cloudTrailDenied: z.record(accountIdSchema, z.array(z.enum(CLOUDTRAIL_READS))).optional(),
  /** Switches that make a notification channel fail, to test that delivery failures are reported, not fatal. */
  outages: z.strictObject({ sns: z.boolean(), slack: z.boolean() }).default({ sns: false, slack: false }),
  /** Recorded outputs. */
  published: z.array(publishedMessageSchema).default([]),
  slackPosts: z.array(slackPostSchema).default([]),
});
export type SimState = z.infer<typeof simStateSchema>;

/** Written into a secret value where the simulator's own URL belongs; the URL is known only once the server listens. */
export const SIMULATOR_URL_PLACEHOLDER = '{{simulatorUrl}}';

/** Validates a state (from a file or a builder) and returns a fresh copy with defaults filled in. */
export function parseState(raw: unknown): SimState {
  return simStateSchema.parse(raw);
}

export function loadState(path: string): SimState {
  return parseState(JSON.parse(readFileSync(path, 'utf8')));
}

export function saveState(path: string, state: SimState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** Each account's OU path from the root down (the shape resolveDesired and isExcluded take). */
export function ouPaths(state: SimState): Map<string, string[]> {
  const parentOf = new Map(state.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
  const pathOf = new Map<string, string[]>();
  const ouPath = (parentId: string): string[] => {
    const known = pathOf.get(parentId);
    if (known) return known;
    const grandParent = parentOf.get(parentId);
    const path = grandParent === undefined ? [] : [...ouPath(grandParent), parentId];
    pathOf.set(parentId, path);
    return path;
  };
  return new Map(state.accounts.map((account) => [account.id, ouPath(account.parentId)]));
}
