import { z } from 'zod';
import { eventObject } from '../envelope.ts';
import { CLOUDTRAIL_SERVICE_EVENT, serviceEvent } from '../service-event.ts';
import { accountCreatedTrigger, type NewAccountRun, stateSchema } from './new-account.ts';
import type { RuledTrigger } from './trigger.ts';

const SOURCE = 'aws.organizations';
const EVENT_NAME = 'CreateAccountResult';

/** Organizations finished creating an account. A FAILED event may carry no account id, so it is left unread. */
const createAccountResult = serviceEvent(SOURCE, EVENT_NAME, {
  createAccountStatus: eventObject({ state: stateSchema, accountId: z.unknown().optional() }),
});

/**
 * Organizations finished creating an account (Control Tower's enrolment included, whose own event comes later).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_cloudtrail-integration.html
 */
export const organizationsAccountCreated: RuledTrigger<NewAccountRun<'organizations'>> = {
  ...accountCreatedTrigger('organizations', SOURCE, EVENT_NAME, {
    schema: createAccountResult,
    statusOf: (event) => event.detail.serviceEventDetails.createAccountStatus,
    accountIdPath: ['detail', 'serviceEventDetails', 'createAccountStatus', 'accountId'],
  }),
  switch: { key: 'organizations' },
  rule: {
    id: 'Organizations',
    description: `Organizations ${EVENT_NAME} SUCCEEDED: reconcile the new account.`,
    // Only SUCCEEDED: the creation call returns before the account is usable, and a failed one leaves nothing to reconcile.
    pattern: {
      source: [SOURCE],
      'detail-type': [CLOUDTRAIL_SERVICE_EVENT],
      detail: { eventName: [EVENT_NAME], serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } } },
    },
  },
  samples: ['orgs-create-account-result-succeeded.json'],
};
