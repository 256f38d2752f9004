import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import type { CheckContext } from '../../preflight/checks.ts';
import { deployedChecks } from '../../preflight/deployed-checks.ts';
import type { OrganizationFacts } from '../../preflight/facts.ts';
import type { CheckResult } from '../../preflight/result.ts';

// The simulator deploys no stacks, so the deployed-stack checks are specified here against mocked CloudFormation and
// Step Functions answers, shaped as AWS returns them.
const cloudFormation = mockSdkClient(CloudFormationClient);
const sfn = mockSdkClient(SFNClient);
const config = loadConfig('config/alternate-contacts.yaml');
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111111111111:stateMachine:EnforcerStateMachineA94C0D84-abc';
const context = (overrides: Partial<CheckContext> = {}): CheckContext => ({
  config,
  configFile: 'config/alternate-contacts.yaml',
  delegated: false,
  enforcerAccountId: '111111111111',
  facts: { caller: async () => '111111111111' } as OrganizationFacts,
  ...overrides,
});

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [, check] of deployedChecks(ctx)) results.push(await check());
  return results;
}

beforeEach(() => {
  cloudFormation.reset();
  sfn.reset();
});

describe('the deployed-stack checks', () => {
  it('skip before the first deploy: CloudFormation knows no such stack', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id AlternateContactsEnforcer does not exist'), { name: 'ValidationError' }));

    const [stacks, machine] = await run(context());

    expect(stacks).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('not deployed yet') });
    expect(machine).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('the enforcer stack is not deployed') });
  });

  it('show the stack, the state machine and the last execution once deployed', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'AlternateContactsEnforcer', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE_ARN }] }],
    });
    sfn.on(DescribeStateMachineCommand).resolves({ name: 'EnforcerStateMachine', status: 'ACTIVE', stateMachineArn: STATE_MACHINE_ARN, definition: '{}', roleArn: 'arn:aws:iam::111111111111:role/r', type: 'STANDARD', creationDate: new Date() });
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ name: 'nightly-1', status: 'SUCCEEDED', executionArn: `${STATE_MACHINE_ARN}:nightly-1`, stateMachineArn: STATE_MACHINE_ARN, startDate: new Date('2026-11-24T03:00:00Z') }] });

    const [stacks, machine] = await run(context());

    expect(stacks).toMatchObject({ status: 'PASS', detail: 'found AlternateContactsEnforcer (UPDATE_COMPLETE)' });
    expect(machine).toMatchObject({ status: 'PASS', detail: expect.stringContaining('last execution nightly-1: SUCCEEDED') });
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE_ARN, maxResults: 1 });
  });

  it('warn about a failed last execution, with the command that shows why', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'AlternateContactsEnforcer', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [{ OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE_ARN }] }] });
    sfn.on(DescribeStateMachineCommand).resolves({ name: 'EnforcerStateMachine', status: 'ACTIVE', stateMachineArn: STATE_MACHINE_ARN, definition: '{}', roleArn: 'arn:aws:iam::111111111111:role/r', type: 'STANDARD', creationDate: new Date() });
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ name: 'run-2', status: 'FAILED', executionArn: `${STATE_MACHINE_ARN}:run-2`, stateMachineArn: STATE_MACHINE_ARN, startDate: new Date() }] });

    const [, machine] = await run(context());

    expect(machine).toMatchObject({ status: 'WARN', detail: expect.stringContaining(`aws stepfunctions describe-execution --execution-arn ${STATE_MACHINE_ARN}:run-2`) });
  });

  it('fail when the topology\'s stacks in this account are only partly deployed, with the deploy line for the rest', async () => {
    const withForwarder = { ...config, deployment: { ...config.deployment!, controlTowerHomeRegion: 'eu-west-1' } };
    cloudFormation.on(DescribeStacksCommand, { StackName: 'AlternateContactsEnforcer' }).resolves({ Stacks: [{ StackName: 'AlternateContactsEnforcer', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }] });
    cloudFormation.on(DescribeStacksCommand, { StackName: 'AlternateContactsEnforcerControlTowerForwarder' }).rejects(Object.assign(new Error('Stack with id AlternateContactsEnforcerControlTowerForwarder does not exist'), { name: 'ValidationError' }));

    const [stacks] = await run(context({ config: withForwarder }));

    expect(stacks).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('missing AlternateContactsEnforcerControlTowerForwarder (eu-west-1)'), fix: expect.stringContaining('npx cdk deploy AlternateContactsEnforcerControlTowerForwarder --exclusively') });
  });

  it('name the stacks that live in another account instead of reading them (delegated topology)', async () => {
    const delegated = { ...config, deployment: { ...config.deployment!, topology: 'delegated' as const, enforcerAccountId: '333333333333' } };
    cloudFormation.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'AlternateContactsEnforcer', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }] });

    const [stacks] = await run(context({ config: delegated, delegated: true, enforcerAccountId: '333333333333', facts: { caller: async () => '333333333333' } as OrganizationFacts }));

    expect(stacks).toMatchObject({ status: 'PASS', detail: expect.stringContaining('AlternateContactsEnforcerManagement is in account 111111111111: run the preflight there') });
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStacksCommand, 1);
  });
});
