import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { EnforcerConfig } from '#shared/config';

// Both services deliver through CloudTrail with this detail-type. Control Tower's is NOT "AWS Control Tower via
// CloudTrail": a rule with that detail-type never fires.
// https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
const VIA_CLOUDTRAIL = 'AWS Service Event via CloudTrail';

/** An account-creation event the enforcer reacts to, and the config switch that turns it on. */
export interface AccountCreationEvent {
  /** PascalCase, for construct ids. */
  readonly id: 'ControlTower' | 'Organizations';
  readonly trigger: 'controlTower' | 'organizations';
  readonly description: string;
  readonly pattern: EventPattern;
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

export const ACCOUNT_CREATION_EVENTS: readonly AccountCreationEvent[] = [CONTROL_TOWER_EVENT, ORGANIZATIONS_EVENT];

/** The account-creation events that the configuration's triggers switch on. */
export function enabledAccountCreationEvents(config: EnforcerConfig): readonly AccountCreationEvent[] {
  return ACCOUNT_CREATION_EVENTS.filter((event) => config.triggers[event.trigger]);
}

/** The event sources, for resource policies that accept only these events. */
export const ACCOUNT_CREATION_SOURCES = ACCOUNT_CREATION_EVENTS.flatMap((event) => event.pattern.source ?? []);
