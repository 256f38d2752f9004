import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import { SERVICE_PRINCIPALS } from '../../infra/names.ts';
import { MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from '../../local-run/scenario.ts';
import type { SimState } from '../../simulator/index.ts';
import { type PreflightHarness, preflightHarness } from '../preflight/harness.ts';
import { buildApp, DELEGATED, flat } from './synth.ts';

/**
 * Every organization-level prerequisite that a synthesized template depends on has a preflight check that FAILs,
 * with its fix, when that prerequisite is missing from the simulated organization. The templates of both topologies
 * (with a Control Tower home Region elsewhere, so the forwarder is in) are walked resource by resource: a resource
 * type or custom-resource call this walk does not know fails the test until someone decides what it needs.
 */

type Json = Record<string, any>;

/** A prerequisite found in a template: the preflight check that must find it missing, and how to take it away. */
interface Prerequisite {
  readonly what: string;
  readonly check: string;
  readonly remove: (state: SimState) => void;
}

// Resource types that need nothing of the organization: they live in the stack's own account and Region.
const ACCOUNT_LOCAL = new Set([
  'AWS::CDK::Metadata', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard', 'AWS::DynamoDB::Table', 'AWS::Events::EventBus',
  'AWS::Events::EventBusPolicy', 'AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::Lambda::Function', 'AWS::Lambda::Permission', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy', 'AWS::SNS::Subscription', 'AWS::SNS::Topic', 'AWS::SNS::TopicPolicy', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy',
  'AWS::Scheduler::Schedule', 'AWS::SecretsManager::Secret', 'AWS::StepFunctions::StateMachine',
]);

const trustedAccessOff = (principal: string): Prerequisite['remove'] =>
  principal === SERVICE_PRINCIPALS.account ? (s) => void (s.trustedAccess = false) : principal === SERVICE_PRINCIPALS.stackSets ? (s) => void (s.stackSetsTrustedAccess = false) : () => {
    throw new Error(`no simulated trusted access for ${principal}`);
  };


function prerequisitesOf(stack: Stack, delegated: boolean): Prerequisite[] {
  const { Resources } = Template.fromStack(stack).toJSON() as { Resources: Record<string, Json> };
  const found: Prerequisite[] = [
    {
      what: `${stack.stackName} deploys through the CDK bootstrap of aws://${stack.account}/${stack.region}`,
      check: 'cdk-bootstrap',
      remove: (s) => void (s.cdkBootstrap = s.cdkBootstrap?.filter((b) => !(b.accountId === stack.account && b.region === stack.region))),
    },
  ];
  for (const [id, resource] of Object.entries(Resources)) {
    const where = `${stack.stackName}/${id}`;
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::CloudFormation::StackSet':
        expect(props.PermissionModel, where).toBe('SERVICE_MANAGED');
        found.push({ what: `${where}: a SERVICE_MANAGED StackSet`, check: 'trusted-access', remove: trustedAccessOff(SERVICE_PRINCIPALS.stackSets) });
        break;
      case 'Custom::AWS': {
        const call = JSON.parse(flat(props.Create ?? props.Update)) as Json;
        const name = `${call.service}.${call.action}`;
        if (name === 'Organizations.enableAWSServiceAccess') found.push({ what: `${where}: ${name} ${call.parameters.ServicePrincipal}`, check: 'trusted-access', remove: trustedAccessOff(call.parameters.ServicePrincipal) });
        else if (name === 'CloudFormation.activateOrganizationsAccess') found.push({ what: `${where}: ${name}`, check: 'trusted-access', remove: trustedAccessOff(SERVICE_PRINCIPALS.stackSets) });
        else if (name === 'Organizations.registerDelegatedAdministrator') {
          found.push({ what: `${where}: ${name} ${call.parameters.AccountId}`, check: 'delegated-admin', remove: (s) => void (s.delegatedAdministrators = []) });
        } else if (name === 'Organizations.listRoots') found.push({ what: `${where}: ${name}, which needs an organization with all features`, check: 'all-features', remove: (s) => void (s.featureSet = 'CONSOLIDATED_BILLING') });
        // The stack's own state machine: no organization-level prerequisite.
        else if (name !== 'SFN.startExecution') throw new Error(`${where} calls ${name}: decide which preflight check covers it, and add it here`);
        break;
      }
      case 'AWS::Events::Rule':
        if (JSON.stringify(props.EventPattern?.source).includes('aws.controltower')) {
          found.push({ what: `${where}: Control Tower's events, emitted only in its home Region`, check: 'control-tower-region', remove: (s) => void (s.controlTower = { homeRegion: 'ap-southeast-2' }) });
        }
        break;
      case 'AWS::IAM::Policy':
        if (/account:(Get|Put|Delete)AlternateContact/.test(JSON.stringify(props)) && /:account\/o-/.test(flat(JSON.stringify(props)))) {
          found.push({ what: `${where}: the Account API in organization context`, check: 'trusted-access', remove: trustedAccessOff(SERVICE_PRINCIPALS.account) });
          if (delegated) found.push({ what: `${where}: the Account API from a delegated administrator`, check: 'delegated-admin', remove: (s) => void (s.delegatedAdministrators = []) });
        }
        break;
      default:
        if (!ACCOUNT_LOCAL.has(resource.Type)) throw new Error(`${where} is a ${resource.Type}: decide whether it needs an organization-level prerequisite and a preflight check`);
    }
  }
  return found;
}

