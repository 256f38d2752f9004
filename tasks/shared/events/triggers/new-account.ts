import { z } from 'zod';
import { accountIdSchema } from '../../rules/contacts.ts';
import { parseWith } from '../envelope.ts';

export const stateSchema = z.string({ error: 'must be a string' });

/** The run an account-created event asks for: its account once SUCCEEDED, nothing otherwise. */
export interface NewAccountRun<T extends 'control-tower' | 'organizations'> {
  readonly trigger: T;
  readonly state: string;
  readonly accountId?: string;
}

/** The run a new-account event asks for: its account once SUCCEEDED (validated at its place), nothing otherwise. */
export function newAccountRun<T extends 'control-tower' | 'organizations'>(trigger: T, state: string, accountId: unknown, path: readonly string[]): NewAccountRun<T> {
  if (state !== 'SUCCEEDED') return { trigger, state };
  return { trigger, state, accountId: parseWith(accountIdSchema, accountId, path) };
}

/** A creation that did not succeed leaves nothing to reconcile: the rules match only SUCCEEDED, but an event may be replayed by hand. */
export const unlessSucceeded = (run: NewAccountRun<'control-tower' | 'organizations'>) => (run.state === 'SUCCEEDED' ? undefined : `account creation ended ${run.state}`);
