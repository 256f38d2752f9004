import { readFileSync } from 'node:fs';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { z } from 'zod';
import {
  accountIdSchema,
  type Contact,
  CONTACT_TYPES,
  contactFields,
  type ContactType,
  describeIssues,
  type DesiredContact,
  type DesiredContacts,
  type DesiredSource,
  type DesiredSources,
  ouIdSchema,
  POLICIES,
} from './contacts.ts';
import { ConfigError } from './errors.ts';
import { type GuardedConfig, guardrailSchema, lockedTypes, SCP_MAX_CHARACTERS, worstCaseGuardrailSize } from './guardrail.ts';
import { MAX_NESTING_DEPTH, pathText, shapeProblem } from './input-shape.ts';
import { type ContactLayer, conflictLine, FIELD_NAMES, type FieldName, layerConflicts, resolvedPolicy } from './layer-conflicts.ts';
import { scheduleProblem } from './schedule.ts';

const policySchema = z.enum(POLICIES, { error: `must be one of ${POLICIES.join(', ')}` });

// Organizations' tag rules: a key of 1-128 characters, a value of 0-256.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Tag.html
const tagKeySchema = z.string({ error: 'must be a string' }).min(1, 'must be a tag key of 1-128 characters').max(128, 'must be a tag key of 1-128 characters');
/** `key=value`, split at the first `=`: the key itself may not hold one. */
const TAG_PAIR = /^([^=]{1,128})=(.{0,256})$/s;
const tagPairSchema = z.string({ error: 'must be a string' }).regex(TAG_PAIR, 'must be key=value: a tag key of 1-128 characters without =, then its value');
export const splitTagPair = (pair: string): [string, string] => {
  const [, key = '', value = ''] = TAG_PAIR.exec(pair) ?? [];
  return [key, value];
};

/** A field's value from an account tag: `email: { tag: alternate-contacts:operations-email }`. */
const tagReferenceSchema = z.strictObject({ tag: tagKeySchema });
export type TagReference = z.infer<typeof tagReferenceSchema>;
const fieldOrTag = <T extends z.ZodType<string>>(field: T) =>
  z.union([field, tagReferenceSchema], { error: 'must be a string, or { tag: <account tag key> } to take the value from an account tag' }).optional();
const optionalFields = {
  name: fieldOrTag(contactFields.name),
  title: fieldOrTag(contactFields.title),
  email: fieldOrTag(contactFields.email),
  phone: fieldOrTag(contactFields.phone),
};

/** A deleted contact has no fields: a field given with `delete` would be silently dropped, so it is refused. */
function refuseFieldsWithDelete(contact: Partial<Record<FieldName, unknown>> & { policy?: string }, ctx: z.RefinementCtx): void {
  if (contact.policy !== 'delete') return;
  for (const field of FIELD_NAMES) {
    if (contact[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'must not be given with policy delete: a deleted contact has no fields' });
  }
}

/** The default per type: all four fields, except under `delete`, which takes none. */
const managedContactSchema = z.strictObject({ ...optionalFields, policy: policySchema.default('enforce') }).superRefine((contact, ctx) => {
  refuseFieldsWithDelete(contact, ctx);
  if (contact.policy === 'delete') return;
  for (const field of FIELD_NAMES) {
    if (contact[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `must be a string: policy ${contact.policy} needs name, title, email and phone` });
  }
});
const contactOverrideSchema = z.strictObject({ ...optionalFields, policy: policySchema.optional() }).superRefine(refuseFieldsWithDelete);

const perType = <T extends z.ZodType>(schema: T) =>
  z.strictObject(Object.fromEntries(CONTACT_TYPES.map((type) => [type, schema.optional()])) as Record<ContactType, z.ZodOptional<T>>);

const overrideSchema = perType(contactOverrideSchema);

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
  /** Control Tower emits CreateManagedAccount in its home Region; a forwarding rule is deployed there when it differs. */
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
        /** AccountJoinedOrganization: an invited (or created) account joined. */
        accountJoined: z.boolean({ error: 'must be true or false' }).default(true),
        /** MoveAccount: an account changed OU. */
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
    for (const problem of loadTimeConflicts(config)) ctx.addIssue({ code: 'custom', ...problem });
    for (const problem of tagOverrideClashes(config.overrides.tags ?? {})) ctx.addIssue({ code: 'custom', ...problem });
    if (config.triggers.firstDeploy === 'enforce' && !config.triggers.deploy) {
      ctx.addIssue({ code: 'custom', path: ['triggers', 'firstDeploy'], message: 'enforce applies only with triggers.deploy: true, which starts the run it governs' });
    }
    if (config.triggers.firstDeploy === 'enforce' && config.mode === 'audit') {
      ctx.addIssue({ code: 'custom', path: ['triggers', 'firstDeploy'], message: 'enforce cannot write in mode: audit, where every run is a dry run; set mode: enforce, or leave firstDeploy out' });
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
    for (const problem of guardrailProblems(config)) ctx.addIssue({ code: 'custom', ...problem });
  });

