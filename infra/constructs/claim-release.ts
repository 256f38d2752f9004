import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENDED_WITHOUT_SUCCESS, EXECUTION_STATUS_CHANGE } from '#shared/events/execution-ended';
import { TARGET_RETRY } from './dead-letter-queue.ts';

export interface ClaimReleaseProps {
  readonly stateMachine: IStateMachine;
  /** The release-claim function: given the execution's status change, it releases the claim that run still holds. */
  readonly releaseClaim: IFunction;
  /** Where an undeliverable status change goes (alarmed): a claim then lapses with its lifetime instead. */
  readonly deadLetterQueue: IQueue;
}

/**
 * No claim outlives its run. A Catch in the definition cannot see an execution that times out or is stopped, and one
 * around every state would still miss those; Step Functions itself reports every ending of a Standard execution to
 * the default event bus. This rule hands each FAILED, TIMED_OUT or ABORTED ending of the enforcer's executions to
 * release-claim. https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
export class ClaimRelease extends Construct {
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ClaimReleaseProps) {
    super(scope, id);
    this.rule = new Rule(this, 'RunEndedRule', {
      description: 'An Alternate Contacts Enforcer run failed, timed out or was aborted: release the claim it holds',
      eventPattern: {
        source: [EXECUTION_STATUS_CHANGE.source],
        detailType: [EXECUTION_STATUS_CHANGE.detailType],
        detail: { stateMachineArn: [props.stateMachine.stateMachineArn], status: [...ENDED_WITHOUT_SUCCESS] },
      },
      targets: [new LambdaFunction(props.releaseClaim, { deadLetterQueue: props.deadLetterQueue, ...TARGET_RETRY })],
    });
  }
}
