import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { EnforcerConfig } from '#shared/rules/config';

// API calls arrive through CloudTrail with this detail-type, and only where a trail records management events.
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure-cloudtrail.html
const API_CALL = 'AWS API Call via CloudTrail';
const SERVICE_EVENT = 'AWS Service Event via CloudTrail';

/** An event, beyond account creation, that the enforcer reacts to, and the config switch that turns it on. */
export interface ChangeEvent {
  /** PascalCase, for construct ids. */
  readonly id: 'AccountJoined' | 'AccountMoved' | 'ContactChanged';
  readonly trigger: 'accountJoined' | 'accountMoved' | 'contactChanged';
  readonly description: string;
  readonly pattern: EventPattern;
}

/** Both INVITED and CREATED: a created account's claim makes the second a duplicate (tasks/resolve-targets.ts). */
export const ACCOUNT_JOINED_EVENT: ChangeEvent = {
  id: 'AccountJoined',
  trigger: 'accountJoined',
  description: 'Organizations AccountJoinedOrganization: reconcile the account that joined.',
  pattern: { source: ['aws.organizations'], detailType: [SERVICE_EVENT], detail: { eventName: ['AccountJoinedOrganization'] } },
};

// A call AWS refused changed nothing: CloudTrail records it with an errorCode.
const SUCCEEDED = { errorCode: [{ exists: false }] };

export const ACCOUNT_MOVED_EVENT: ChangeEvent = {
  id: 'AccountMoved',
  trigger: 'accountMoved',
  description: 'Organizations MoveAccount: reconcile the moved account at its new parent.',
  pattern: { source: ['aws.organizations'], detailType: [API_CALL], detail: { eventName: ['MoveAccount'], ...SUCCEEDED } },
};

/**
 * A contact put or deleted by anyone but the enforcer. Its own writes are left out by the role that made them, with
 * anything-but on the session issuer; anything-but matches only a field that is there, so a caller that is no
 * assumed role (an IAM user, the root user) is matched by the second branch.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export function contactChangedEvent(writerRoleArns: readonly string[]): ChangeEvent {
  return {
    id: 'ContactChanged',
    trigger: 'contactChanged',
    description: 'Account PutAlternateContact or DeleteAlternateContact by anyone but the enforcer: reconcile that account.',
    pattern: {
      source: ['aws.account'],
      detailType: [API_CALL],
      detail: {
        eventName: ['PutAlternateContact', 'DeleteAlternateContact'],
        ...SUCCEEDED,
        $or: [
          { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [...writerRoleArns] }] } } } },
          { userIdentity: { type: [{ 'anything-but': ['AssumedRole'] }] } },
        ],
      },
    },
  };
}

/** The change events that the configuration's triggers switch on. */
export function enabledChangeEvents(config: EnforcerConfig, writerRoleArns: readonly string[]): readonly ChangeEvent[] {
  return [ACCOUNT_JOINED_EVENT, ACCOUNT_MOVED_EVENT, contactChangedEvent(writerRoleArns)].filter((event) => config.triggers[event.trigger]);
}

/** The sources of the change events, for resource policies that accept only the enforcer's events. */
export const CHANGE_EVENT_SOURCES = ['aws.organizations', 'aws.account'];
