import { z } from 'zod';
import { accountIdSchema } from '../rules/contacts.ts';
import type { RunInput } from './run-input.ts';
import { eventObject, eventSchema, parseWith } from './envelope.ts';

// Both new-account events arrive as CloudTrail service events, Control Tower's included.
// https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
export const CLOUDTRAIL_SERVICE_EVENT = 'AWS Service Event via CloudTrail';

export const stateSchema = z.string({ error: 'must be a string' });

/** A CloudTrail service event of one source and event name, its serviceEventDetails shaped by the caller. */
export const serviceEvent = <S extends z.ZodRawShape>(source: string, eventName: string, serviceEventDetails: S) =>
  eventSchema({
    source,
    detailType: CLOUDTRAIL_SERVICE_EVENT,
    detail: eventObject({
      eventName: z.literal(eventName, { error: `must be ${eventName}` }),
      serviceEventDetails: eventObject(serviceEventDetails),
    }),
  });

/** The run a new-account event asks for: its account once SUCCEEDED (validated at its place), nothing otherwise. */
export function newAccountRun(trigger: 'control-tower' | 'organizations', state: string, accountId: unknown, path: readonly string[]): RunInput {
  if (state !== 'SUCCEEDED') return { trigger, state };
  return { trigger, state, accountId: parseWith(accountIdSchema, accountId, path) };
}
