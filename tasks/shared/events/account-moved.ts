import { z } from 'zod';
import { accountIdSchema } from '../rules/contacts.ts';
import { actorOf, apiCallEvent } from './api-call.ts';
import { type EventParser, parseEvent } from './envelope.ts';

// A parent is a root (r-) or an OU (ou-). https://docs.aws.amazon.com/organizations/latest/APIReference/API_MoveAccount.html
const parentIdSchema = z.string({ error: 'must be a string' }).regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, 'must be a root or OU id like ou-ab12-cd34ef56');

const moveAccount = apiCallEvent('aws.organizations', 'MoveAccount', {
  accountId: accountIdSchema,
  sourceParentId: parentIdSchema,
  destinationParentId: parentIdSchema,
});

/** An account changed OU: its OU overrides may want other contacts. Where it sits now is read from Organizations. */
export const organizationsMoveAccount: EventParser = {
  source: 'aws.organizations',
  eventName: 'MoveAccount',
  trigger: 'account-moved',
  parse(input) {
    const { detail } = parseEvent(moveAccount, input);
    return {
      trigger: 'account-moved',
      accountId: detail.requestParameters.accountId,
      destinationParentId: detail.requestParameters.destinationParentId,
      ...(detail.errorCode && { callFailed: detail.errorCode }),
      ...(actorOf(detail) && { actor: actorOf(detail) }),
    };
  },
};
