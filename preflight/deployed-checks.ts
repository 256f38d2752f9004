import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { DescribeStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { EnforcerConfig } from '#shared/rules/config';
import { HOME_REGION, STACK_IDS } from '../infra/names.ts';
import type { CheckContext } from './check-context.ts';
import { type CheckResult, fail, pass, skipped, warn } from './result.ts';

/** Once deployed: the stacks in the caller's account, the state machine and its last execution. */
export function deployedChecks(context: CheckContext): [string, () => Promise<CheckResult>][] {
  const { config, facts: { caller } } = context;
  const region = { region: HOME_REGION };
  let enforcerStack: Stack | undefined;
  return [
    ['deployed-stacks', async () => {
      const self = await caller();
      const stacks = expectedStacks(config);
      const mine = stacks.filter((s) => s.account === self);
      const found: string[] = [];
      const missing: typeof mine = [];
      for (const stack of mine) {
        const described = await describeStack(stack.id, stack.region);
        if (described) found.push(`${stack.id} (${described.StackStatus})`);
        else missing.push(stack);
        if (stack.id === STACK_IDS.enforcer) enforcerStack = described;
      }
      const elsewhere = stacks.filter((s) => s.account !== self).map((s) => `${s.id} is in account ${s.account}: run the preflight there`);
      if (found.length === 0) return skipped('deployed-stacks', `not deployed yet: none of ${mine.map((s) => s.id).join(', ')} exists in ${self}${elsewhere.length ? `; ${elsewhere.join('; ')}` : ''}`);
      if (missing.length > 0) {
        return fail('deployed-stacks', `found ${found.join(', ')}; missing ${missing.map((s) => `${s.id} (${s.region})`).join(', ')}`, `npx cdk deploy ${missing.map((s) => s.id).join(' ')} --exclusively (see the README's Deploy section for your topology)`);
      }
      return pass('deployed-stacks', `found ${found.join(', ')}${elsewhere.length ? `; ${elsewhere.join('; ')}` : ''}`);
    }],
    ['state-machine', async () => {
      const arn = enforcerStack?.Outputs?.find((o) => o.OutputKey === 'StateMachineArn')?.OutputValue;
      if (!arn) return skipped('state-machine', 'the enforcer stack is not deployed in this account, or has no StateMachineArn output');
      const sfn = new SFNClient(region);
      const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }));
      sfn.destroy();
      const last = executions[0];
      const lastText = last ? `last execution ${last.name}: ${last.status} (started ${last.startDate?.toISOString()})` : 'no execution yet';
      if (last && ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(last.status ?? '')) {
        return warn('state-machine', `${machine.name} is ${machine.status}; ${lastText}: aws stepfunctions describe-execution --execution-arn ${last.executionArn}`);
      }
      return pass('state-machine', `${machine.name} is ${machine.status}; ${lastText}`);
    }],
  ];
}

export async function describeStack(stackName: string, region: string): Promise<Stack | undefined> {
  const cloudFormation = new CloudFormationClient({ region });
  try {
    const { Stacks: [stack] = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return stack;
  } catch (error) {
    // CloudFormation answers a stack that does not exist with a ValidationError.
    if (error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
  finally {
    cloudFormation.destroy();
  }
}

/** The stacks the configured topology deploys, each with its account and Region (as infra/enforcer-app.ts builds them). */
export function expectedStacks(config: EnforcerConfig): { id: string; account: string; region: string }[] {
  const deployment = config.deployment;
  if (!deployment) return [];
  const management = deployment.managementAccountId;
  const delegated = deployment.topology === 'delegated' ? deployment.enforcerAccountId : undefined;
  return [
    { id: STACK_IDS.enforcer, account: delegated ?? management, region: HOME_REGION },
    ...(delegated ? [{ id: STACK_IDS.management, account: management, region: HOME_REGION }] : []),
    ...(config.triggers.controlTower && deployment.controlTowerHomeRegion !== HOME_REGION
      ? [{ id: STACK_IDS.controlTowerForwarder, account: management, region: deployment.controlTowerHomeRegion }]
      : []),
  ];
}

