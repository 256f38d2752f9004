import type { IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { type AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { desiredStateHash } from '#shared/rules/config-hash';
import { deployInput } from '../../tasks/shared/events/triggers/deploy.ts';
import { HOME_REGION } from '../names.ts';
import { TARGET_RETRY } from './dead-letter-queue.ts';
import { eventRules } from './event-rules.ts';
import { sdkCall } from './sdk-call.ts';
import { enabledChangeEvents } from './trigger-rules.ts';

export interface EnforcerTriggersProps {
  readonly config: EnforcerConfig;
  readonly stateMachine: IStateMachine;
  /** The bus the rules listen on: the default bus (single topology) or the enforcer's own bus (delegated). */
  readonly eventBus?: IEventBus;
  /** The roles the put task writes contacts as: their CloudTrail events start no run. */
  readonly writerRoleArns: readonly string[];
  readonly deadLetterQueue: IQueue;
}

/**
 * What starts a run besides account creation and the schedule: an account that joined or moved, a contact changed
 * by hand (each one rule on the enforcer's bus), and a deploy that changed the desired contacts (a custom resource).
 */
export class EnforcerTriggers extends Construct {
  public readonly rules: readonly Rule[];
  /** The deploy-time run; absent when triggers.deploy is off. */
  public readonly deployRun?: AwsCustomResource;

  constructor(scope: Construct, id: string, props: EnforcerTriggersProps) {
    super(scope, id);
    const { config, stateMachine } = props;
    this.rules = eventRules(this, 'ChangeRulesRole', {
      events: enabledChangeEvents(config, props.writerRoleArns),
      eventBus: props.eventBus,
      target: (role) => new SfnStateMachine(stateMachine, { role, deadLetterQueue: props.deadLetterQueue, ...TARGET_RETRY }),
    });
    if (config.triggers.deploy) this.deployRun = this.createDeployRun(config, stateMachine);
  }

  /**
   * StartExecution when the desired contacts' hash changes. The hash is the custom resource's only changing
   * property, so CloudFormation updates (and calls) it only then: an unchanged deploy starts nothing. A call
   * CloudFormation repeats finds the run's claim, `deploy:<hash>`, taken. The execution is not named by the hash:
   * Step Functions keeps a name for 90 days, and a configuration deployed again after another (A, B, A) must run
   * again once the claim has expired. The run's mode is the configuration's.
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
   */
  private createDeployRun(config: EnforcerConfig, stateMachine: IStateMachine): AwsCustomResource {
    const configHash = desiredStateHash(config);
    const startExecution = (firstDeploy: boolean) => ({
      service: 'SFN',
      action: 'startExecution',
      region: HOME_REGION,
      parameters: { stateMachineArn: stateMachine.stateMachineArn, input: JSON.stringify(deployInput(configHash, { firstDeploy })) },
      physicalResourceId: PhysicalResourceId.of(`deploy-run-${configHash}`),
    });
    return sdkCall(this, 'DeployRun', {
      // Create is the stack's first deploy (or the first with triggers.deploy on): its run is a dry run unless
      // triggers.firstDeploy is enforce. Update is a later deploy that changed the desired contacts.
      onCreate: startExecution(true),
      onUpdate: startExecution(false),
      statements: [new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] })],
    });
  }
}
