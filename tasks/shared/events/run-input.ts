import { z } from 'zod';
import { accountIdSchema, type ContactType } from '../rules/contacts.ts';
import type { JoinedAccountSearch, Refusal, Trigger } from '../rules/model.ts';
import { MalformedInputError } from '../rules/errors.ts';
import { EVENT_PARSERS } from './index.ts';
import { parseWith } from './envelope.ts';
import { shapeProblem } from '../rules/input-shape.ts';

/** An API call's CloudTrail facts that decide whether it starts a run at all. */
interface ApiCallFacts {
  /** The role (or user) that made the call: the enforcer's own writers start nothing. */
  readonly actor?: string;
  /** CloudTrail's errorCode: AWS refused the call, so nothing changed. */
  readonly callFailed?: string;
}

/**
 * What started a run, read from the state machine's input: an account or contact event, the schedule's event, a
 * deploy that changed the configuration, or an operator's console/CLI input.
 */
export type RunInput =
  | { readonly trigger: 'control-tower' | 'organizations'; readonly state: string; readonly accountId?: string }
  | { readonly trigger: 'account-joined'; readonly joinedMethod: string; readonly accountId: string }
  /** AccountJoinedOrganization without the account id at its assumed path: the accounts that joined around joinedTime. */
  | { readonly trigger: 'account-joined'; readonly joinedMethod: string; readonly accountId?: undefined; readonly joinedSearch: JoinedAccountSearch }
  | ({ readonly trigger: 'account-moved'; readonly accountId: string; readonly destinationParentId: string } & ApiCallFacts)
  | ({ readonly trigger: 'contact-changed'; readonly accountId: string; readonly contactType: ContactType; readonly eventTime: string } & ApiCallFacts)
  | { readonly trigger: 'schedule'; readonly firing: string }
  /** `firstDeploy`: the run a new stack's deploy starts, a dry run unless the configuration opts in. */
  | { readonly trigger: 'deploy'; readonly configHash: string; readonly firstDeploy: boolean }
  /** Organizations TagResource or UntagResource: `accountId` when the resource is an account, absent for a root, OU or policy. */
  | { readonly trigger: 'tag-change'; readonly eventId: string; readonly resourceId: string; readonly accountId?: string }
  | { readonly trigger: 'manual'; readonly accountIds?: readonly string[]; readonly dryRun: boolean };

const MAX_ACCOUNT_IDS = 1000;

const CONSOLE_INPUT_EXAMPLE = '{"accountIds": ["123456789012"], "dryRun": true}';

/** An operator's input: strict, so a misspelt key is an error rather than a whole-organization run. */
const consoleInput = z.strictObject(
  {
    accountIds: z
      .array(accountIdSchema, { error: 'must be a list of account ids' })
      .min(1, 'must list at least one account id')
      .max(MAX_ACCOUNT_IDS, `must list at most ${MAX_ACCOUNT_IDS} account ids`)
      .refine((ids) => new Set(ids).size === ids.length, 'must not list an account id twice')
      .optional(),
    dryRun: z.boolean({ error: 'must be true or false' }).optional(),
  },
  // Only for input that is no object at all: unknown keys keep their own message, which names the key.
  { error: (issue) => (issue.code === 'invalid_type' ? `must be an event or an object such as ${CONSOLE_INPUT_EXAMPLE}` : undefined) },
);

const SOURCES = [...new Set(EVENT_PARSERS.map((parser) => parser.source))];
const sourceSchema = z.object({ source: z.enum(SOURCES, { error: `must be one of ${SOURCES.join(', ')}` }) });

/** The parser for an event: by source, then (for sources with several events) by detail.eventName. */
function eventParserFor(event: object) {
  const { source } = parseWith(sourceSchema, event);
  const parsers = EVENT_PARSERS.filter((parser) => parser.source === source);
  const names = parsers.flatMap((parser) => parser.eventName ?? []);
  if (names.length === 0) return parsers[0]!;
  const eventNameSchema = z.object({
    detail: z.looseObject({ eventName: z.enum(names, { error: `must be ${names.join(' or ')}` }) }, { error: 'must be an object' }),
  });
  const { eventName } = parseWith(eventNameSchema, event).detail;
  return parsers.find((parser) => parser.eventName === eventName)!;
}

// Any envelope key makes the input an event: an event missing its source is told so, not read as console input.
const EVENT_MARKERS = ['source', 'detail-type', 'detail'];
const isEvent = (input: object) => EVENT_MARKERS.some((key) => Object.hasOwn(input, key));

/**
 * The run an input asks for, or MalformedInputError naming the field and the rule. Its shape is checked first
 * (nesting depth, prototype keys), so no input can overflow a parser's stack or slip a key past it.
 */
export function parseRunInput(input: unknown): RunInput {
  const problem = shapeProblem(input);
  if (problem) throw new MalformedInputError(problem);
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && isEvent(input)) return eventParserFor(input).parse(input);
  const { accountIds, dryRun = false } = parseWith(consoleInput, input);
  return { trigger: 'manual', dryRun, ...(accountIds && { accountIds }) };
}

// A refusal travels in the state, the report, SNS and the Fail state's Cause (32,768 characters at most): an input's
// own strings (an unknown key, an event id) are bounded before they ride along, and their control characters become
// spaces, so a line break in an event id cannot forge a line of the report's text.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionFailedEventDetails.html
const MAX_MESSAGE = 2_000;
const MAX_NAME = 200;
const capped = (text: string, max: number) => {
  const printable = text.replace(/\p{Cc}/gu, ' ');
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
};
const stringAt = (value: unknown, key: string): string | undefined => {
  const found = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof found === 'string' && found !== '' ? capped(found, MAX_NAME) : undefined;
};

/**
 * A refused input, described for the report: the message, and the envelope's names where they are strings (read
 * without trusting the input, which broke a rule). Its trigger is that of the event kind its source and
 * `detail.eventName` name; anything else, console input or an event no rule delivers, was started by hand: `manual`.
 */
export function refusalOf(input: unknown, message: string): { readonly trigger: Trigger; readonly refusal: Refusal } {
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  const [source, detailType, eventId] = (['source', 'detail-type', 'id'] as const).map((key) => (isObject ? stringAt(input, key) : undefined));
  const eventName = isObject ? stringAt((input as Record<string, unknown>)['detail'], 'eventName') : undefined;
  const parser = isObject && isEvent(input) ? EVENT_PARSERS.find((p) => p.source === source && (p.eventName === undefined || p.eventName === eventName)) : undefined;
  return {
    trigger: parser?.trigger ?? 'manual',
    refusal: { message: capped(message, MAX_MESSAGE), ...(source && { source }), ...(detailType && { detailType }), ...(eventId && { eventId }), ...(eventName && { eventName }) },
  };
}
