import { z } from 'zod';
import type { Refusal, Trigger } from '../rules/model.ts';
import { MalformedInputError } from '../rules/errors.ts';
import { shapeProblem } from '../rules/input-shape.ts';
import { parseWith } from './envelope.ts';
import { CONSOLE_TRIGGER, EVENT_TRIGGERS, type RunInput } from './triggers/index.ts';

export type { RunInput } from './triggers/index.ts';

const SOURCES = [...new Set(EVENT_TRIGGERS.map((trigger) => trigger.source!))];
const sourceSchema = z.object({ source: z.enum(SOURCES, { error: `must be one of ${SOURCES.join(', ')}` }) });

/** The event trigger of a source and, for sources with several events, a detail.eventName; undefined for any other. */
const triggerOf = (source: string | undefined, eventName: string | undefined) =>
  EVENT_TRIGGERS.find((trigger) => trigger.source === source && (trigger.eventNames === undefined || (eventName !== undefined && trigger.eventNames.includes(eventName))));

/** The trigger of an event: by source, then (for sources with several events) by detail.eventName. */
function eventTriggerFor(event: object) {
  const { source } = parseWith(sourceSchema, event);
  const names = EVENT_TRIGGERS.filter((trigger) => trigger.source === source).flatMap((trigger) => trigger.eventNames ?? []);
  if (names.length === 0) return triggerOf(source, undefined)!;
  const eventNameSchema = z.object({
    detail: z.looseObject({ eventName: z.enum(names, { error: `must be ${names.join(' or ')}` }) }, { error: 'must be an object' }),
  });
  return triggerOf(source, parseWith(eventNameSchema, event).detail.eventName)!;
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
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && isEvent(input)) return eventTriggerFor(input).parse(input);
  return CONSOLE_TRIGGER.parse(input);
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
  const known = isObject && isEvent(input) ? triggerOf(source, eventName) : undefined;
  return {
    trigger: known?.trigger ?? 'manual',
    refusal: { message: capped(message, MAX_MESSAGE), ...(source && { source }), ...(detailType && { detailType }), ...(eventId && { eventId }), ...(eventName && { eventName }) },
  };
}
