import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { enforcerTemplate } from './enforcer-template.ts';
import { buildApp, exampleConfigWith, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

// EnforcerTriggers: the account-creation rules, the schedule and their dead-letter queue. The change rules, the
// forwarding and the deploy-time run are in triggers.test.ts.

const template = enforcerTemplate();

describe('account-creation triggers', () => {
  it.each([
    ['Control Tower', 'CreateManagedAccount', 'aws.controltower', 'createManagedAccountStatus'],
    ['Organizations', 'CreateAccountResult', 'aws.organizations', 'createAccountStatus'],
  ])('starts a run on a successful %s %s, with the CloudTrail detail-type', (_service, eventName, source, status) => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: [source],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: { eventName: [eventName], serviceEventDetails: { [status]: { state: ['SUCCEEDED'] } } },
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

describe('dead-letter queue', () => {
  const topicAction = [{ Ref: Match.stringLikeRegexp('^EnforcerReportTopic') }];

  it('encrypts the dead-letter queue and refuses access without TLS', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
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
});
