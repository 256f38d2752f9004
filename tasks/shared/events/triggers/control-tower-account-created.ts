import { z } from 'zod';
import { eventObject } from '../envelope.ts';
import { CLOUDTRAIL_SERVICE_EVENT, serviceEvent } from '../service-event.ts';
import { accountCreatedTrigger, type NewAccountRun, stateSchema } from './new-account.ts';
import type { RuledTrigger } from './trigger.ts';

const SOURCE = 'aws.controltower';
const EVENT_NAME = 'CreateManagedAccount';

/** Control Tower finished enrolling a new account. A FAILED event may carry no account id, so it is left unread. */
const createManagedAccount = serviceEvent(SOURCE, EVENT_NAME, {
  createManagedAccountStatus: eventObject({ state: stateSchema, account: eventObject({ accountId: z.unknown().optional() }).optional() }),
});

/**
 * Control Tower created and enrolled an account. Control Tower emits the event in its home Region only, which is why
 * a forwarding stack may be deployed there (infra/stacks/control-tower-forwarder-stack.ts).
 * https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
 */
export const controlTowerAccountCreated: RuledTrigger<NewAccountRun<'control-tower'>> = {
  ...accountCreatedTrigger('control-tower', SOURCE, EVENT_NAME, {
    schema: createManagedAccount,
    statusOf: ({ detail }) => {
      const { state, account } = detail.serviceEventDetails.createManagedAccountStatus;
      return { state, accountId: account?.accountId };
    },
    accountIdPath: ['detail', 'serviceEventDetails', 'createManagedAccountStatus', 'account', 'accountId'],
  }),
  switch: { key: 'controlTower' },
  rule: {
    id: 'ControlTower',
    description: `Control Tower ${EVENT_NAME} SUCCEEDED: reconcile the new account.`,
    // Control Tower's detail-type is the CloudTrail service event's, NOT "AWS Control Tower via CloudTrail": a rule
    // with that one never fires. Only SUCCEEDED: a failed creation leaves nothing to reconcile.
    pattern: {
      source: [SOURCE],
      'detail-type': [CLOUDTRAIL_SERVICE_EVENT],
      detail: { eventName: [EVENT_NAME], serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } } },
    },
  },
  samples: ['ct-create-managed-account-succeeded.json'],
};
