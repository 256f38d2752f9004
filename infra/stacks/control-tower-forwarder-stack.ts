import { Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, type Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { controlTowerAccountCreated } from '#shared/events/triggers/control-tower-account-created';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import { eventRules } from '../constructs/event-rules.ts';
import { triggerEvent } from '../constructs/trigger-rules.ts';
import { eventBusArn } from '../names.ts';

export interface ControlTowerForwarderStackProps extends StackProps {
  /** The account of the us-east-1 bus that the enforcer's Control Tower rule listens on. */
  readonly targetAccountId: string;
  /** That bus's name. */
  readonly targetEventBusName: string;
}

/**
 * Control Tower emits its account-created event in its home Region only; this stack, in that Region of the management
 * account, forwards the event to us-east-1 where the enforcer listens.
 * https://docs.aws.amazon.com/controltower/latest/userguide/lifecycle-events.html
 */
export class ControlTowerForwarderStack extends Stack {
  public readonly rule: Rule;
  public readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ControlTowerForwarderStackProps) {
    super(scope, id, props);
    this.deadLetterQueue = new DeadLetterQueue(this, 'ForwardingDeadLetterQueue', {
      purpose: `A Control Tower ${controlTowerAccountCreated.eventNames?.join(' or ')} event forwarded to us-east-1`,
    });
    const target = EventBus.fromEventBusArn(this, 'TargetBus', eventBusArn(this.partition, props.targetAccountId, props.targetEventBusName));
    // Event bus targets take no retry policy: EventBridge retries them for 24 hours, then uses the DLQ.
    [this.rule] = eventRules(this, 'ForwardingRuleRole', {
      events: [triggerEvent(controlTowerAccountCreated, [])],
      prefix: 'Forward',
      target: (role) => new EventBusTarget(target, { role, deadLetterQueue: this.deadLetterQueue.queue }),
    }) as [Rule];
  }
}
