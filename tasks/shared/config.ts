import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  accountIdSchema,
  CONTACT_TYPES,
  contactFields,
  type ContactType,
  type DesiredContacts,
  type DesiredSource,
  type DesiredSources,
  ouIdSchema,
  POLICIES,
} from './contacts.ts';
import { ConfigError } from './errors.ts';

const policySchema = z.enum(POLICIES, { error: `must be one of ${POLICIES.join(', ')}` });

const managedContactSchema = z.strictObject({ ...contactFields, policy: policySchema.default('enforce') });
const contactOverrideSchema = z.strictObject({
  name: contactFields.name.optional(),
  title: contactFields.title.optional(),
  email: contactFields.email.optional(),
  phone: contactFields.phone.optional(),
  policy: policySchema.optional(),
});

const perType = <T extends z.ZodType>(schema: T) =>
  z.strictObject(Object.fromEntries(CONTACT_TYPES.map((type) => [type, schema.optional()])) as Record<ContactType, z.ZodOptional<T>>);

const overrideSchema = perType(contactOverrideSchema);

// EventBridge Scheduler expressions: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
const RATE = /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/;
const CRON = /^cron\(\S+( \S+){5}\)$/;
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;
const scheduleSchema = z
  .string({ error: 'must be a string' })
  .refine((s) => RATE.test(s) || CRON.test(s) || AT.test(s), 'must be rate(N unit), cron(6 fields) or at(yyyy-mm-ddThh:mm:ss)');

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const regionSchema = z.string({ error: 'must be a string' }).regex(REGION, 'must be an AWS Region such as us-east-1');

/** The deployment's shape: where the enforcer runs and which organization it serves. */
const deploymentSchema = z.strictObject({
  topology: z.enum(['single', 'delegated'], { error: 'must be single or delegated' }),
  managementAccountId: accountIdSchema,
  organizationId: z.string({ error: 'must be a string' }).regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id like o-a1b2c3d4e5'),
  /** The delegated administrator that runs the enforcer; delegated topology only. */
  enforcerAccountId: accountIdSchema.optional(),
  /** The Account and Organizations events are only emitted here, so the enforcer lives here too. */
  region: regionSchema.refine((r) => r === 'us-east-1', 'must be us-east-1: Organizations events exist only there').default('us-east-1'),
  /** Control Tower emits CreateManagedAccount in its home Region; a forwarding rule is deployed there when it differs. */
  controlTowerHomeRegion: regionSchema.default('us-east-1'),
  /** Enable trusted access for account.amazonaws.com (and register the delegated administrator) at deploy time. */
  setupTrustedAccess: z.boolean({ error: 'must be true or false' }).default(true),
});

export const configSchema = z
  .strictObject({
    mode: z.enum(['enforce', 'audit'], { error: 'must be enforce or audit' }).default('enforce'),
    contacts: perType(managedContactSchema).refine((c) => Object.keys(c).length > 0, 'must manage at least one contact type'),
    overrides: z
      .strictObject({
        organizationalUnits: z.record(ouIdSchema, overrideSchema).default({}),
        accounts: z.record(accountIdSchema, overrideSchema).default({}),
      })
      .default({ organizationalUnits: {}, accounts: {} }),
    exclusions: z
      .strictObject({
        accountIds: z.array(accountIdSchema).default([]),
        organizationalUnitIds: z.array(ouIdSchema).default([]),
      })
      .default({ accountIds: [], organizationalUnitIds: [] }),
    triggers: z
      .strictObject({
        schedule: scheduleSchema.default('cron(0 3 * * ? *)'),
        controlTower: z.boolean({ error: 'must be true or false' }).default(true),
        organizations: z.boolean({ error: 'must be true or false' }).default(true),
      })
      .default({ schedule: 'cron(0 3 * * ? *)', controlTower: true, organizations: true }),
    /** Accounts reconciled at once; derived from the Account API quota when absent (see maxConcurrencyFor). */
    maxConcurrency: z.int({ error: 'must be a whole number' }).min(1, 'must be 1-40').max(40, 'must be 1-40').optional(),
    notifications: z
      .strictObject({
        emails: z.array(z.email({ error: 'must be an e-mail address' })).default([]),
        slackWebhookSecretName: z
          .string({ error: 'must be a string' })
          .regex(/^[\w/+=.@-]{1,512}$/, 'must be a Secrets Manager secret name')
          .optional(),
        /** A scheduled run that changed nothing and failed nothing sends no message. */
        quietWhenUnchanged: z.boolean({ error: 'must be true or false' }).default(true),
      })
      .default({ emails: [], quietWhenUnchanged: true }),
    reports: z
      .strictObject({
        /** Days each run's report files are kept in the bucket; 400 so a yearly audit finds the whole past year. */
        retentionDays: z.int({ error: 'must be a whole number' }).min(1, 'must be 1-3650').max(3650, 'must be 1-3650').default(400),
      })
      .default({ retentionDays: 400 }),
    deployment: deploymentSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const overrideSets = [
      ['overrides', 'organizationalUnits', config.overrides.organizationalUnits],
      ['overrides', 'accounts', config.overrides.accounts],
    ] as const;
    for (const [root, kind, entries] of overrideSets) {
      for (const [id, override] of Object.entries(entries)) {
        for (const type of Object.keys(override) as ContactType[]) {
          if (!config.contacts[type]) {
            ctx.addIssue({ code: 'custom', path: [root, kind, id, type], message: `overrides a type that contacts does not manage; add contacts.${type} first` });
          }
        }
      }
    }
    const deployment = config.deployment;
    if (deployment?.topology === 'delegated') {
      if (!deployment.enforcerAccountId) {
        ctx.addIssue({ code: 'custom', path: ['deployment', 'enforcerAccountId'], message: 'is required for the delegated topology' });
      } else if (deployment.enforcerAccountId === deployment.managementAccountId) {
        ctx.addIssue({ code: 'custom', path: ['deployment', 'enforcerAccountId'], message: 'must differ from managementAccountId; use topology single instead' });
      }
    }
    if (deployment?.topology === 'single' && deployment.enforcerAccountId) {
      ctx.addIssue({ code: 'custom', path: ['deployment', 'enforcerAccountId'], message: 'applies to the delegated topology only' });
    }
  });

