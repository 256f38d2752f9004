import { fileURLToPath } from 'node:url';
import { ArnFormat, type CfnResource, Duration, Fn, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAILED_ACCOUNTS_METRIC } from '#shared/aws/metrics';
import { functionArnSubstitution, TASKS, type TaskName } from '../tasks.ts';
import type { EnforcerFunction } from './enforcer-function.ts';
import { transparentToLogicalIds } from './logical-ids.ts';

/** The state machine that deploys is the file the tests execute. */
export const ASL_FILE = fileURLToPath(new URL('../../statemachine/enforcer.asl.json', import.meta.url));

export interface EnforcerWorkflowProps {
  /** The task functions, one per `${...FunctionArn}` substitution in the ASL file. */
  readonly functions: Readonly<Record<TaskName, EnforcerFunction>>;
  /** The organization's management account. */
  readonly managementAccountId: string;
  /**
   * The management-account role that the management branch assumes (delegated topology).
   * @default - a placeholder the single topology never assumes
   */
  readonly managementAccountRoleArn?: string;
  /** Where the alarms notify. */
  readonly alarmTopic: ITopic;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The run itself: the state machine loaded from statemachine/enforcer.asl.json, its vended log group, the policy that
 * lets its Distributed Map start and manage child executions, and the alarms on failed, timed-out, aborted and
 * throttled executions and on failed accounts.
 */
export class EnforcerWorkflow extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;
  public readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: EnforcerWorkflowProps) {
    super(scope, id);
    transparentToLogicalIds(this);
    const stack = Stack.of(this);
    // /aws/vendedlogs/ keeps CloudWatch Logs' resource policy from growing with every log group.
    // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
    // The name ends with this stack's own id, and a rollback deletes the group: a failed first deploy can be retried,
    // and a stack deployed again after `cdk destroy` does not collide with the group the first one retained. It starts
    // with the enforcer's (the scope's) unique name, as it did before the workflow was a construct of its own: a new
    // name would replace the group.
    this.logGroup = new LogGroup(this, 'StateMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(scope, { maxLength: 150 })}-${stackIdSuffix(stack)}`,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromFile(ASL_FILE),
      definitionSubstitutions: {
        ...Object.fromEntries(TASKS.map((task) => [functionArnSubstitution(task), props.functions[task].lambda.functionArn])),
        ManagementAccountRoleArn: props.managementAccountRoleArn ?? singleTopologyPlaceholderRole(stack.partition, props.managementAccountId),
      },
      stateMachineType: StateMachineType.STANDARD,
      // ERROR only and no execution data: states carry contact details, which AWS marks sensitive.
      logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const task of TASKS) props.functions[task].lambda.grantInvoke(this.stateMachine);
    this.allowDistributedMap();
    this.acknowledgeStateMachineFindings(props.functions);
    this.alarms = this.createAlarms(props.alarmTopic);
  }

  /**
   * The Distributed Map starts child executions of this state machine and watches them, exactly as AWS's policy for
   * Distributed Map states grants it: DescribeExecution and StopExecution on `execution:<name>:*`. RedriveExecution on
   * the map runs' child executions (`execution:<name>/<map run>:*`) lets an operator redrive a failed map run. A
   * separate policy: the state machine's own ARN in its role's default policy would be a circular dependency.
   * https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
   * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
   */
  private allowDistributedMap(): void {
    const stack = Stack.of(this);
    const { stateMachine } = this;
    const executionsArn = (resourceName: string) =>
      stack.formatArn({ service: 'states', resource: 'execution', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const name = stateMachine.stateMachineName;
    const distributedMap = new Policy(this, 'DistributedMapPolicy', {
      roles: [stateMachine.role],
      statements: [
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }),
        new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executionsArn(`${name}:*`)] }),
        new PolicyStatement({ actions: ['states:RedriveExecution'], resources: [executionsArn(`${name}/*`)] }),
      ],
    });
    const nagExecutions = `arn:<AWS::Partition>:states:${nagValue(stack.region, 'AWS::Region')}:${nagValue(stack.account, 'AWS::AccountId')}:execution:<${stack.getLogicalId(stateMachine.node.defaultChild as CfnResource)}.Name>`;
    Validations.of(distributedMap).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagExecutions}:*]`,
        reason: 'The Distributed Map names its child executions at run time; only this state machine\'s executions are covered, as AWS documents.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagExecutions}/*]`,
        reason: 'Map runs are named at run time; redrive covers only the child executions of this state machine\'s map runs.',
      },
    );
  }

  private acknowledgeStateMachineFindings(functions: Readonly<Record<TaskName, EnforcerFunction>>): void {
    const stack = Stack.of(this);
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery, added by the logs setting) support no resource-level permissions.',
      },
      ...TASKS.map((task) => ({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(functions[task].lambda.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason: `grantInvoke also covers the ${task} function's versions and aliases; it is still that one function.`,
      })),
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason: 'Logging ALL would write every state transition at 10,000 accounts; ERROR plus the execution history is enough, and execution data stays out because contacts are sensitive.',
    });
  }

  private createAlarms(topic: ITopic): Alarm[] {
    const alarm = (id: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(topic));
      return created;
    };
    const period = { period: Duration.minutes(5), statistic: 'Sum' };
    const sm = this.stateMachine;
    return [
      alarm('ExecutionsFailedAlarm', sm.metricFailed(period), 'An Alternate Contacts Enforcer run failed.'),
      alarm('ExecutionsTimedOutAlarm', sm.metricTimedOut(period), 'An Alternate Contacts Enforcer run timed out.'),
      alarm('ExecutionsAbortedAlarm', sm.metricAborted(period), 'An Alternate Contacts Enforcer run was aborted.'),
      alarm('ExecutionThrottledAlarm', sm.metricThrottled(period), 'Step Functions throttled the Alternate Contacts Enforcer.'),
      alarm('FailedAccountsAlarm', new Metric({ ...FAILED_ACCOUNTS_METRIC, ...period }), 'A run left at least one account not compliant; the report names them.'),
    ];
  }
}

/** How cdk-nag prints a value in a finding id: literally when the stack's environment is concrete, else as a pseudo parameter. */
function nagValue(value: string, pseudoParameter: string): string {
  return Token.isUnresolved(value) ? `<${pseudoParameter}>` : value;
}

/** The last part of the stack's id (arn:...:stack/<name>/<uuid>): unique for each creation of the stack. */
function stackIdSuffix(stack: Stack): string {
  return Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', stack.stackId))));
}

/** Never assumed: in the single topology list-accounts marks the management account `self` (standalone context). */
function singleTopologyPlaceholderRole(partition: string, managementAccountId: string): string {
  return `arn:${partition}:iam::${managementAccountId}:role/no-management-role-in-single-account-topology`;
}
