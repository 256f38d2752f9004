import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#shared/aws/env';
import { ASL_FILE } from '../../infra/constructs/alternate-contacts-enforcer.ts';
import { functionArnSubstitution, TASKS, type TaskName } from '../../infra/tasks.ts';
import { buildApp, exampleConfigWith, MANAGEMENT_ACCOUNT, ORGANIZATION, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

const MANAGED_TYPES = ['SECURITY', 'BILLING', 'OPERATIONS'];
const CONTACT_TYPE_CONDITION = {
  'ForAllValues:StringEquals': { 'account:AlternateContactTypes': MANAGED_TYPES },
  Null: { 'account:AlternateContactTypes': 'false' },
};
const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}
const actionsOf = (statement: Statement) => [statement.Action].flat();

let template: Template;
beforeAll(() => {
  template = templateOf(buildApp(), STACK_IDS.enforcer);
});

/** The logical id of a task's Lambda function: EnforcerGetContactsFunction1234ABCD. */
function functionId(task: TaskName): string {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith(`Enforcer${functionArnSubstitution(task).replace('FunctionArn', '')}Function`));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** EnforcerGetContacts: the logical-id prefix of everything the task's EnforcerFunction holds. */
const constructPrefix = (task: TaskName) => functionId(task).replace(/Function[0-9A-F]{8}$/, '');

function environmentOf(task: TaskName): Record<string, unknown> {
  const fn = template.findResources('AWS::Lambda::Function')[functionId(task)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  return fn.Properties.Environment.Variables;
}

/** Statements of the identity policies attached to a task's role. */
function statementsOf(task: TaskName): Statement[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(`${constructPrefix(task)}Role`));
  expect(roles).toHaveLength(1);
  const role = roles[0];
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties?.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role })),
  );
  const statements = policies.flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
  // Every role can at least write its own logs: an empty list means the lookup went wrong, not least privilege.
  expect(statements.length).toBeGreaterThan(0);
  return statements;
}

describe('account-creation triggers', () => {
  it('starts a run on a successful Control Tower CreateManagedAccount, with the CloudTrail detail-type', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.controltower'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: { eventName: ['CreateManagedAccount'], serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } } },
      },
    });
  });

  it('starts a run on a successful Organizations CreateAccountResult', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.organizations'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: { eventName: ['CreateAccountResult'], serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } } },
      },
    });
  });

  it('leaves out each event rule the configuration switches off', () => {
    const config = exampleConfigWith((c) => {
      c.triggers = { ...c.triggers, controlTower: false, organizations: false, accountJoined: false, accountMoved: false, contactChanged: false };
    });

    const quiet = templateOf(buildApp({ config }), STACK_IDS.enforcer);

    // Only the rule that releases a dead run's claim stays: it starts no run.
    expect(Object.values(resourcesOf(quiet, 'AWS::Events::Rule')).map((rule) => (rule.Properties?.EventPattern as { source: string[] }).source)).toEqual([['aws.states']]);
  });

  it('gives each rule target retries and the dead-letter queue', () => {
    const rules = Object.values(resourcesOf(template, 'AWS::Events::Rule')).filter((rule) => !(rule.Properties?.EventPattern as { source: string[] }).source.includes('aws.states'));

    // CreateManagedAccount, CreateAccountResult, AccountJoinedOrganization, MoveAccount, the contact changes.
    expect(rules).toHaveLength(5);
    for (const rule of rules) {
      expect(rule.Properties?.Targets).toEqual([
        expect.objectContaining({
          Arn: { Ref: expect.stringMatching(/^EnforcerStateMachine/) },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^EnforcerTriggerDeadLetterQueue/), 'Arn'] } },
        }),
      ]);
    }
  });
});

describe('nightly schedule', () => {
  it('starts a run on the configured schedule with retries and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Target: {
        Arn: { Ref: Match.stringLikeRegexp('^EnforcerStateMachine') },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerTriggerDeadLetterQueue'), 'Arn'] } },
      },
    });
  });

  it('passes the scheduled-event shape, with the execution id as a stable id', () => {
    const [schedule] = Object.values(resourcesOf(template, 'AWS::Scheduler::Schedule'));

    const input: unknown = JSON.parse((schedule?.Properties?.Target as { Input: string }).Input);

    expect(input).toEqual({
      version: '0',
      id: '<aws.scheduler.execution-id>',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      time: '<aws.scheduler.scheduled-time>',
      resources: ['<aws.scheduler.schedule-arn>'],
      detail: {},
    });
  });
});

