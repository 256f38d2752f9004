import { z } from 'zod';
import { accountIdSchema } from '../../rules/contacts.ts';
import { actorOf, type ApiCallFacts, apiCallEvent, CALL_SUCCEEDED, CLOUDTRAIL_API_CALL } from '../api-call.ts';
import { parseEvent } from '../envelope.ts';
import { accountClaimKey } from './account-claim.ts';
import type { RuledTrigger } from './trigger.ts';

const SOURCE = 'aws.organizations';
const EVENT_NAME = 'MoveAccount';

// A parent is a root (r-) or an OU (ou-). https://docs.aws.amazon.com/organizations/latest/APIReference/API_MoveAccount.html
const parentIdSchema = z.string({ error: 'must be a string' }).regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, 'must be a root or OU id like ou-ab12-cd34ef56');

const moveAccount = apiCallEvent(SOURCE, [EVENT_NAME], {
  accountId: accountIdSchema,
  sourceParentId: parentIdSchema,
  destinationParentId: parentIdSchema,
});

export type AccountMovedRun = { readonly trigger: 'account-moved'; readonly accountId: string; readonly destinationParentId: string } & ApiCallFacts;

/** An account changed OU: its OU overrides may want other contacts. Where it sits now is read from Organizations. */
export const accountMoved: RuledTrigger<AccountMovedRun> = {
  trigger: 'account-moved',
  source: SOURCE,
  eventNames: [EVENT_NAME],
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
  claimKey: (run, context) => accountClaimKey(run.accountId, context),
  switch: { key: 'accountMoved' },
  rule: {
    id: 'AccountMoved',
    description: `Organizations ${EVENT_NAME}: reconcile the moved account at its new parent.`,
    pattern: { source: [SOURCE], 'detail-type': [CLOUDTRAIL_API_CALL], detail: { eventName: [EVENT_NAME], ...CALL_SUCCEEDED } },
  },
  cloudTrail: { eventSource: 'organizations.amazonaws.com', eventNames: [EVENT_NAME], recordedIn: 'management-account' },
  samples: ['orgs-move-account.json'],
};
