import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ASL_FILE } from '../../infra/constructs/enforcer-workflow.ts';
import { functionArnSubstitution, TASKS } from '../../infra/tasks.ts';
import { actionsOf, enforcerTemplate, functionId, partitionArn, type Statement } from './enforcer-template.ts';
import { MANAGEMENT_ACCOUNT, resourcesOf } from './synth.ts';

const template = enforcerTemplate();

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
});
