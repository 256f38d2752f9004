import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

// Up to 185 attempts over 24 hours are EventBridge's defaults; an account's event is worth less than a day.
export const TARGET_RETRY = { retryAttempts: 8, maxEventAge: Duration.hours(6) };

/** How long an undelivered event waits in a dead-letter queue: SQS's longest, time enough to be seen and replayed. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface DeadLetterQueueProps {
  /** What lands here, for the alarm's description. */
  readonly purpose: string;
  /**
   * Where the alarm notifies.
   * @default - no action: the alarm shows in the console only
   */
  readonly alarmTopic?: ITopic;
}

/**
 * An encrypted, SSL-only SQS dead-letter queue for EventBridge and Scheduler targets, with an alarm as soon as one
 * message is waiting: every message here is an account or a run that never started.
 */
export class DeadLetterQueue extends Construct {
  public readonly queue: Queue;
  public readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    // SSE-SQS, not the AWS managed KMS key: EventBridge and Scheduler cannot use aws/sqs to send to a DLQ.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue (of an EventBridge or Scheduler target); it needs none of its own.',
    });

    this.alarm = new Alarm(this, 'MessagesWaiting', {
      alarmDescription: `${props.purpose} could not be delivered and waits in the dead-letter queue.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
