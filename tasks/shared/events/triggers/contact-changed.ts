import { z } from 'zod';
import { accountIdSchema, CONTACT_TYPES, type ContactType } from '../../rules/contacts.ts';
import { MalformedInputError } from '../../rules/errors.ts';
import { actorOf, type ApiCallFacts, apiCallEvent, CALL_SUCCEEDED, CLOUDTRAIL_API_CALL } from '../api-call.ts';
import { parseEvent } from '../envelope.ts';
import type { EventPattern, RuledTrigger } from './trigger.ts';

const SOURCE = 'aws.account';
const EVENT_NAMES = ['PutAlternateContact', 'DeleteAlternateContact'] as const;

/**
 * Someone changed or deleted an alternate contact. In organization context (from the management account or the
 * delegated administrator) `requestParameters.accountId` names the member; in standalone context the caller changed
 * its own account, the event's `account`. Contact values arrive as HIDDEN_DUE_TO_SECURITY_REASONS and are never read.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
 */
const contactCall = apiCallEvent(SOURCE, EVENT_NAMES, {
  accountId: accountIdSchema.optional(),
  alternateContactType: z.enum(CONTACT_TYPES, { error: `must be one of ${CONTACT_TYPES.join(', ')}` }),
});

export type ContactChangedRun = { readonly trigger: 'contact-changed'; readonly accountId: string; readonly contactType: ContactType; readonly eventTime: string } & ApiCallFacts;

function parseContactChanged(input: unknown): ContactChangedRun {
  const event = parseEvent(contactCall, input);
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
}

/**
 * A contact put or deleted by anyone but the enforcer. Its own writes are left out by the role that made them, with
 * anything-but on the session issuer; anything-but matches only a field that is there, so a caller that is no
 * assumed role (an IAM user, the root user) is matched by the second branch.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
const changedByOthers = (writerRoleArns: readonly string[]): EventPattern => ({
  source: [SOURCE],
  'detail-type': [CLOUDTRAIL_API_CALL],
  detail: {
    eventName: [...EVENT_NAMES],
    ...CALL_SUCCEEDED,
    $or: [
      { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [...writerRoleArns] }] } } } },
      { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
    ],
  },
});

/**
 * Edits to one account within one 2-minute bucket are one run, so a burst shorter than 2 minutes (three types changed
 * in the console) touches at most two buckets, two runs. CloudTrail delivers a call minutes after it is made, longer
 * than a bucket, so a bucket's run reads the account after the bucket's edits; any later edit is another bucket's
 * run, and the nightly run is the safety net.
 */
const CONTACT_BUCKET_MS = 2 * 60_000;
const bucketOf = (eventTime: string) => new Date(Math.floor(Date.parse(eventTime) / CONTACT_BUCKET_MS) * CONTACT_BUCKET_MS).toISOString();

/** A contact changed by hand: in the management account, the delegated administrator, or a member (forwarded by the StackSet). */
export const contactChanged: RuledTrigger<ContactChangedRun> = {
  trigger: 'contact-changed',
  source: SOURCE,
  eventNames: EVENT_NAMES,
  parse: parseContactChanged,
  claimKey: (run) => `contact:${run.accountId}@${bucketOf(run.eventTime)}`,
  switch: { key: 'contactChanged' },
  rule: {
    id: 'ContactChanged',
    description: `Account ${EVENT_NAMES.join(' or ')} by anyone but the enforcer: reconcile that account.`,
    pattern: changedByOthers,
  },
  cloudTrail: { eventSource: 'account.amazonaws.com', eventNames: EVENT_NAMES, recordedIn: 'calling-account' },
  samples: ['account-put-alternate-contact-in-member.json', 'account-delete-alternate-contact-org-context.json'],
};
