import { z } from 'zod';
import { accountIdSchema } from '../contacts.ts';
import { MalformedInputError } from '../errors.ts';
import { type EventParser, parseEvent } from './envelope.ts';
import { serviceEvent } from './new-account.ts';

/**
 * An account joined the organization, by invitation or by creation (emitted since May 2026). AWS documents
 * `joinedMethod` and `joinedTime`; where the account id sits is confirmed by no public sample, so that path is read
 * alone and its absence is an error of its own that names the event, never a silent skip.
 */
const JOINED_METHODS = ['INVITED', 'CREATED'] as const;
const accountJoined = serviceEvent('aws.organizations', 'AccountJoinedOrganization', {
  joinedMethod: z.enum(JOINED_METHODS, { error: `must be ${JOINED_METHODS.join(' or ')}` }),
  joinedTime: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
  accountId: z.unknown().optional(),
});

/** The assumed path of the joined account's id; unconfirmed (see events/README.md). */
export const JOINED_ACCOUNT_ID_PATH = 'detail.serviceEventDetails.accountId';

export const organizationsAccountJoined: EventParser = {
  source: 'aws.organizations',
  eventName: 'AccountJoinedOrganization',
  trigger: 'account-joined',
  parse(input) {
    const event = parseEvent(accountJoined, input);
    const { accountId, joinedMethod } = event.detail.serviceEventDetails;
    if (accountId === undefined) {
      throw new MalformedInputError(
        `${JOINED_ACCOUNT_ID_PATH}: is missing from AccountJoinedOrganization event ${event.id ?? '(no id)'}, where the account id was expected. ` +
          'AWS may carry it elsewhere: the joined account is reconciled by the nightly run; report the event\'s shape so the parser can follow it',
      );
    }
    const id = accountIdSchema.safeParse(accountId);
    if (!id.success) throw new MalformedInputError(`${JOINED_ACCOUNT_ID_PATH}: must be a 12-digit account id`);
    return { trigger: 'account-joined', joinedMethod, accountId: id.data };
  },
};
