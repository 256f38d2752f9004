import { z } from 'zod';
import { accountIdSchema, CONTACT_TYPES } from '../rules/contacts.ts';
import { MalformedInputError } from '../rules/errors.ts';
import type { RunInput } from './run-input.ts';
import { actorOf, apiCallEvent } from './api-call.ts';
import { type EventParser, parseEvent } from './envelope.ts';

/**
 * Someone changed or deleted an alternate contact. In organization context (from the management account or the
 * delegated administrator) `requestParameters.accountId` names the member; in standalone context the caller changed
 * its own account, the event's `account`. Contact values arrive as HIDDEN_DUE_TO_SECURITY_REASONS and are never read.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
 */
const contactCall = (eventName: string) =>
  apiCallEvent('aws.account', eventName, {
    accountId: accountIdSchema.optional(),
    alternateContactType: z.enum(CONTACT_TYPES, { error: `must be one of ${CONTACT_TYPES.join(', ')}` }),
  });

function contactChanged(eventName: 'PutAlternateContact' | 'DeleteAlternateContact'): EventParser {
  const schema = contactCall(eventName);
  return {
    source: 'aws.account',
    eventName,
    trigger: 'contact-changed',
    parse(input): RunInput {
      const event = parseEvent(schema, input);
      const { detail } = event;
      const accountId = detail.requestParameters.accountId ?? event.account;
      // Standalone context: without the envelope's account nothing says whose contact changed.
      if (!accountId) throw new MalformedInputError('account: is required when detail.requestParameters.accountId is absent (a change made in the account itself)');
      return {
        trigger: 'contact-changed',
        accountId,
        contactType: detail.requestParameters.alternateContactType,
        eventTime: detail.eventTime,
        ...(detail.errorCode && { callFailed: detail.errorCode }),
        ...(actorOf(detail) && { actor: actorOf(detail) }),
      };
    },
  };
}

export const accountPutAlternateContact = contactChanged('PutAlternateContact');
export const accountDeleteAlternateContact = contactChanged('DeleteAlternateContact');
