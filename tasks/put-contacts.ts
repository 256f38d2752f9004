import type { Context } from 'aws-lambda';
import { deleteContact, perType, putContact } from '#shared/aws/account-api';
import { describeError } from '#shared/rules/errors';
import { loadConfig } from '#shared/rules/config';
import { contactOf, contactSchema, describeIssues, type ContactType, type DesiredContacts } from '#shared/rules/contacts';
import { ENV, requiredEnv } from '#shared/aws/env';
import { ContactValidationError } from '#shared/rules/errors';
import { type CallTarget, type Comparison, isWrite, type WriteOutcome, type Writes } from '#shared/rules/model';
import { logger } from '#shared/aws/powertools';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));

interface PutContactsInput {
  readonly target: CallTarget;
  readonly desired: DesiredContacts;
  readonly actions: Comparison;
  readonly recentlyJoined: boolean;
}

/** AWS's own field rules, checked before the call: a contact AWS would reject fails here, with the field and rule. */
function validContact(desired: DesiredContacts, type: ContactType) {
  const parsed = contactSchema.safeParse(contactOf(desired[type]));
  if (!parsed.success) throw new ContactValidationError(describeIssues(parsed.error).join('; '));
  return parsed.data;
}

export const handler = async ({ target, desired, actions, recentlyJoined }: PutContactsInput, context: Context): Promise<Writes> => {
  logger.addContext(context);
  const types = Object.entries(actions)
    .filter(([, comparison]) => isWrite(comparison.action))
    .map(([type]) => type as ContactType);
  // The state machine never sends a dry run here; audit mode refuses anyway, so no path can write in audit mode.
  if (config.mode === 'audit') {
    logger.warn('Refused to write: the configured mode is audit', { types });
    return Object.fromEntries(types.map((type) => [type, { status: 'FAILED', error: 'refused: the configured mode is audit' }]));
  }
  return perType<WriteOutcome>(
    types,
    async (type) => {
      if (actions[type]?.action === 'DELETE') await deleteContact(target, type, recentlyJoined);
      else await putContact(target, type, validContact(desired, type), recentlyJoined);
      return { status: 'WRITTEN' };
    },
    (error) => ({ status: 'FAILED', error: describeError(error) }),
    () => context.getRemainingTimeInMillis(),
  );
};