describe('state machine', () => {
  it('has a substitution for every ${...} in the ASL file, and no other', () => {
    const placeholders = new Set([...readFileSync(ASL_FILE, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
    const [stateMachine] = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'));

    const substitutions = Object.keys(stateMachine?.Properties?.DefinitionSubstitutions as object);

    expect(new Set(substitutions)).toEqual(placeholders);
  });

  it('substitutes each task with its own function', () => {
    const expected = Object.fromEntries(TASKS.map((task) => [functionArnSubstitution(task), { 'Fn::GetAtt': [functionId(task), 'Arn'] }]));

    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionSubstitutions: Match.objectLike(expected) });
  });

  it('gives the management branch a placeholder role in the single topology, where the branch is never taken', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: Match.objectLike({
        ManagementAccountRoleArn: partitionArn(`:iam::${MANAGEMENT_ACCOUNT}:role/no-management-role-in-single-account-topology`),
      }),
    });
  });

  it('is a traced STANDARD state machine that logs errors without execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false, Destinations: Match.anyValue() },
    });
  });

  it('logs to a vended log group that a failed first deploy removes, named after this very stack, so a retry never collides', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      // RETAIN_ON_UPDATE_OR_DELETE: kept when the stack is deleted, deleted when its creation rolls back.
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        LogGroupName: {
          'Fn::Join': [
            '',
            [
              Match.stringLikeRegexp('^/aws/vendedlogs/states/.+-$'),
              { 'Fn::Select': [4, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] },
            ],
          ],
        },
      },
    });
  });

  it('may start its own Distributed Map children, describe or stop its executions as AWS documents, and redrive its map runs', () => {
    const executions = (suffix: string) => ({
      'Fn::Join': ['', [Match.stringLikeRegexp('^arn:'), Match.anyValue(), `:states:us-east-1:${MANAGEMENT_ACCOUNT}:execution:`, { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerStateMachine'), 'Name'] }, suffix]],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: Match.stringLikeRegexp('^EnforcerStateMachine') } },
          // https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
          { Effect: 'Allow', Action: ['states:DescribeExecution', 'states:StopExecution'], Resource: executions(':*') },
          { Effect: 'Allow', Action: 'states:RedriveExecution', Resource: executions('/*') },
        ],
      },
    });
  });

  it('may invoke every task function', () => {
    const invokable = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource));

    for (const task of TASKS) expect(invokable).toContain(JSON.stringify({ 'Fn::GetAtt': [functionId(task), 'Arn'] }));
  });
});

