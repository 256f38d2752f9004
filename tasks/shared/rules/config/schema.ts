import { z } from 'zod';
import { accountIdSchema, ouIdSchema } from '../contacts.ts';
import { guardrailSchema } from '../guardrail.ts';
import { scheduleProblem } from '../schedule.ts';
import { managedContactSchema, overrideSchema, perType } from './contact-schema.ts';
import { crossFieldProblems } from './cross-checks.ts';
import { tagPairSchema } from './tags.ts';

const scheduleSchema = z.string({ error: 'must be a string' }).superRefine((expression, ctx) => {
  const problem = scheduleProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** SNS subscribes an address once per topic, and CDK refuses the second subscription: a repeat is an error here. */
const emailsSchema = z.array(z.email({ error: 'must be an e-mail address' })).superRefine((emails, ctx) => {
  const first = new Map<string, number>();
  emails.forEach((email, index) => {
    const earlier = first.get(email.toLowerCase());
    if (earlier === undefined) first.set(email.toLowerCase(), index);
    else ctx.addIssue({ code: 'custom', path: [index], message: `repeats notifications.emails.${earlier} (${emails[earlier]}); list each address once` });
  });
});

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
  /** Control Tower emits its account-created event in its home Region; a forwarding rule is deployed there when it differs. */
  controlTowerHomeRegion: regionSchema
    // EventBridge forwards events between Regions of one partition only, and the enforcer lives in us-east-1 (aws).
    .refine((r) => !/^(cn|[a-z]{2}-gov)-/.test(r), 'must be a Region of the aws partition, as us-east-1 is')
    .default('us-east-1'),
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
        /** Keyed `key=value`: applies to every account with that tag. Above the OUs, below the account. */
        tags: z.record(tagPairSchema, overrideSchema).optional(),
        accounts: z.record(accountIdSchema, overrideSchema).default({}),
      })
      .default({ organizationalUnits: {}, accounts: {} }),
    exclusions: z
      .strictObject({
        accountIds: z.array(accountIdSchema).default([]),
        organizationalUnitIds: z.array(ouIdSchema).default([]),
        /** `key=value`: an account with that tag is never read and never written. */
        tags: z.array(tagPairSchema).optional(),
      })
      .default({ accountIds: [], organizationalUnitIds: [] }),
    triggers: z
      .strictObject({
        schedule: scheduleSchema.default('cron(0 3 * * ? *)'),
        controlTower: z.boolean({ error: 'must be true or false' }).default(true),
        organizations: z.boolean({ error: 'must be true or false' }).default(true),
        /** An invited (or created) account joined the organization (tasks/shared/events/triggers/account-joined.ts). */
        accountJoined: z.boolean({ error: 'must be true or false' }).default(true),
        /** An account changed OU (tasks/shared/events/triggers/account-moved.ts). */
        accountMoved: z.boolean({ error: 'must be true or false' }).default(true),
        /** PutAlternateContact and DeleteAlternateContact by anyone but the enforcer, with the member-account StackSet. */
        contactChanged: z.boolean({ error: 'must be true or false' }).default(true),
        /** The OUs whose member accounts forward their hand edits (the StackSet's targets); absent: every member account. */
        contactChangedOrganizationalUnitIds: z.array(ouIdSchema).min(1, 'must list at least one OU id, or be left out for every member account').optional(),
        /** One whole-organization run when a deploy changes the configuration. */
        deploy: z.boolean({ error: 'must be true or false' }).default(true),
        /**
         * The run a new stack's deploy starts: `audit` reports what would change and writes nothing; `enforce` writes,
         * before anyone has read a report of the organization, so it is the operator's explicit choice.
         */
        firstDeploy: z.enum(['audit', 'enforce'], { error: 'must be audit or enforce' }).default('audit'),
      })
      .default({ schedule: 'cron(0 3 * * ? *)', controlTower: true, organizations: true, accountJoined: true, accountMoved: true, contactChanged: true, deploy: true, firstDeploy: 'audit' }),
    /** Accounts reconciled at once; derived from the Account API quota when absent (see maxConcurrencyFor). */
    maxConcurrency: z.int({ error: 'must be a whole number' }).min(1, 'must be 1-40').max(40, 'must be 1-40').optional(),
    notifications: z
      .strictObject({
        emails: emailsSchema.default([]),
        slackWebhookSecretName: z
          .string({ error: 'must be a string' })
          .regex(/^[\w/+=.@-]{1,512}$/, 'must be a Secrets Manager secret name')
          .optional(),
        /** The customer managed KMS key that encrypts an existing Slack secret; the report function gets kms:Decrypt on it. */
        slackWebhookSecretKmsKeyArn: z
          .string({ error: 'must be a string' })
          .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'must be a KMS key ARN like arn:aws:kms:us-east-1:111111111111:key/1234abcd-...')
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
    /** Opt-in: a service control policy that locks the managed contacts (tasks/shared/rules/guardrail.ts). */
    guardrail: guardrailSchema.optional(),
  })
  .superRefine((config, ctx) => {
    for (const problem of crossFieldProblems(config)) ctx.addIssue({ code: 'custom', ...problem });
  });

export type EnforcerConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