/**
 * The guardrail locks only managed types (an unmanaged one is nobody's to lock), and its document fits the SCP size
 * limit with the longest writer role ARNs there can be.
 */
function guardrailProblems(config: GuardedConfig): { path: (string | number)[]; message: string }[] {
  const { guardrail } = config;
  if (!guardrail) return [];
  const problems = (guardrail.types ?? []).flatMap((type, index) =>
    config.contacts[type] ? [] : [{ path: ['guardrail', 'types', index], message: `${type} is not managed: add contacts.${type} first, or leave it out` }],
  );
  const size = worstCaseGuardrailSize(lockedTypes(config), guardrail.exemptPrincipalArns);
  if (size > SCP_MAX_CHARACTERS) {
    problems.push({ path: ['guardrail', 'exemptPrincipalArns'], message: `make the policy ${size} characters, over the SCP limit of ${SCP_MAX_CHARACTERS}; exempt fewer principals, or use one wildcard pattern for several` });
  }
  return problems;
}

type ContactOverride = z.infer<typeof contactOverrideSchema>;
type Overrides = Record<string, z.infer<typeof overrideSchema>>;
interface LayeredConfig {
  readonly contacts: Partial<Record<ContactType, ContactLayer['entry']>>;
  readonly overrides: { readonly organizationalUnits: Overrides; readonly tags?: Overrides; readonly accounts: Overrides };
}

/**
 * The layer conflicts the file alone decides: each override over the default (its accounts may sit where no other
 * layer applies: an OU's next account, an account moved to the root), and each two tag overrides of different keys
 * over the default, in both orders (one account may carry both tags). An OU below another OU, and an account below
 * an OU or carrying a tag, are the organization's to decide: the run and preflight ask the same rule then.
 */
function loadTimeConflicts(config: LayeredConfig): { path: string[]; message: string }[] {
  const problems = new Map<string, { path: string[]; message: string }>();
  const add = (path: readonly string[], message: string) => problems.set(conflictLine({ path, message }), { path: [...path], message });
  const layerOf = (kind: string, id: string, type: ContactType, entry: ContactOverride): ContactLayer => ({ path: ['overrides', kind, id, type], entry });
  for (const kind of ['organizationalUnits', 'tags', 'accounts'] as const) {
    for (const [id, override] of Object.entries(config.overrides[kind] ?? {})) {
      for (const [type, entry] of Object.entries(override) as [ContactType, ContactOverride][]) {
        const base = config.contacts[type];
        if (!base) add(['overrides', kind, id, type], `overrides a type that contacts does not manage; add contacts.${type} first`);
        else for (const conflict of layerConflicts([{ path: ['contacts', type], entry: base }, layerOf(kind, id, type, entry)])) add(conflict.path, conflict.message);
      }
    }
  }
  const tags = Object.entries(config.overrides.tags ?? {});
  for (const [pair, override] of tags) {
    for (const [other, otherOverride] of tags) {
      if (splitTagPair(pair)[0] === splitTagPair(other)[0]) continue;
      for (const type of CONTACT_TYPES) {
        const base = config.contacts[type];
        const [lower, upper] = [override[type], otherOverride[type]];
        if (!base || !lower || !upper) continue;
        const layers = [{ path: ['contacts', type], entry: base }, layerOf('tags', pair, type, lower), layerOf('tags', other, type, upper)];
        for (const conflict of layerConflicts(layers)) {
          if (!problems.has(conflictLine(conflict))) add(conflict.path, `${conflict.message}; an account may carry both ${pair} and ${other}`);
        }
      }
    }
  }
  return [...problems.values()];
}

/**
 * Two tag overrides with different keys may both apply to one account; when they set the same field (or policy) of
 * the same type, the result would depend on their order, so the configuration is refused. Two values of one key
 * never meet on one account (a key holds one value), so they may set the same fields.
 */
