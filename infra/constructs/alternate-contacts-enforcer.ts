import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, type CfnResource, Duration, Fn, Names, RemovalPolicy, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { type IGrantable, Policy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { CfnSecret, Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type EnforcerConfig, usesTags } from '#shared/rules/config';
import { ENV } from '#shared/aws/env';
import { FAILED_ACCOUNTS_METRIC } from '#shared/aws/metrics';
import { IDEMPOTENCY_TABLE, RUN_TABLE } from '#shared/aws/tables';
import { NAMES } from '../names.ts';
import { enabledAccountCreationEvents } from './account-creation-events.ts';
import { alternateContactStatement, managedContactTypes, memberAccountsArn, ownAccountArn, writeStatements } from './alternate-contact-access.ts';
import { ClaimRelease } from './claim-release.ts';
import { DeadLetterQueue, TARGET_RETRY } from './dead-letter-queue.ts';
import { EnforcerTriggers } from './enforcer-triggers.ts';
import { eventRules } from './event-rules.ts';
import { EnforcerFunction } from './enforcer-function.ts';
import { OrganizationsRead } from './organizations-read.ts';
import { RunReporting } from './run-reporting.ts';
import { functionArnSubstitution, pascalCase, TASK_TIMEOUT_SECONDS, TASKS, type TaskName } from '../tasks.ts';

/** The state machine that deploys is the file the tests execute. */
export const ASL_FILE = fileURLToPath(new URL('../../statemachine/enforcer.asl.json', import.meta.url));



// The two tasks that see the whole organization at once (their timeouts: TASK_TIMEOUT_SECONDS).
const MEMORY_SIZE: Partial<Record<TaskName, number>> = { 'list-accounts': 1024, report: 1024 };


export interface AlternateContactsEnforcerProps {
  /** The validated configuration: bundled with every function, and the source of triggers, e-mails and managed types. */
  readonly config: EnforcerConfig;
  /** The organization's management account. */
  readonly managementAccountId: string;
  /** The organization, `o-...`: member accounts' Account API ARNs contain it. */
  readonly organizationId: string;
  /**
   * The management-account role that the state machine's management branch assumes (delegated topology). When set,
   * get-contacts and put-contacts get the fixed role names that role trusts, and may assume it.
   * @default - none: the single-account topology, where the management account is the enforcer's own account,
   * handled in standalone context, and the branch is never taken
   */
  readonly managementAccountRoleArn?: string;
  /**
   * The bus the account-creation rules listen on.
   * @default - the account's default event bus
   */
  readonly eventBus?: IEventBus;
  /**
   * Create the Slack webhook secret (empty: the URL never enters a template) rather than use an existing one by name.
   * Only applies when the configuration names a secret (notifications.slackWebhookSecretName).
   * @default true
   */
  readonly createSlackWebhookSecret?: boolean;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The Alternate Contacts Enforcer: the state machine, its eight functions with least-privilege roles, the two
 * DynamoDB tables, the report topic (and Slack secret), the triggers (account-creation rules and the nightly
 * schedule, each with retries and an alarmed dead-letter queue) and the alarms.
 */
export class AlternateContactsEnforcer extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly functions: Readonly<Record<TaskName, EnforcerFunction>>;
  /** Powertools idempotency records: a duplicate event does not start a second run. */
  public readonly idempotencyTable: Table;
  /** Each run's plan chunks, per-account results and stored report. */
  public readonly runTable: Table;
  public readonly topic: Topic;
  public readonly topicKey: Key;
  public readonly slackWebhookSecret?: ISecret;
  public readonly triggerDeadLetterQueue: DeadLetterQueue;
  public readonly rules: readonly Rule[];
  public readonly schedule: Schedule;
  /** Releases the claim of a run that failed, timed out or was aborted. */
  public readonly claimRelease: ClaimRelease;
  /** Joined and moved accounts, hand edits, and the deploy-time run. */
  public readonly triggers: EnforcerTriggers;
  /** The roles the put task writes contacts as (the management role too, delegated): their events start no run. */
  public readonly writerRoleArns: readonly string[];
  public readonly alarms: readonly Alarm[];
  /** Each run's report files and the dashboard. */
  public readonly reporting: RunReporting;

  constructor(scope: Construct, id: string, props: AlternateContactsEnforcerProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    const tableDefaults = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    };
    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      ...tableDefaults,
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLive,
    });
    this.runTable = new Table(this, 'RunTable', {
      ...tableDefaults,
      partitionKey: { name: RUN_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: RUN_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: RUN_TABLE.timeToLive,
    });

    this.topicKey = new Key(this, 'ReportTopicKey', { enableKeyRotation: true, description: 'Alternate Contacts Enforcer report topic' });
    this.topic = new Topic(this, 'ReportTopic', { masterKey: this.topicKey, enforceSSL: true, displayName: 'Alternate Contacts Enforcer' });
    for (const email of config.notifications.emails) this.topic.addSubscription(new EmailSubscription(email));
    // Alarms publish as CloudWatch, which needs the topic and, on an encrypted topic, kms:GenerateDataKey* and
    // kms:Decrypt on its key: AWS's key policy for event sources from AWS services.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-encryption
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } });
    this.grantPublish(cloudWatch, ['kms:Decrypt', 'kms:GenerateDataKey*']);
    this.slackWebhookSecret = this.slackSecret(config.notifications, props.createSlackWebhookSecret ?? true);

    this.functions = this.createFunctions(config, props);
    this.grantTasks(props);

    this.stateMachine = this.createStateMachine(props);

    this.triggerDeadLetterQueue = new DeadLetterQueue(this, 'TriggerDeadLetterQueue', {
      purpose: 'A trigger (account-creation event or nightly schedule) of the Alternate Contacts Enforcer',
      alarmTopic: this.topic,
    });
    this.rules = eventRules(this, 'AccountCreationRulesRole', {
      events: enabledAccountCreationEvents(config),
      eventBus: props.eventBus,
      target: (role) => new SfnStateMachine(this.stateMachine, { role, deadLetterQueue: this.triggerDeadLetterQueue.queue, ...TARGET_RETRY }),
    });
    this.schedule = new Schedule(this, 'NightlySchedule', {
      description: 'Nightly drift reconciliation of every account',
      schedule: ScheduleExpression.expression(config.triggers.schedule),
      target: new StepFunctionsStartExecution(this.stateMachine, {
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
        deadLetterQueue: this.triggerDeadLetterQueue.queue,
        ...TARGET_RETRY,
      }),
    });

    this.claimRelease = new ClaimRelease(this, 'ClaimRelease', {
      stateMachine: this.stateMachine,
      releaseClaim: this.functions['release-claim'].lambda,
      deadLetterQueue: this.triggerDeadLetterQueue.queue,
    });

    this.writerRoleArns = [this.functions['put-contacts'].role.roleArn, ...(props.managementAccountRoleArn ? [props.managementAccountRoleArn] : [])];
    this.functions['resolve-targets'].lambda.addEnvironment(ENV.WRITER_ARNS, this.writerRoleArns.join(','));
    this.triggers = new EnforcerTriggers(this, 'Triggers', {
      config,
      stateMachine: this.stateMachine,
      eventBus: props.eventBus,
      writerRoleArns: this.writerRoleArns,
      deadLetterQueue: this.triggerDeadLetterQueue.queue,
    });

    this.alarms = [this.triggerDeadLetterQueue.alarm, ...this.createAlarms()];
    this.reporting = new RunReporting(this, 'RunReporting', {
      reportFunction: this.functions.report,
      functions: Object.values(this.functions),
      stateMachine: this.stateMachine,
      deadLetterQueues: [this.triggerDeadLetterQueue.queue],
      retentionDays: config.reports.retentionDays,
    });
  }

  /**
   * topic.grantPublish with the key actions each publisher needs. A publisher with its own role needs kms:Decrypt and
   * kms:GenerateDataKey, not CDK's kms:GenerateDataKey* wildcard.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
   */
  private grantPublish(grantee: IGrantable, keyActions = ['kms:Decrypt', 'kms:GenerateDataKey']): void {
    this.topic.grants.actions(grantee, ['sns:Publish'], { keyActions });
  }

  /**
   * The Slack secret, created empty or looked up by name. With `slackWebhookSecretKmsKeyArn`, a created secret is
   * encrypted with that customer managed key.
   */
  /**
   * Reading a secret encrypted with a customer managed key also takes kms:Decrypt on that key; Secrets Manager calls
   * KMS on the reader's behalf, so kms:ViaService narrows the grant to that path.
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
   */
  private grantSlackSecretRead(grantee: IGrantable, config: EnforcerConfig): void {
    this.slackWebhookSecret?.grantRead(grantee);
    const keyArn = config.notifications.slackWebhookSecretKmsKeyArn;
    if (!keyArn) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  private slackSecret(notifications: EnforcerConfig['notifications'], create: boolean): ISecret | undefined {
    const { slackWebhookSecretName: name, slackWebhookSecretKmsKeyArn: keyArn } = notifications;
    if (!name) return undefined;
    if (!create) return Secret.fromSecretNameV2(this, 'SlackWebhookSecret', name);
    const secret = new Secret(this, 'SlackWebhookSecret', {
      secretName: name,
      encryptionKey: keyArn ? Key.fromKeyArn(this, 'SlackWebhookSecretKey', keyArn) : undefined,
      description: 'Slack incoming-webhook URL for the Alternate Contacts Enforcer report. Fill it with put-secret-value.',
    });
    // A secret without a value: the webhook URL is set out of band and never appears in a template.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-secret.html
    (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A Slack webhook URL cannot be rotated by a Lambda; it is replaced by hand when Slack reissues it.',
    });
    return secret;
  }

  private createFunctions(config: EnforcerConfig, props: AlternateContactsEnforcerProps): Record<TaskName, EnforcerFunction> {
    const configFile = writeConfigFile(this, config);
    // The management role's trust names these two, so they cannot carry generated names; a guardrail names the put
    // role in its exemption, and the preflight checks that exemption, so it gets its fixed name then too.
    const fixedRoleNames: Partial<Record<TaskName, string>> = props.managementAccountRoleArn
      ? { 'get-contacts': NAMES.getContactsRole, 'put-contacts': NAMES.putContactsRole }
      : config.guardrail
        ? { 'put-contacts': NAMES.putContactsRole }
        : {};
    const entries = TASKS.map((task) => [
      task,
      new EnforcerFunction(this, pascalCase(task), {
        task,
        configFile,
        roleName: fixedRoleNames[task],
        logRetention: props.logRetention,
        timeout: Duration.seconds(TASK_TIMEOUT_SECONDS[task]),
        memorySize: MEMORY_SIZE[task],
      }),
    ]);
    return Object.fromEntries(entries) as Record<TaskName, EnforcerFunction>;
  }

  /** Each function gets only what its task touches; the environment variable and the grant travel together. */
  private grantTasks(props: AlternateContactsEnforcerProps): void {
    const { idempotencyTable, runTable, topic, slackWebhookSecret } = this;
    const fn = this.functions;
    const useIdempotencyTable = (task: TaskName) => fn[task].use(ENV.IDEMPOTENCY_TABLE, idempotencyTable.tableName, (f) => idempotencyTable.grantReadWriteData(f));
    const useRunTable = (task: TaskName, access: 'read' | 'readWrite') =>
      fn[task].use(ENV.RUN_TABLE, runTable.tableName, (f) => (access === 'read' ? runTable.grantReadData(f) : runTable.grantReadWriteData(f)));

    useIdempotencyTable('resolve-targets');
    useRunTable('list-accounts', 'readWrite');
    useRunTable('load-chunk', 'read');
    useRunTable('record-result', 'readWrite');
    useRunTable('report', 'readWrite');
    // Both release a run's idempotency claim when a new account could not finish, so its next event can run.
    useIdempotencyTable('report');
    useIdempotencyTable('release-claim');
    fn.report.use(ENV.TOPIC_ARN, topic.topicArn, (f) => this.grantPublish(f));
    const slackSecretName = props.config.notifications.slackWebhookSecretName;
    if (slackWebhookSecret && slackSecretName) fn.report.use(ENV.SLACK_SECRET_NAME, slackSecretName, (f) => this.grantSlackSecretRead(f, props.config));

    this.grantOrganizationsRead(props);
    this.grantAlternateContacts(props);
  }

  /**
   * list-accounts walks the organization; resolve-targets keys a new account's claim by the account's parent, so a
   * move into its OU runs again.
   */
  private grantOrganizationsRead(props: AlternateContactsEnforcerProps): void {
    const organization = { managementAccountId: props.managementAccountId, organizationId: props.organizationId };
    new OrganizationsRead(this, 'OrganizationsRead', {
      ...organization,
      role: this.functions['list-accounts'].role,
      actions: [
        'organizations:DescribeOrganization',
        'organizations:ListRoots',
        'organizations:DescribeAccount',
        'organizations:ListOrganizationalUnitsForParent',
        'organizations:ListAccountsForParent',
        'organizations:ListParents',
        // Account tags, read only when the configuration uses them (exclusions, overrides or values by tag).
        ...(usesTags(props.config) ? (['organizations:ListTagsForResource'] as const) : []),
      ],
    });
    new OrganizationsRead(this, 'ParentLookup', { ...organization, role: this.functions['resolve-targets'].role, actions: ['organizations:ListParents'] });
  }

  private grantAlternateContacts(props: AlternateContactsEnforcerProps): void {
    const stack = Stack.of(this);
    const types = managedContactTypes(props.config);
    const resources = [memberAccountsArn(stack.partition, props.managementAccountId, props.organizationId), ownAccountArn(stack.partition, stack.account)];
    const callers = [
      [this.functions['get-contacts'], [alternateContactStatement('account:GetAlternateContact', resources, types)]],
      [this.functions['put-contacts'], writeStatements(props.config, resources)],
    ] as const;
    for (const [caller, statements] of callers) {
      for (const statement of statements) caller.role.addToPrincipalPolicy(statement);
      if (props.managementAccountRoleArn) {
        caller.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [props.managementAccountRoleArn] }));
      }
      Validations.of(caller.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:account::${props.managementAccountId}:account/${props.organizationId}/*]`,
        reason: 'Every member account of this one organization is a target, including accounts created later; the contact types are limited by account:AlternateContactTypes.',
      });
    }
  }

  private createStateMachine(props: AlternateContactsEnforcerProps): StateMachine {
    const stack = Stack.of(this);
    const functionArns = Object.fromEntries(TASKS.map((task) => [functionArnSubstitution(task), this.functions[task].lambda.functionArn]));
    // /aws/vendedlogs/ keeps CloudWatch Logs' resource policy from growing with every log group.
    // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
    // The name ends with this stack's own id, and a rollback deletes the group: a failed first deploy can be retried,
    // and a stack deployed again after `cdk destroy` does not collide with the group the first one retained.
    const logGroup = new LogGroup(this, 'StateMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 150 })}-${stackIdSuffix(stack)}`,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    const stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromFile(ASL_FILE),
      definitionSubstitutions: {
        ...functionArns,
        ManagementAccountRoleArn: props.managementAccountRoleArn ?? singleTopologyPlaceholderRole(stack.partition, props.managementAccountId),
      },
      stateMachineType: StateMachineType.STANDARD,
      // ERROR only and no execution data: states carry contact details, which AWS marks sensitive.
      logs: { destination: logGroup, level: LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const task of TASKS) this.functions[task].lambda.grantInvoke(stateMachine);

    // The Distributed Map starts child executions of this state machine and watches them, exactly as AWS's policy for
    // Distributed Map states grants it: DescribeExecution and StopExecution on `execution:<name>:*`. RedriveExecution
    // on the map runs' child executions (`execution:<name>/<map run>:*`) lets an operator redrive a failed map run.
    // A separate policy: the state machine's own ARN in its role's default policy would be a circular dependency.
    // https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
    // https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
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
    Validations.of(stateMachine.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing and CloudWatch Logs delivery (logs:*LogDelivery, added by the logs setting) support no resource-level permissions.',
      },
      ...TASKS.map((task) => ({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.functions[task].lambda.node.defaultChild as CfnResource)}.Arn>:*]`,
        reason: `grantInvoke also covers the ${task} function's versions and aliases; it is still that one function.`,
      })),
    );
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason: 'Logging ALL would write every state transition at 10,000 accounts; ERROR plus the execution history is enough, and execution data stays out because contacts are sensitive.',
    });
    return stateMachine;
  }

  private createAlarms(): Alarm[] {
    const alarm = (id: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
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

/** Writes the validated configuration into the cloud assembly once, for every function bundle to copy. */
function writeConfigFile(scope: Construct, config: EnforcerConfig): string {
  const outdir = Stage.of(scope)?.outdir ?? '.';
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, `${Names.uniqueId(scope)}.config.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}