describe('least privilege', () => {
  it('lets get-contacts read only the managed contact types, of member accounts and of its own account', () => {
    expect(statementsOf('get-contacts')).toContainEqual({
      Effect: 'Allow',
      Action: 'account:GetAlternateContact',
      Resource: [partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account/${ORGANIZATION}/*`), partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account`)],
      Condition: CONTACT_TYPE_CONDITION,
    });
  });

  it('lets put-contacts write only the managed contact types, of member accounts and of its own account', () => {
    expect(statementsOf('put-contacts')).toContainEqual({
      Effect: 'Allow',
      Action: 'account:PutAlternateContact',
      Resource: [partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account/${ORGANIZATION}/*`), partitionArn(`:account::${MANAGEMENT_ACCOUNT}:account`)],
      Condition: CONTACT_TYPE_CONDITION,
    });
  });

  it('limits the contact types to those the configuration manages', () => {
    const config = exampleConfigWith((c) => {
      c.contacts = { SECURITY: c.contacts.SECURITY };
      c.overrides = {};
    });

    const securityOnly = templateOf(buildApp({ config }), STACK_IDS.enforcer);

    securityOnly.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'account:PutAlternateContact', Condition: Match.objectLike({ 'ForAllValues:StringEquals': { 'account:AlternateContactTypes': ['SECURITY'] } }) }),
        ]),
      },
    });
  });

  it('gives the Account API only to get-contacts and put-contacts', () => {
    const holders = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).some((action) => action.startsWith('account:'))));

    expect(holders).toEqual(['get-contacts', 'put-contacts']);
  });

  it('lets no function assume a role in the single topology', () => {
    const assumers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('sts:AssumeRole')));

    expect(assumers).toEqual([]);
  });

  it('lets list-accounts read this organization only: its root, OU and account ARNs wherever IAM takes a resource', () => {
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
    const organizationArn = (kind: string) => partitionArn(`:organizations::${MANAGEMENT_ACCOUNT}:${kind}/${ORGANIZATION}/*`);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerListAccountsRole') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['organizations:DescribeOrganization', 'organizations:ListRoots'], Resource: '*' },
          { Effect: 'Allow', Action: 'organizations:DescribeAccount', Resource: organizationArn('account') },
          {
            Effect: 'Allow',
            Action: ['organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent'],
            Resource: [organizationArn('root'), organizationArn('ou')],
          },
          { Effect: 'Allow', Action: 'organizations:ListParents', Resource: [organizationArn('account'), organizationArn('ou')] },
        ],
      },
    });
  });

  it('lets resolve-targets look up a new account\'s parent, and nothing else of the organization', () => {
    const organizationsActions = statementsOf('resolve-targets').flatMap(actionsOf).filter((action) => action.startsWith('organizations:'));

    expect(organizationsActions).toEqual(['organizations:ListParents']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerResolveTargetsRole') }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'organizations:ListParents',
            Resource: [`account`, `ou`].map((kind) => partitionArn(`:organizations::${MANAGEMENT_ACCOUNT}:${kind}/${ORGANIZATION}/*`)),
          },
        ],
      },
    });
  });

  it('gives the Slack secret to the report function alone', () => {
    const readers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue')));

    expect(readers).toEqual(['report']);
  });

  it('gives the report topic to the report function alone', () => {
    const publishers = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('sns:Publish')));

    expect(publishers).toEqual(['report']);
  });

  it('gives each table only to the functions whose code uses it', () => {
    const holders = (variable: string) => TASKS.filter((task) => variable in environmentOf(task));

    expect(holders(ENV.RUN_TABLE)).toEqual(['list-accounts', 'load-chunk', 'record-result', 'report']);
    expect(holders(ENV.IDEMPOTENCY_TABLE)).toEqual(['resolve-targets', 'report', 'release-claim']);
  });

  it('lets load-chunk only read the run table', () => {
    const dynamodbActions = statementsOf('load-chunk').flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));

    expect(dynamodbActions.length).toBeGreaterThan(0);
    expect(dynamodbActions.filter((action) => /Put|Update|Delete|Write/.test(action))).toEqual([]);
  });
});

describe('functions', () => {
  it('run Node.js 24 on ARM with active tracing, source maps and the bundled configuration', () => {
    for (const task of TASKS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp(`^${constructPrefix(task)}Logs`) } },
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: 'alternate-contacts-enforcer',
            NODE_OPTIONS: '--enable-source-maps',
            [ENV.CONFIG_FILE]: '/var/task/enforcer-config.json',
            [ENV.ENFORCER_ACCOUNT_ID]: MANAGEMENT_ACCOUNT,
          }),
        },
      });
    }
  });

  it('give the organization-wide tasks time for 10,000 accounts', () => {
    const timeoutOf = (task: TaskName) => (template.findResources('AWS::Lambda::Function')[functionId(task)] as { Properties: { Timeout: number } }).Properties.Timeout;

    expect(timeoutOf('list-accounts')).toBe(900);
    expect(timeoutOf('report')).toBe(300);
    expect(timeoutOf('get-contacts')).toBe(60);
  });

  it('keep their logs for a bounded time', () => {
    const logGroups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));

    // One per task, the state machine's, and the deploy-time custom resources' provider's.
    expect(logGroups.length).toBe(TASKS.length + 2);
    for (const logGroup of logGroups) expect(logGroup.Properties?.RetentionInDays).toBe(90);
  });

  it.each(TASKS)('%s gets every environment variable its code requires at load', async (task) => {
    const { metafile } = await build({ entryPoints: [`tasks/${task}.ts`], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    const required = Object.keys(metafile.inputs)
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/requiredEnv\(ENV\.(\w+)\)/g)])
      .map((match) => ENV[match[1] as keyof typeof ENV]);

    expect(Object.keys(environmentOf(task))).toEqual(expect.arrayContaining(required));
  });
});

describe('storage and encryption', () => {
  it('keeps idempotency records in the table shape Powertools expects', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('keeps runs in an encrypted, point-in-time-recoverable table keyed by run and item', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'runId', KeyType: 'HASH' },
        { AttributeName: 'item', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('encrypts the report topic with its own rotating key and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerReportTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('subscribes the configured e-mail addresses to the report', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'cloud-platform@example.com' });
  });

  it('encrypts the dead-letter queue and refuses access without TLS', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('creates the Slack webhook secret with the configured name and no value in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'alternate-contacts/slack-webhook',
      SecretString: Match.absent(),
      GenerateSecretString: Match.absent(),
    });
  });

  it('uses an existing Slack webhook secret by name when told to', () => {
    const existing = templateOf(buildApp({ slackWebhookSecret: 'existing' }), STACK_IDS.enforcer);

    existing.resourceCountIs('AWS::SecretsManager::Secret', 0);
    existing.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.SLACK_SECRET_NAME]: 'alternate-contacts/slack-webhook' }) },
    });
  });

  describe('encrypted with a customer managed key (notifications.slackWebhookSecretKmsKeyArn)', () => {
    const KEY_ARN = `arn:aws:kms:us-east-1:${MANAGEMENT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const withKey = () =>
      exampleConfigWith((c) => {
        c.notifications = { ...c.notifications, slackWebhookSecretKmsKeyArn: KEY_ARN };
      });
    // Secrets Manager decrypts on the caller's behalf: kms:Decrypt through Secrets Manager only.
    const decryptThroughSecretsManager = Match.objectLike({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:ViaService': Match.stringLikeRegexp('^secretsmanager\\.') } },
    });

    it('lets the report function decrypt an existing secret with that key, through Secrets Manager only', () => {
      const existing = templateOf(buildApp({ config: withKey(), slackWebhookSecret: 'existing' }), STACK_IDS.enforcer);

      existing.resourceCountIs('AWS::SecretsManager::Secret', 0);
      existing.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerReportRole') }],
        PolicyDocument: { Statement: Match.arrayWith([decryptThroughSecretsManager]) },
      });
    });

    it('creates the secret encrypted with that key, and the report function may decrypt it', () => {
      const created = templateOf(buildApp({ config: withKey() }), STACK_IDS.enforcer);

      created.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'alternate-contacts/slack-webhook', KmsKeyId: KEY_ARN });
      created.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^EnforcerReportRole') }],
        PolicyDocument: { Statement: Match.arrayWith([decryptThroughSecretsManager]) },
      });
    });

    it('refuses a key ARN that is not one, naming the field', () => {
      const config = exampleConfigWith((c) => {
        c.notifications = { ...c.notifications, slackWebhookSecretKmsKeyArn: 'alias/slack' };
      });

      expect(() => buildApp({ config })).toThrow(/notifications\.slackWebhookSecretKmsKeyArn: must be a KMS key ARN/);
    });

    it('grants no KMS key to any function when the secret uses Secrets Manager\'s own key', () => {
      const decrypters = TASKS.filter((task) => statementsOf(task).some((statement) => actionsOf(statement).includes('kms:Decrypt')));

      expect(decrypters).toEqual(['report']); // the report topic's key, for publishing
    });
  });
});

describe('alarms', () => {
  const topicAction = [{ Ref: Match.stringLikeRegexp('^EnforcerReportTopic') }];

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionThrottled'])('notifies the topic on %s', (metricName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metricName,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: topicAction,
    });
  });

  it('notifies the topic when a run leaves any account failed', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AlternateContactsEnforcer',
      MetricName: 'FailedAccounts',
      Dimensions: Match.absent(),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: topicAction,
    });
  });

  it('notifies the topic as soon as a trigger waits in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerTriggerDeadLetterQueue'), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: topicAction,
    });
  });

  it('lets CloudWatch, and only from this account, publish to the encrypted topic with the key actions AWS documents', () => {
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': MANAGEMENT_ACCOUNT } };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: fromThisAccount })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: fromThisAccount }),
        ]),
      },
    });
  });
});

describe('Organizations setup (single topology)', () => {
  const call = (action: string) => Match.serializedJson(Match.objectLike({ service: 'Organizations', action, region: 'us-east-1' }));

  it('enables trusted access for account.amazonaws.com through the us-east-1 endpoint on create and on update', () => {
    template.hasResourceProperties('Custom::AWS', { Create: call('enableAWSServiceAccess'), Update: call('enableAWSServiceAccess') });
    template.hasResourceProperties('Custom::AWS', { Create: Match.serializedJson(Match.objectLike({ parameters: { ServicePrincipal: 'account.amazonaws.com' } })) });
  });

  it('registers no delegated administrator', () => {
    expect(template.findResources('Custom::AWS', { Properties: { Create: call('registerDelegatedAdministrator') } })).toEqual({});
  });

  it('is left out when the configuration turns setupTrustedAccess off', () => {
    const config = exampleConfigWith((c) => {
      c.deployment = { ...c.deployment!, setupTrustedAccess: false };
    });

    const manual = templateOf(buildApp({ config }), STACK_IDS.enforcer);

    // The deploy-time run and the root lookup remain; no call changes the organization.
    expect(JSON.stringify(manual.findResources('Custom::AWS'))).not.toMatch(/enableAWSServiceAccess|registerDelegatedAdministrator/);
  });
});

describe('next steps', () => {
  it('prints the state machine, the console, the first audit run and the secret to fill', () => {
    const outputs = template.findOutputs('*');

    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['StateMachineArn', 'ConsoleUrl', 'FirstAuditRun', 'SlackWebhookSecretToFill']));
    expect(JSON.stringify(outputs.FirstAuditRun)).toContain('aws stepfunctions start-execution');
    expect(JSON.stringify(outputs.FirstAuditRun)).toContain(`--input '{\\"dryRun\\": true}'`);
    expect(JSON.stringify(outputs.SlackWebhookSecretToFill)).toContain('put-secret-value --region us-east-1 --secret-id alternate-contacts/slack-webhook');
  });
});