function tagOverrideClashes(overrides: Record<string, z.infer<typeof overrideSchema>>): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const pairs = Object.keys(overrides);
  pairs.forEach((pair, index) => {
    for (const earlier of pairs.slice(0, index)) {
      if (splitTagPair(earlier)[0] === splitTagPair(pair)[0]) continue;
      for (const type of CONTACT_TYPES) {
        const clash = [...FIELD_NAMES, 'policy' as const].find((field) => overrides[pair]?.[type]?.[field] !== undefined && overrides[earlier]?.[type]?.[field] !== undefined);
        if (clash) {
          problems.push({
            path: ['overrides', 'tags', pair, type, clash],
            message: `is also set by ${pathText(['overrides', 'tags', earlier, type, clash])}; an account with both tags would get one by chance, so set it in one tag override only`,
          });
        }
      }
    }
  });
  return problems;
}

export type EnforcerConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Validates a parsed configuration; throws one ConfigError listing every problem with its path and rule. */
export function parseConfig(raw: unknown, source = '(inline)'): EnforcerConfig {
  return validated(raw, source, []);
}

/** The shape first (depth, prototype keys: zod would drop such a key without a word), then the schema. */
function validated(raw: unknown, source: string, problems: readonly string[]): EnforcerConfig {
  const shape = shapeProblem(raw);
  if (shape) throw new ConfigError([...problems, shape], source);
  const result = configSchema.safeParse(raw);
  if (!result.success || problems.length > 0) throw new ConfigError([...problems, ...(result.error ? describeIssues(result.error) : [])], source);
  return result.data;
}

/** The file's text; bytes that are not UTF-8 would become U+FFFD in a contact's name, so the file is refused, naming the line. */
function decodeUtf8(bytes: Buffer, source: string): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      try {
        decoder.decode(bytes.subarray(start, end < 0 ? bytes.length : end));
      } catch {
        throw new ConfigError([`(file): line ${line} is not valid UTF-8; save the file as UTF-8`], source);
      }
      if (end < 0) throw new ConfigError(['(file): is not valid UTF-8; save the file as UTF-8'], source);
      start = end + 1;
    }
  }
}

/**
 * An unquoted account id is a YAML number: `012345678901` loses its leading zero and `111111111111` is no string.
 * Each such scalar (a key or a value) gets its written text back, so later messages name what the user wrote,
 * and a problem telling the user to quote it. Walked with its own stack: the YAML may nest deeper than is allowed.
 */
function unquotedIds(document: Document, lines: LineCounter): string[] {
  const problems: string[] = [];
  const pending: { node: unknown; path: readonly string[] }[] = [{ node: document.contents, path: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, path } = next;
    if (path.length > MAX_NESTING_DEPTH) continue;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? pair.key : undefined;
        // A key and its value describe the same path.
        const at = [...path, String(key?.source ?? key?.value ?? '?')];
        if (key) pending.push({ node: key, path: at });
        pending.push({ node: pair.value, path: at });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => pending.push({ node: item, path: [...path, String(index)] }));
    } else if (isScalar(node) && typeof node.value === 'number' && node.source !== undefined && /^(0\d+|\d{12})$/.test(node.source)) {
      const line = node.range ? ` (line ${lines.linePos(node.range[0]).line})` : '';
      problems.push(`${pathText(path)}: must be a string: YAML reads the unquoted ${node.source}${line} as a number; quote the account id: "${node.source}"`);
      node.value = node.source;
    }
  }
  return problems;
}

/** One line per YAML syntax error. The parser recurses, and YAML nested past its stack says so as a plain problem. */
function yamlProblem(error: YAMLError): string {
  const line = error.linePos ? `line ${error.linePos[0].line}: ` : '';
  if (/call stack/i.test(error.message)) return `(file): ${line}${NESTED_TOO_DEEP}`;
  return `(file): ${error.message.split('\n')[0]}`;
}

const NESTED_TOO_DEEP = `nests far deeper than ${MAX_NESTING_DEPTH} levels, the most allowed`;

// The yaml library stops expanding aliases past this count and throws: an alias bomb (anchors of anchors, nine
// wide and nine deep) would otherwise grow a small file into millions of values. https://eemeli.org/yaml/#tojs-options
const MAX_ALIAS_COUNT = 100;

/** The line of the first alias (`*name`): where expanding starts, when the library's own error names no line. */
function firstAliasLine(document: Document, lines: LineCounter): string {
  let line = '';
  visit(document, {
    Alias(_, alias) {
      if (alias.range) line = `line ${lines.linePos(alias.range[0]).line}: `;
      return visit.BREAK;
    },
  });
  return line;
}

/** The document as plain values; what the library throws while building them becomes a problem with the rule. */
function plainValues(document: Document, lines: LineCounter, source: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      throw new ConfigError([`(file): ${firstAliasLine(document, lines)}its aliases expand past ${MAX_ALIAS_COUNT} aliased values, the most allowed (a guard against alias bombs); write the values out`], source);
    }
    throw error;
  }
}

