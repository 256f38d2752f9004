import type { EventPattern as CdkEventPattern, IEventBus, IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { controlTowerAccountCreated } from '#shared/events/triggers/control-tower-account-created';
import { TRIGGERS } from '#shared/events/triggers/index';
import { organizationsAccountCreated } from '#shared/events/triggers/organizations-account-created';
import { tagsChanged } from '#shared/events/triggers/tags-changed';
import { type EventPattern, isSwitchedOn, patternOf, type RuledTrigger, type TriggerDefinition } from '#shared/events/triggers/trigger';
import { eventRules, type MatchedEvent } from './event-rules.ts';

/**
 * The two EventBridge roles that deliver the enforcer's rules to its state machine, in the order their rules are
 * built. Each role's trust names its rules by ARN, so a rule stays with its role: moving one would change both roles.
 * The rules keep their roles, construct ids and names across releases, so the templates, and each role's trust, stay
 * as they were deployed.
 */
const RULE_ROLES = ['AccountCreationRulesRole', 'ChangeRulesRole'] as const;
export type RuleRole = (typeof RULE_ROLES)[number];

/** The triggers whose rules AccountCreationRulesRole delivers; every other rule, a new one included, takes ChangeRulesRole. */
const ACCOUNT_CREATION_ROLE_TRIGGERS: readonly RuledTrigger[] = [controlTowerAccountCreated, organizationsAccountCreated, tagsChanged];
const roleOf = (trigger: RuledTrigger): RuleRole => (ACCOUNT_CREATION_ROLE_TRIGGERS.includes(trigger) ? 'AccountCreationRulesRole' : 'ChangeRulesRole');

const hasRule = (trigger: TriggerDefinition): trigger is RuledTrigger => 'rule' in trigger && trigger.rule !== undefined;

/** Every trigger EventBridge delivers by rule. */
const RULED_TRIGGERS: readonly RuledTrigger[] = (TRIGGERS as readonly TriggerDefinition[]).filter(hasRule);

/** CDK's spelling of an event pattern (detailType for detail-type). */
const cdkPattern = (pattern: EventPattern): CdkEventPattern => ({ source: [...pattern.source], detailType: [...pattern['detail-type']], detail: pattern.detail });

/** A trigger's rule as the rule builder takes it; `writerRoleArns` are the roles whose own writes it must not match. */
export function triggerEvent(trigger: RuledTrigger, writerRoleArns: readonly string[]): MatchedEvent {
  const { id, description } = trigger.rule;
  return { id, description, pattern: cdkPattern(patternOf(trigger.rule, writerRoleArns)) };
}

/**
 * The rules of the triggers the configuration switches on, role by role (of `roles`, every role by default).
 * @param writerRoleArns the roles the put task writes contacts as: their own CloudTrail events start no run.
 */
export function enabledTriggerEvents(config: EnforcerConfig, writerRoleArns: readonly string[], roles: readonly RuleRole[] = RULE_ROLES): MatchedEvent[] {
  return roles.flatMap((role) => RULED_TRIGGERS.filter((trigger) => roleOf(trigger) === role && isSwitchedOn(trigger, config)).map((trigger) => triggerEvent(trigger, writerRoleArns)));
}

export interface TriggerRulesProps {
  readonly config: EnforcerConfig;
  /** The roles the put task writes contacts as (and the management role, delegated): their events start no run. */
  readonly writerRoleArns: readonly string[];
  /** The bus the rules listen on. @default - the account's default bus */
  readonly eventBus?: IEventBus;
  /** The rules' one target, given the role EventBridge assumes to reach it. */
  readonly target: (role: IRole) => IRuleTarget;
}

/**
 * Every switched-on trigger's rule, delivered to the target by its role (one IAM role per RuleRole, its construct id
 * the role's name), grouped by that role.
 */
export function triggerRules(scope: Construct, props: TriggerRulesProps): Readonly<Record<RuleRole, readonly Rule[]>> {
  const { config, writerRoleArns, eventBus, target } = props;
  const rules = {} as Record<RuleRole, readonly Rule[]>;
  for (const role of RULE_ROLES) rules[role] = eventRules(scope, role, { events: enabledTriggerEvents(config, writerRoleArns, [role]), eventBus, target });
  return rules;
}

/** The sources of every rule's events, for a bus policy that admits only the enforcer's events. */
export const TRIGGER_EVENT_SOURCES: readonly string[] = [...new Set(RULED_TRIGGERS.flatMap((trigger) => patternOf(trigger.rule, []).source))];

