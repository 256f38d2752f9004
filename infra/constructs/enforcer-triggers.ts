import type { IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { type AwsCustomResource, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { EnforcerConfig } from '#shared/rules/config';
import { desiredStateHash } from '#shared/rules/config-hash';
import { deployInput } from '../../tasks/shared/events/triggers/deploy.ts';
import { HOME_REGION } from '../names.ts';
import { ClaimRelease } from './claim-release.ts';
import { DeadLetterQueue, TARGET_RETRY } from './dead-letter-queue.ts';
import { keepLogicalIdsFrom } from './logical-ids.ts';
import { sdkCall } from './sdk-call.ts';
import { triggerRules } from './trigger-rules.ts';

export interface EnforcerTriggersProps {
  readonly config: EnforcerConfig;
  readonly stateMachine: IStateMachine;
  /**
   * The bus the rules listen on: the enforcer's own bus (delegated topology).
   * @default - the account's default event bus (single topology)
   */
  readonly eventBus?: IEventBus;
  /** The roles the put task writes contacts as: their CloudTrail events start no run. */
  readonly writerRoleArns: readonly string[];
  /** The release-claim function, handed every run that failed, timed out or was aborted. */
  readonly releaseClaim: IFunction;
  /** Where the dead-letter queue's alarm notifies. */
  readonly alarmTopic: ITopic;
}

/**
 * Everything that starts a run, and the rule that cleans up after one that failed: the account-creation and change
 * rules (each a fixed-name rule on the enforcer's bus), the nightly schedule, the deploy-time run when the desired
 * contacts changed, and the release of a dead run's claim. Every target retries, then lands in one alarmed
 * dead-letter queue.
 */
export class EnforcerTriggers extends Construct {
  /** An account-creation event or a schedule firing that never started a run. */
  public readonly deadLetterQueue: DeadLetterQueue;
  /** Account creation (Control Tower, Organizations) and account tag changes. */
  public readonly accountCreationRules: readonly Rule[];
  public readonly schedule: Schedule;
  /** Releases the claim of a run that failed, timed out or was aborted. */
  public readonly claimRelease: ClaimRelease;
  /** An account that joined or moved, and a contact changed by hand. */
  public readonly changeRules: readonly Rule[];
  /** The deploy-time run; absent when triggers.deploy is off. */
  public readonly deployRun?: AwsCustomResource;

  constructor(scope: Construct, id: string, props: EnforcerTriggersProps) {
    super(scope, id);
    const { config, stateMachine, eventBus } = props;
    this.deadLetterQueue = new DeadLetterQueue(this, 'TriggerDeadLetterQueue', {
      purpose: 'A trigger (account-creation event or nightly schedule) of the Alternate Contacts Enforcer',
      alarmTopic: props.alarmTopic,
    });
    const deadLetterQueue = this.deadLetterQueue.queue;
    const startRun = (role: IRole) => new SfnStateMachine(stateMachine, { role, deadLetterQueue, ...TARGET_RETRY });

    const rules = triggerRules(this, { config, writerRoleArns: props.writerRoleArns, eventBus, target: startRun });
    this.accountCreationRules = rules.AccountCreationRulesRole;
    this.changeRules = rules.ChangeRulesRole;
    this.schedule = this.createSchedule(config, stateMachine);
    this.claimRelease = new ClaimRelease(this, 'ClaimRelease', { stateMachine, releaseClaim: props.releaseClaim, deadLetterQueue });
    // These were the enforcer's own children before its triggers were gathered here: they keep those logical ids.
    const formerlyTheEnforcers = [this.deadLetterQueue, this.node.tryFindChild('AccountCreationRulesRole'), ...this.accountCreationRules, this.schedule, this.claimRelease];
    for (const moved of formerlyTheEnforcers) if (moved) keepLogicalIdsFrom(moved, scope);

    if (config.triggers.deploy) this.deployRun = this.createDeployRun(config, stateMachine);
  }

  private createSchedule(config: EnforcerConfig, stateMachine: IStateMachine): Schedule {
    return new Schedule(this, 'NightlySchedule', {
      description: 'Nightly drift reconciliation of every account',
      schedule: ScheduleExpression.expression(config.triggers.schedule),
      target: new StepFunctionsStartExecution(stateMachine, {
        // The scheduled-event shape resolve-targets reads; the execution id is a stable idempotency key per firing.
        input: ScheduleTargetInput.fromObject({
          version: '0',
          id: ContextAttribute.executionId,
          'detail-type': 'Scheduled Event',
          source: 'aws.scheduler',
          time: ContextAttribute.scheduledTime,
          resources: [ContextAttribute.scheduleArn],
          detail: {},
        }),
        deadLetterQueue: this.deadLetterQueue.queue,
        ...TARGET_RETRY,
      }),
    });
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
