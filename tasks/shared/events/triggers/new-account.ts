import { z } from 'zod';
import { accountIdSchema } from '../../rules/contacts.ts';
import { parseEvent, parseWith } from '../envelope.ts';
import { accountClaimKey } from './account-claim.ts';
import type { TriggerDefinition } from './trigger.ts';

export const stateSchema = z.string({ error: 'must be a string' });

type NewAccountTrigger = 'control-tower' | 'organizations';

/** The run an account-created event asks for: its account once SUCCEEDED, nothing otherwise. */
export interface NewAccountRun<T extends NewAccountTrigger> {
  readonly trigger: T;
  readonly state: string;
  readonly accountId?: string;
}

/** The run a new-account event asks for: its account once SUCCEEDED (validated at its place), nothing otherwise. */
function newAccountRun<T extends NewAccountTrigger>(trigger: T, state: string, accountId: unknown, path: readonly string[]): NewAccountRun<T> {
  if (state !== 'SUCCEEDED') return { trigger, state };
  return { trigger, state, accountId: parseWith(accountIdSchema, accountId, path) };
}

/** A creation that did not succeed leaves nothing to reconcile: the rules match only SUCCEEDED, but an event may be replayed by hand. */
const unlessSucceeded = (run: NewAccountRun<NewAccountTrigger>) => (run.state === 'SUCCEEDED' ? undefined : `account creation ended ${run.state}`);

/** Where an account-created event holds its creation's state and account id, and the account id's path, for messages. */
interface CreationStatus<S extends z.ZodType> {
  readonly schema: S;
  readonly statusOf: (event: z.infer<S>) => { readonly state: string; readonly accountId?: unknown };
  readonly accountIdPath: readonly string[];
}

/**
 * What the two account-created triggers share: one event name of their source, parsed into the account's run, the
 * account's claim, and no run unless the creation SUCCEEDED. Each trigger adds its switch, rule and samples.
 */
export function accountCreatedTrigger<T extends NewAccountTrigger, S extends z.ZodType>(trigger: T, source: string, eventName: string, status: CreationStatus<S>) {
  return {
    trigger,
    source,
    eventNames: [eventName],
    parse(input: unknown): NewAccountRun<T> {
      const { state, accountId } = status.statusOf(parseEvent(status.schema, input));
      return newAccountRun(trigger, state, accountId, status.accountIdPath);
    },
    claimKey: (run: NewAccountRun<T>, context) => accountClaimKey(run.accountId, context),
    skipReason: unlessSucceeded,
  } satisfies Omit<TriggerDefinition<NewAccountRun<T>>, 'samples'>;
}