/**
 * Reads a YAML or JSON configuration file and validates it. Whatever goes wrong on the way (the file system, the
 * decoder, the yaml library, a stack) is a ConfigError naming the file and the rule, never a library's own error.
 */
export function loadConfig(path: string): EnforcerConfig {
  try {
    return readConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    throw new ConfigError([`(file): ${/call stack/i.test(message) ? NESTED_TOO_DEEP : `cannot be read as a configuration (${message})`}`], path);
  }
}

function readConfig(path: string): EnforcerConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ConfigError([`(file): cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`], path);
  }
  const lines = new LineCounter();
  const document = parseDocument(decodeUtf8(bytes, path), { lineCounter: lines, prettyErrors: true });
  if (document.errors.length > 0) throw new ConfigError(document.errors.map(yamlProblem), path);
  const quoteProblems = unquotedIds(document, lines);
  return validated(plainValues(document, lines, path), path, quoteProblems);
}

/** An account's tags, key to value, from Organizations ListTagsForResource. */
export type AccountTags = Readonly<Record<string, string>>;

const hasTag = (tags: AccountTags, pair: string) => {
  const [key, value] = splitTagPair(pair);
  return tags[key] === value;
};

/** Every override layer of the configuration; `tags` may be absent in a configuration built by hand. */
const allOverrides = (config: EnforcerConfig) => [
  ...Object.values(config.overrides.organizationalUnits),
  ...Object.values(config.overrides.tags ?? {}),
  ...Object.values(config.overrides.accounts),
];

/** What one field resolved to: a value, or why it has none. */
type FieldOutcome = { readonly value: string } | { readonly problem: string };

type Override = EnforcerConfig['overrides']['accounts'][string];

/** The override layers that apply to one account, lowest first: each OU from the root down, its matching tags, the account. */
function overrideLayers(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags): { source: DesiredSource; path: string[]; override: Override | undefined }[] {
  return [
    ...ouPath.map((id) => ({ source: { layer: 'ou', id } as const, path: ['overrides', 'organizationalUnits', id], override: config.overrides.organizationalUnits[id] })),
    ...Object.entries(config.overrides.tags ?? {})
      .filter(([pair]) => hasTag(tags, pair))
      .map(([tag, override]) => ({ source: { layer: 'tag', tag } as const, path: ['overrides', 'tags', tag], override })),
    { source: { layer: 'account' } as const, path: ['overrides', 'accounts', accountId], override: config.overrides.accounts[accountId] },
  ];
}

/** One layer's entry for one type: the default's, or an override's. */
type TypeEntry = NonNullable<EnforcerConfig['contacts'][ContactType] | Override[ContactType]>;

/** The entries of one type that apply to one account, lowest first, each with its path: the default, then its overrides. */
function typeLayers(config: EnforcerConfig, type: ContactType, overrides: ReturnType<typeof overrideLayers>): { path: string[]; entry: TypeEntry }[] {
  const base = config.contacts[type];
  if (!base) return [];
  return [
    { path: ['contacts', type], entry: base },
    ...overrides.flatMap(({ path, override }) => (override?.[type] ? [{ path: [...path, type], entry: override[type] }] : [])),
  ];
}

/**
 * Where the layers that apply to one account contradict each other, per type, one `path: rule` line each. The file
 * alone cannot see an account's OU path or tags; the run and preflight can, and ask this.
 */
export function accountConflicts(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): Partial<Record<ContactType, string[]>> {
  const overrides = overrideLayers(config, accountId, ouPath, tags);
  const conflicts: Partial<Record<ContactType, string[]>> = {};
  for (const type of CONTACT_TYPES) {
    const lines = layerConflicts(typeLayers(config, type, overrides)).map(conflictLine);
    if (lines.length > 0) conflicts[type] = lines;
  }
  return conflicts;
}

/**
 * The contacts one account should have, layer over layer: defaults, each OU override from the root down (the nearest
 * OU wins), the tag overrides matching the account's tags, then the account override. A field may name an account
 * tag: a missing tag leaves the layer below in force; a value AWS would refuse fails that type, naming the tag.
 * Layers that contradict each other (accountConflicts) fail the type with every path involved, and nothing is done
 * for it. Types whose resolved policy is `ignore` are left out, so they are never read.
 */
