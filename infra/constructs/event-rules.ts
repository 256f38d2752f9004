import { Stack } from 'aws-cdk-lib';
import { type EventPattern, type IEventBus, type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** An event the enforcer's rules match: a construct id, what it is, and its pattern. */
export interface MatchedEvent {
  /** PascalCase, for construct ids and rule names. */
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
}

export interface EventRulesProps {
  readonly events: readonly MatchedEvent[];
  /** The bus the rules listen on. @default - the account's default bus */
  readonly eventBus?: IEventBus;
  /** Prefixes the rules' construct ids and names, e.g. `Forward`. @default '' */
  readonly prefix?: string;
  /** The rules' one target, given the role EventBridge assumes to reach it. */
  readonly target: (role: IRole) => IRuleTarget;
}

/**
 * One rule per event, each with a fixed name, and the one role EventBridge assumes for their target. The role trusts
 * events.amazonaws.com for exactly these rules, by their ARNs (aws:SourceArn) in this account (aws:SourceAccount),
 * so no other rule, in this account or another, can use it. The names are fixed so that the ARNs are known before
 * the rules exist: a rule's own ARN in the trust would make the role and the rule depend on each other.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
 */
export function eventRules(scope: Construct, roleId: string, props: EventRulesProps): Rule[] {
  const { events, eventBus, prefix = '' } = props;
  if (events.length === 0) return [];
  const named = events.map((event) => ({ event, name: `AlternateContactsEnforcer-${prefix}${event.id}` }));
  const role = new Role(scope, roleId, {
    description: `EventBridge delivers the Alternate Contacts Enforcer rules ${named.map((n) => n.name).join(', ')} to their target`,
    assumedBy: new ServicePrincipal('events.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
      ArnEquals: { 'aws:SourceArn': named.map(({ name }) => ruleArn(scope, name, eventBus)) },
    }),
  });
  const target = props.target(role);
  return named.map(
    ({ event, name }) =>
      new Rule(scope, `${prefix}${event.id}Rule`, { ruleName: name, description: `${prefix ? `${prefix} to the Alternate Contacts Enforcer: ` : ''}${event.description}`, eventBus, eventPattern: event.pattern, targets: [target] }),
  );
}

/** A rule's ARN from its name: `rule/<name>` on the default bus, `rule/<bus>/<name>` on a custom one. */
function ruleArn(scope: Construct, name: string, eventBus: IEventBus | undefined): string {
  const { partition, region, account } = Stack.of(scope);
  return `arn:${partition}:events:${region}:${account}:rule/${eventBus ? `${eventBus.eventBusName}/` : ''}${name}`;
}
