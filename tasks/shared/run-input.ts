import { z } from 'zod';
import { accountIdSchema, describeIssues } from './contacts.ts';
import { MalformedInputError } from './errors.ts';

/**
 * What started a run, read from the state machine's input: a new-account event, the schedule's event, or an
 * operator's console/CLI input. Events may carry any other field; only the fields used here are validated.
 */
export type RunInput =
  | { readonly trigger: 'control-tower' | 'organizations'; readonly state: string; readonly accountId?: string }
  | { readonly trigger: 'schedule'; readonly firing: string }
  | { readonly trigger: 'manual'; readonly accountIds?: readonly string[]; readonly dryRun: boolean };

const MAX_ACCOUNT_IDS = 1000;

/** Parses with zod, or throws MalformedInputError naming each field (from the input's root) and its rule. */
function parse<T extends z.ZodType>(schema: T, value: unknown, path: readonly string[] = []): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new MalformedInputError(describeIssues(result.error, path).join('; '));
  return result.data;
}

// Both new-account events arrive as CloudTrail service events, Control Tower's included.
// https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
const cloudTrailEvent = z.literal('AWS Service Event via CloudTrail', { error: 'must be AWS Service Event via CloudTrail' });
const stateSchema = z.string({ error: 'must be a string' });
/** An event's object: other keys are welcome, since only the fields used are validated. */
const eventObject = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape, { error: 'must be an object' });

/** A new-account event, its account id left unread: a FAILED event may carry none. */
const newAccountEvent = <D extends z.ZodRawShape>(eventName: string, serviceEventDetails: D) =>
  eventObject({
    'detail-type': cloudTrailEvent,
    detail: eventObject({
      eventName: z.literal(eventName, { error: `must be ${eventName}` }),
      serviceEventDetails: eventObject(serviceEventDetails),
    }),
  });

const controlTowerEvent = newAccountEvent('CreateManagedAccount', {
  createManagedAccountStatus: eventObject({ state: stateSchema, account: eventObject({ accountId: z.unknown().optional() }).optional() }),
});
const organizationsEvent = newAccountEvent('CreateAccountResult', {
  createAccountStatus: eventObject({ state: stateSchema, accountId: z.unknown().optional() }),
});

const scheduledEvent = eventObject({
  'detail-type': z.literal('Scheduled Event', { error: 'must be Scheduled Event' }),
  time: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
  resources: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of ARNs' }).optional(),
});

/** One firing of one schedule: its ARN and its scheduled time, the same on every delivery and retry of that firing. */
function firingOf(event: z.infer<typeof scheduledEvent>): string {
  return `${event.resources?.[0] ?? 'schedule'}@${event.time}`;
}

const manualInput = z.strictObject(
  {
    accountIds: z
      .array(accountIdSchema, { error: 'must be a list of account ids' })
      .min(1, 'must list at least one account id')
      .max(MAX_ACCOUNT_IDS, `must list at most ${MAX_ACCOUNT_IDS} account ids`)
      .refine((ids) => new Set(ids).size === ids.length, 'must not list an account id twice')
      .optional(),
    dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  },
  // Only for input that is no object at all: unknown keys keep zod's own message, which names the key.
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an event or an object such as {"accountIds": ["123456789012"], "dryRun": true}' : undefined) },
);

/** The account id of a SUCCEEDED new-account event, validated at its place in the event. */
function newAccount(trigger: 'control-tower' | 'organizations', state: string, accountId: unknown, path: readonly string[]): RunInput {
  if (state !== 'SUCCEEDED') return { trigger, state };
  return { trigger, state, accountId: parse(accountIdSchema, accountId, path) };
}

const SOURCES = ['aws.controltower', 'aws.organizations', 'aws.scheduler'] as const;

export function parseRunInput(input: unknown): RunInput {
  const isEvent = typeof input === 'object' && input !== null && 'source' in input;
  if (!isEvent) {
    const { accountIds, dryRun = false } = parse(manualInput, input);
    return { trigger: 'manual', dryRun, ...(accountIds && { accountIds }) };
  }
  const { source } = parse(z.object({ source: z.enum(SOURCES, { error: `must be one of ${SOURCES.join(', ')}` }) }), input);
  switch (source) {
    case 'aws.controltower': {
      const status = parse(controlTowerEvent, input).detail.serviceEventDetails.createManagedAccountStatus;
      const path = ['detail', 'serviceEventDetails', 'createManagedAccountStatus', 'account', 'accountId'];
      return newAccount('control-tower', status.state, status.account?.accountId, path);
    }
    case 'aws.organizations': {
      const status = parse(organizationsEvent, input).detail.serviceEventDetails.createAccountStatus;
      const path = ['detail', 'serviceEventDetails', 'createAccountStatus', 'accountId'];
      return newAccount('organizations', status.state, status.accountId, path);
    }
    case 'aws.scheduler':
      return { trigger: 'schedule', firing: firingOf(parse(scheduledEvent, input)) };
  }
}