export function resolveDesired(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): DesiredContacts {
  const overrides = overrideLayers(config, accountId, ouPath, tags);
  const desired: DesiredContacts = {};
  for (const type of CONTACT_TYPES) {
    const layers = typeLayers(config, type, overrides);
    if (layers.length === 0) continue;
    const policy = resolvedPolicy(layers);
    const conflicts = layerConflicts(layers);
    if (conflicts.length > 0) {
      desired[type] = { policy, problem: `the configuration's layers contradict each other: ${conflicts.map(conflictLine).join('; ')}` };
      continue;
    }
    if (policy === 'ignore') continue;
    const fields: Partial<Record<FieldName, FieldOutcome>> = {};
    for (const { entry } of layers) {
      for (const field of FIELD_NAMES) {
        const outcome = fieldOutcome(type, field, entry[field], tags);
        if (outcome) fields[field] = outcome;
      }
    }
    desired[type] = policy === 'delete' ? { policy } : wholeContact(policy, type, fields);
  }
  return desired;
}

/**
 * For each managed type, the layer resolveDesired took it from last: the account override, else the last matching tag
 * override, else the nearest OU that overrides the type, else the default. Ignored types are included, so a report can
 * say who decided to ignore them.
 */
export function resolveSources(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): DesiredSources {
  const layers = overrideLayers(config, accountId, ouPath, tags);
  const sources: DesiredSources = {};
  for (const type of CONTACT_TYPES) {
    if (!config.contacts[type]) continue;
    const setter = layers.findLast(({ override }) => Object.keys(override?.[type] ?? {}).length > 0);
    sources[type] = setter?.source ?? { layer: 'default' };
  }
  return sources;
}

/** A layer's value for one field; undefined when the layer leaves it to the layers below (no value, or a missing tag). */
function fieldOutcome(type: ContactType, field: FieldName, value: string | TagReference | undefined, tags: AccountTags): FieldOutcome | undefined {
  if (value === undefined || typeof value === 'string') return value === undefined ? undefined : { value };
  const tagged = tags[value.tag];
  if (tagged === undefined) return undefined;
  const parsed = contactFields[field].safeParse(tagged);
  // The reason names the tag and the rule, never the value: a contact's values stay out of logs and reports.
  if (!parsed.success) return { problem: `${type} ${field} from tag ${value.tag}: ${parsed.error.issues[0]?.message ?? 'is not valid'}` };
  return { value: parsed.data };
}

/**
 * The contact from its resolved fields, or the problem that fails the type. The load-time rules (overrideProblem)
 * give every field a layer; only a field that names a tag the account does not carry, with nothing below it, has none.
 */
function wholeContact(policy: 'enforce' | 'fill-missing', type: ContactType, fields: Partial<Record<FieldName, FieldOutcome>>): DesiredContact {
  const problems = FIELD_NAMES.flatMap((field) => {
    const outcome = fields[field];
    if (!outcome) return [`${type} ${field}: no value: its tag is not on the account and no layer below sets it`];
    return 'problem' in outcome ? [outcome.problem] : [];
  });
  if (problems.length > 0) return { policy, problem: problems.join('; ') };
  const value = (field: FieldName) => (fields[field] as { value: string }).value;
  return { policy, contact: { name: value('name'), title: value('title'), email: value('email'), phone: value('phone') } };
}

/** The types some account may resolve to `delete`: the default or any override says so. Only these may be deleted (IAM). */
export function deletableTypes(config: EnforcerConfig): ContactType[] {
  return CONTACT_TYPES.filter(
    (type) => config.contacts[type] && (config.contacts[type].policy === 'delete' || allOverrides(config).some((override) => override[type]?.policy === 'delete')),
  );
}

/** True when the configuration needs the accounts' tags: a tag exclusion, a tag override, or a field from a tag. */
export function usesTags(config: EnforcerConfig): boolean {
  const layers = [...Object.values(config.contacts), ...allOverrides(config).flatMap((override) => Object.values(override))];
  return (
    (config.exclusions.tags ?? []).length > 0 ||
    Object.keys(config.overrides.tags ?? {}).length > 0 ||
    layers.some((layer) => FIELD_NAMES.some((field) => typeof layer?.[field] === 'object'))
  );
}

/** True when the account, any OU above it, or one of its tags is excluded: such an account is never called at all. */
export function isExcluded(config: EnforcerConfig, accountId: string, ouPath: readonly string[], tags: AccountTags = {}): boolean {
  const { accountIds, organizationalUnitIds, tags: excludedTags = [] } = config.exclusions;
  return accountIds.includes(accountId) || ouPath.some((ou) => organizationalUnitIds.includes(ou)) || excludedTags.some((pair) => hasTag(tags, pair));
}
