import { type Call, requiredInput, type Service, type Sim, SimError, unknownOperation } from './service.ts';

/**
 * AWS CloudFormation (awsQuery), as far as the preflight reads it:
 * - ListStackSets: AWS Control Tower's own stack sets (AWSControlTowerBP-...) live in its home Region only;
 * - DescribeStacks: the CDK bootstrap stack, CDKToolkit, where the state has one for the caller's account and the
 *   Region signed for, with the BootstrapVersion output `cdk bootstrap` gives it; the simulator deploys no other
 *   stacks, so every other stack is answered the way AWS answers a missing one.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackSets.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 * https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 */

const BOOTSTRAP_STACK = 'CDKToolkit';

// Stack sets Control Tower creates in the management account's home Region (landing zone 3.0 and later no longer
// deploy BP_BASELINE_CLOUDTRAIL). https://docs.aws.amazon.com/controltower/latest/userguide/how-control-tower-works.html
const CONTROL_TOWER_STACK_SETS = ['AWSControlTowerBP-BASELINE-CONFIG', 'AWSControlTowerBP-BASELINE-ROLES', 'AWSControlTowerBP-BASELINE-SERVICE-ROLES'];

export function cloudFormationService(sim: Sim): Service {
  function listStackSets(call: Call) {
    const inHomeRegion = call.caller.accountId === sim.state.managementAccountId && sim.state.controlTower?.homeRegion === call.region;
    const summaries = (inHomeRegion ? CONTROL_TOWER_STACK_SETS : []).map((name) => ({
      StackSetName: name,
      StackSetId: `${name}:00000000-0000-4000-8000-000000000000`,
      Status: 'ACTIVE',
      PermissionModel: 'SELF_MANAGED',
    }));
    return { Summaries: summaries };
  }

  function describeStacks(call: Call) {
    const name = requiredInput(call, 'StackName');
    const bootstrap = name === BOOTSTRAP_STACK ? sim.state.cdkBootstrap?.find((b) => b.accountId === call.caller.accountId && b.region === call.region) : undefined;
    if (!bootstrap) throw new SimError('ValidationError', `Stack with id ${name} does not exist`);
    const stackId = `arn:aws:cloudformation:${call.region}:${call.caller.accountId}:stack/${BOOTSTRAP_STACK}/00000000-0000-4000-8000-000000000000`;
    return {
      Stacks: [{ StackName: BOOTSTRAP_STACK, StackId: stackId, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(sim.now()).toISOString(), Outputs: [{ OutputKey: 'BootstrapVersion', OutputValue: String(bootstrap.version) }] }],
    };
  }

  return {
    protocol: 'awsQuery',
    handle: (op, call) => {
      if (op === 'ListStackSets') return listStackSets(call);
      if (op === 'DescribeStacks') return describeStacks(call);
      throw unknownOperation(op);
    },
  };
}
