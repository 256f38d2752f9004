import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { type EnforcerConfig, usesTags } from '#shared/rules/config';

// Both services deliver through CloudTrail with this detail-type. Control Tower's is NOT "AWS Control Tower via
// CloudTrail": a rule with that detail-type never fires.
// https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
const VIA_CLOUDTRAIL = 'AWS Service Event via CloudTrail';

/** An account-creation event the enforcer reacts to, and the config switch that turns it on. */
export interface AccountCreationEvent {
  /** PascalCase, for construct ids. */
  readonly id: 'ControlTower' | 'Organizations' | 'OrganizationsTagChange';
  readonly trigger: 'controlTower' | 'organizations';
  readonly description: string;
  readonly pattern: EventPattern;
  /** Only deployed when the configuration uses account tags: otherwise no tag change can change a contact. */
  readonly onlyWithTags?: true;
}

// Only SUCCEEDED: CreateAccount fires before the account is usable, and a failed creation leaves nothing to reconcile.
export const CONTROL_TOWER_EVENT: AccountCreationEvent = {
  id: 'ControlTower',
  trigger: 'controlTower',
  description: 'Control Tower CreateManagedAccount SUCCEEDED: reconcile the new account.',
  pattern: {
    source: ['aws.controltower'],
    detailType: [VIA_CLOUDTRAIL],
    detail: {
      eventName: ['CreateManagedAccount'],
      serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
};

export const ORGANIZATIONS_EVENT: AccountCreationEvent = {
  id: 'Organizations',
  trigger: 'organizations',
  description: 'Organizations CreateAccountResult SUCCEEDED: reconcile the new account.',
  pattern: {
    source: ['aws.organizations'],
    detailType: [VIA_CLOUDTRAIL],
    detail: {
      eventName: ['CreateAccountResult'],
      serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
};

// A tag added to or removed from an account may change its contacts (tag exclusions, overrides and values). Organizations
// API calls reach EventBridge as CloudTrail "AWS API Call" events; a root's, OU's or policy's tags are skipped by the run.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_TagResource.html
export const TAG_CHANGE_EVENT: AccountCreationEvent = {
  id: 'OrganizationsTagChange',
  trigger: 'organizations',
  description: 'Organizations TagResource or UntagResource: reconcile the account whose tags changed.',
  pattern: {
    source: ['aws.organizations'],
    detailType: ['AWS API Call via CloudTrail'],
    detail: { eventName: ['TagResource', 'UntagResource'] },
  },
  onlyWithTags: true,
};

export const ACCOUNT_CREATION_EVENTS: readonly AccountCreationEvent[] = [CONTROL_TOWER_EVENT, ORGANIZATIONS_EVENT, TAG_CHANGE_EVENT];

/** The events that the configuration's triggers switch on; the tag-change event only when the configuration uses tags. */
export function enabledAccountCreationEvents(config: EnforcerConfig): readonly AccountCreationEvent[] {
  return ACCOUNT_CREATION_EVENTS.filter((event) => config.triggers[event.trigger] && (!event.onlyWithTags || usesTags(config)));
}

/** The event sources, for resource policies that accept only these events. */
export const ACCOUNT_CREATION_SOURCES = [...new Set(ACCOUNT_CREATION_EVENTS.flatMap((event) => event.pattern.source ?? []))];
