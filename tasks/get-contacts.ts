import type { Context } from 'aws-lambda';
import { getContact, perType } from '#shared/aws/account-api';
import { describeError } from '#shared/rules/errors';
import type { ContactType, DesiredContact, DesiredContacts } from '#shared/rules/contacts';
import type { CallTarget, CurrentContacts } from '#shared/rules/model';
import { logger } from '#shared/aws/powertools';

interface GetContactsInput {
  readonly target: CallTarget;
  readonly desired: DesiredContacts;
  readonly recentlyJoined: boolean;
}

export const handler = async ({ target, desired, recentlyJoined }: GetContactsInput, context: Context): Promise<CurrentContacts> => {
  logger.addContext(context);
  // A type that could not be resolved fails without a call (compare-contacts): reading it would serve no decision.
  const types = (Object.entries(desired) as [ContactType, DesiredContact][]).filter(([, wanted]) => !('problem' in wanted)).map(([type]) => type);
  return perType(
    types,
    (type) => getContact(target, type, recentlyJoined),
    (error) => ({ status: 'ERROR', error: describeError(error) }),
    () => context.getRemainingTimeInMillis(),
  );
};
