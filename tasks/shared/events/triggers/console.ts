import { z } from 'zod';
import { accountIdSchema } from '../../rules/contacts.ts';
import { parseWith } from '../envelope.ts';
import type { TriggerDefinition } from './trigger.ts';

const MAX_ACCOUNT_IDS = 1000;

const CONSOLE_INPUT_EXAMPLE = '{"accountIds": ["123456789012"], "dryRun": true}';

/** An operator's input: strict, so a misspelt key is an error rather than a whole-organization run. */
const consoleInputSchema = z.strictObject(
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

export interface ManualRun {
  readonly trigger: 'manual';
  readonly accountIds?: readonly string[];
  readonly dryRun: boolean;
}

/** An operator's run, from the Step Functions console or `npm start`: any input that is no event. */
export const consoleInput: TriggerDefinition<ManualRun> = {
  trigger: 'manual',
  parse(input) {
    const { accountIds, dryRun = false } = parseWith(consoleInputSchema, input);
    return { trigger: 'manual', dryRun, ...(accountIds && { accountIds }) };
  },
  // An operator's run is never mistaken for a duplicate.
  claimKey: (_run, { executionName }) => `execution:${executionName}`,
  samples: [],
};