export type EnforcerConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

function describe(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${path ? `${path}.` : ''}${key}: is not a known key`);
    if (issue.code === 'invalid_key') return [`${path}: key ${issue.issues[0]?.message ?? issue.message}`];
    return [`${path || '(root)'}: ${issue.message}`];
  });
}

/** Validates a parsed configuration; throws one ConfigError listing every problem with its path and rule. */
export function parseConfig(raw: unknown, source = '(inline)'): EnforcerConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describe(result.error), source);
  return result.data;
}

/** Reads a YAML or JSON configuration file and validates it. */
export function loadConfig(path: string): EnforcerConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`(file): ${(error as Error).message.split('\n')[0]}`], path);
  }
  return parseConfig(raw, path);
}

/**
 * The contacts one account should have: defaults, then each OU override from the root down (the nearest OU wins),
 * then the account override. Types whose resolved policy is `ignore` are left out, so they are never read.
 */
export function resolveDesired(config: EnforcerConfig, accountId: string, ouPath: readonly string[]): DesiredContacts {
  const layers = [...ouPath.map((ou) => config.overrides.organizationalUnits[ou]), config.overrides.accounts[accountId]];
  const desired: DesiredContacts = {};
  for (const type of CONTACT_TYPES) {
    const base = config.contacts[type];
    if (!base) continue;
    const merged = Object.assign({}, base, ...layers.map((layer) => layer?.[type] ?? {}));
    if (merged.policy === 'ignore') continue;
    const { policy, ...contact } = merged;
    desired[type] = { contact, policy };
  }
  return desired;
}

/**
 * For each managed type, the layer resolveDesired took it from last: the account override, else the nearest OU that
 * overrides the type, else the default. Ignored types are included, so a report can say who decided to ignore them.
 */
export function resolveSources(config: EnforcerConfig, accountId: string, ouPath: readonly string[]): DesiredSources {
  const layers: [DesiredSource, z.infer<typeof overrideSchema> | undefined][] = [
    ...ouPath.map((id): [DesiredSource, z.infer<typeof overrideSchema> | undefined] => [{ layer: 'ou', id }, config.overrides.organizationalUnits[id]]),
    [{ layer: 'account' }, config.overrides.accounts[accountId]],
  ];
  const sources: DesiredSources = {};
  for (const type of CONTACT_TYPES) {
    if (!config.contacts[type]) continue;
    const setter = layers.findLast(([, override]) => Object.keys(override?.[type] ?? {}).length > 0);
    sources[type] = setter?.[0] ?? { layer: 'default' };
  }
  return sources;
}

/** True when the account, or any OU above it, is excluded: such an account is never called at all. */
export function isExcluded(config: EnforcerConfig, accountId: string, ouPath: readonly string[]): boolean {
  const { accountIds, organizationalUnitIds } = config.exclusions;
  return accountIds.includes(accountId) || ouPath.some((ou) => organizationalUnitIds.includes(ou));
}
