import { z } from 'zod';
import { type EventParser, eventObject, parseEvent } from './envelope.ts';
import { newAccountRun, serviceEvent, stateSchema } from './new-account.ts';

/** Control Tower finished enrolling a new account. A FAILED event may carry no account id, so it is left unread. */
const createManagedAccount = serviceEvent('aws.controltower', 'CreateManagedAccount', {
  createManagedAccountStatus: eventObject({ state: stateSchema, account: eventObject({ accountId: z.unknown().optional() }).optional() }),
});

export const controlTowerCreateManagedAccount: EventParser = {
  source: 'aws.controltower',
  eventName: 'CreateManagedAccount',
  trigger: 'control-tower',
  parse(event) {
    const status = parseEvent(createManagedAccount, event).detail.serviceEventDetails.createManagedAccountStatus;
    const path = ['detail', 'serviceEventDetails', 'createManagedAccountStatus', 'account', 'accountId'];
    return newAccountRun('control-tower', status.state, status.account?.accountId, path);
  },
};
