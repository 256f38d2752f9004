import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CLAIM_SECONDS, EXPRESS_EXECUTION_SECONDS, MAX_ORGANIZATION_ACCOUNTS, RUN_TIMEOUT_SECONDS } from '#shared/rules/run-limits';
import { ACCOUNT_API_QUOTAS } from '#shared/rules/pacing';
import { allStates, readDefinition } from '../../local-run/engine.ts';
import { TASK_TIMEOUT_SECONDS } from '../../infra/tasks.ts';
import { buildApp, resourcesOf, STACK_IDS, templateOf } from './synth.ts';

const definition = readDefinition();
const template = () => templateOf(buildApp(), STACK_IDS.enforcer);

describe('how long a run may last, and what ends it', () => {
  it('gives the parent execution twice the quota floor of a first run of the largest organization', () => {
    const putsFloor = (MAX_ORGANIZATION_ACCOUNTS * 3) / ACCOUNT_API_QUOTAS.PutAlternateContact.perSecond;
    const getsFloor = (MAX_ORGANIZATION_ACCOUNTS * 3) / ACCOUNT_API_QUOTAS.GetAlternateContact.perSecond;

    expect(RUN_TIMEOUT_SECONDS).toBe(2 * Math.max(putsFloor, getsFloor));
    expect(definition.TimeoutSeconds).toBe(RUN_TIMEOUT_SECONDS);
  });

  it('keeps a claim longer than any run that holds it', () => {
    expect(CLAIM_SECONDS).toBeGreaterThan(RUN_TIMEOUT_SECONDS);
  });

  it('leaves the Express children to their own 5-minute limit, longer than any one task of theirs lasts', () => {
    const child = definition.States['ReconcileAccounts']!.ItemProcessor!;
    const childTasks = allStates(child).filter(([, state]) => state.Type === 'Task');

    expect(child.ProcessorConfig?.ExecutionType).toBe('EXPRESS');
    for (const [name] of childTasks) expect(name in definition.States, name).toBe(false);
    expect(Math.max(TASK_TIMEOUT_SECONDS['get-contacts'], TASK_TIMEOUT_SECONDS['put-contacts'], TASK_TIMEOUT_SECONDS['record-result'])).toBeLessThan(EXPRESS_EXECUTION_SECONDS);
  });

  it("retries every Lambda task on AWS's recommended Lambda errors, Lambda.ClientExecutionTimeoutException among them", () => {
    // https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
    const recommended = ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'];
    for (const [name, state] of allStates(definition).filter(([, s]) => s.Type === 'Task')) {
      const retried = state.Retry?.flatMap((retry) => retry.ErrorEquals) ?? [];
      expect(retried, name).toEqual(expect.arrayContaining(recommended));
    }
  });

  it('deploys each function with the timeout the local engine holds its task to', () => {
    const timeouts = Object.values(resourcesOf(template(), 'AWS::Lambda::Function')).map((fn) => (fn.Properties as { Timeout?: number }).Timeout);

    for (const timeout of Object.values(TASK_TIMEOUT_SECONDS)) expect(timeouts).toContain(timeout);
  });

  it('hands every execution that fails, times out or is aborted to release-claim', () => {
    template().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [Match.anyValue()], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
      Targets: [Match.objectLike({ Arn: Match.anyValue(), DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });
});
