import { z } from 'zod';
import { type EventParser, eventObject, parseEvent } from './envelope.ts';
import { newAccountRun, serviceEvent, stateSchema } from './new-account.ts';

/** Organizations finished CreateAccount. A FAILED event may carry no account id, so it is left unread. */
const createAccountResult = serviceEvent('aws.organizations', 'CreateAccountResult', {
  createAccountStatus: eventObject({ state: stateSchema, accountId: z.unknown().optional() }),
});

export const organizationsCreateAccountResult: EventParser = {
  source: 'aws.organizations',
  eventName: 'CreateAccountResult',
  trigger: 'organizations',
  parse(event) {
    const status = parseEvent(createAccountResult, event).detail.serviceEventDetails.createAccountStatus;
    const path = ['detail', 'serviceEventDetails', 'createAccountStatus', 'accountId'];
    return newAccountRun('organizations', status.state, status.accountId, path);
  },
};