/** The context that synthesizes the example configuration with these deployment settings, and the preflight's config. */
function example(deployment: Record<string, string>): [Record<string, unknown>, EnforcerConfig] {
  const config = loadConfig('config/alternate-contacts.yaml');
  return [deployment, { ...config, deployment: { ...config.deployment!, ...deployment } }];
}

// Control Tower's home Region elsewhere, so the forwarder stack and its Region are in the templates too (the same
// contexts as the README's deploy lines, so a worker that synthesized them for readme-deploy does not again).
const topologies: [string, Record<string, unknown>, EnforcerConfig, string][] = [
  ['single', ...example({ controlTowerHomeRegion: 'eu-west-1' }), MANAGEMENT_ACCOUNT_ID],
  ['delegated', ...example({ ...DELEGATED, controlTowerHomeRegion: 'eu-west-1' }), SECURITY_ACCOUNT_ID],
];

describe.each(topologies)('every organization-level prerequisite of the %s topology\'s templates', (topology, context, config, caller) => {
  let preflight: PreflightHarness | undefined;
  const environment = { ...process.env };
  afterAll(async () => {
    await preflight?.close();
    // The harness points the SDK at the simulator through the environment; later files in this worker spawn the CDK CLI.
    for (const key of Object.keys(process.env)) if (!(key in environment)) delete process.env[key];
    Object.assign(process.env, environment);
  });

  const app = buildApp(context);
  const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
  const prerequisites = stacks.flatMap((stack) => prerequisitesOf(stack, topology === 'delegated').map((p) => ({ ...p, account: stack.account })));

  it('are found: the StackSet\'s trusted access, the Account API\'s, the bootstrap of every stack, and the rest', () => {
    expect(new Set(prerequisites.map((p) => p.check))).toEqual(
      new Set(['cdk-bootstrap', 'trusted-access', 'all-features', 'control-tower-region', ...(topology === 'delegated' ? ['delegated-admin'] : [])]),
    );
  });

  it.each(prerequisites.map((p) => [p.what, p] as const))('%s: FAIL in its check, with the fix, when missing', async (_what, prerequisite) => {
    preflight ??= await preflightHarness(config);
    const controlTowerFromElsewhere = prerequisite.check === 'control-tower-region' && caller !== MANAGEMENT_ACCOUNT_ID;
    const bootstrapOfAnotherAccount = prerequisite.check === 'cdk-bootstrap' && prerequisite.account !== caller;

    const result = await preflight.runCheck(prerequisite.check, (state) => {
      // Control Tower's home Region is configured as eu-west-1 here: the organization's landing zone agrees until removed.
      state.controlTower = { homeRegion: 'eu-west-1' };
      prerequisite.remove(state);
    });

    if (controlTowerFromElsewhere) {
      // Control Tower's stack sets can be read only from the management account: the line says to run it there.
      expect(result).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('run the preflight there') });
    } else if (bootstrapOfAnotherAccount) {
      expect(result.detail).toContain('belong to another account: checked when the preflight runs with its credentials');
    } else {
      expect(result.status, result.detail).toBe('FAIL');
      expect(result.fix, result.detail).toBeTruthy();
    }
  });
});
