import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { exitCodeOf, formatResults } from '../../preflight/command.ts';
import { MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from '../../local-run/scenario.ts';
import type { SimState } from '../../simulator/index.ts';
import { CONFIG_FILE, type PreflightHarness, preflightHarness, READ_ONLY_CALL, resultOf } from './harness.ts';

// The organization-level prerequisites the templates depend on: each FAILs, on the simulated organization, with the
// exact fix. test/infra/prerequisites.test.ts keeps the list complete against the synthesized templates.
const config = loadConfig(CONFIG_FILE);
const delegatedConfig = { ...config, deployment: { ...config.deployment!, topology: 'delegated' as const, enforcerAccountId: SECURITY_ACCOUNT_ID } };
let preflight: PreflightHarness;

beforeAll(async () => {
  preflight = await preflightHarness(config);
});
afterAll(() => preflight.close());

const withoutBootstrap = (region: string) => (state: SimState) => void (state.cdkBootstrap = state.cdkBootstrap?.filter((b) => !(b.accountId === MANAGEMENT_ACCOUNT_ID && b.region === region)));

describe('trusted access for every service principal the templates need', () => {
  it('passes for account.amazonaws.com and CloudFormation StackSets when both are enabled', async () => {
    const result = await preflight.runCheck('trusted-access');

    expect(result).toMatchObject({ status: 'PASS', detail: 'trusted access is enabled for account.amazonaws.com and member.org.stacksets.cloudformation.amazonaws.com' });
  });

  it('an organization without StackSets access: FAIL, naming the StackSet that would roll back, with the activation command', async () => {
    const results = await preflight.run((state) => void (state.stackSetsTrustedAccess = false));

    const result = resultOf(results, 'trusted-access');
    expect(result.status).toBe('FAIL');
    expect(result.detail).toBe('trusted access for member.org.stacksets.cloudformation.amazonaws.com is not enabled: the contact-change forwarding StackSet (SERVICE_MANAGED) fails to create and the stack rolls back');
    expect(result.fix).toMatch(/^aws cloudformation activate-organizations-access --region us-east-1 \(management account/);
    expect(exitCodeOf(results)).toBe(1);
    expect(formatResults(results)).toContain(`fix: ${result.fix}`);
  });

  it('both off: FAIL naming both, each with its own command', async () => {
    const result = await preflight.runCheck('trusted-access', (state) => Object.assign(state, { trustedAccess: false, stackSetsTrustedAccess: false }));

    expect(result.status).toBe('FAIL');
    expect(result.fix).toContain('aws organizations enable-aws-service-access --service-principal account.amazonaws.com; aws cloudformation activate-organizations-access');
  });

  it('needs no StackSets access when triggers.contactChanged is off, since no StackSet is deployed', async () => {
    const result = await preflight.runCheck('trusted-access', (state) => void (state.stackSetsTrustedAccess = false), { ...config, triggers: { ...config.triggers, contactChanged: false } });

    expect(result).toMatchObject({ status: 'PASS', detail: 'trusted access is enabled for account.amazonaws.com' });
  });
});

describe('the CDK bootstrap of each account and Region a deploy line targets', () => {
  it('passes, reading only the bootstrap stack, with the version found', async () => {
    preflight.simulator.resetStats();

    const result = await preflight.runCheck('cdk-bootstrap');

    expect(result).toMatchObject({ status: 'PASS', detail: `bootstrapped: aws://${MANAGEMENT_ACCOUNT_ID}/us-east-1 (version 30)` });
    expect(Object.keys(preflight.simulator.stats().calls).filter((call) => !READ_ONLY_CALL.test(call))).toEqual([]);
  });

  it('an account not bootstrapped in us-east-1: FAIL with the bootstrap command', async () => {
    const result = await preflight.runCheck('cdk-bootstrap', withoutBootstrap('us-east-1'));

    expect(result).toMatchObject({ status: 'FAIL', detail: `aws://${MANAGEMENT_ACCOUNT_ID}/us-east-1 is not bootstrapped (no CDKToolkit stack)` });
    expect(result.fix).toMatch(new RegExp(`^npx cdk bootstrap aws://${MANAGEMENT_ACCOUNT_ID}/us-east-1 `));
  });

  it('a bootstrap older than the templates\' CheckBootstrapVersion rule allows: FAIL with the same command', async () => {
    const result = await preflight.runCheck('cdk-bootstrap', (state) => void (state.cdkBootstrap = [{ accountId: MANAGEMENT_ACCOUNT_ID, region: 'us-east-1', version: 5 }]));

    expect(result).toMatchObject({ status: 'FAIL', detail: `aws://${MANAGEMENT_ACCOUNT_ID}/us-east-1 has bootstrap version 5, the templates need 6 or later` });
    expect(result.fix).toContain(`npx cdk bootstrap aws://${MANAGEMENT_ACCOUNT_ID}/us-east-1`);
  });

  it('a Control Tower home Region elsewhere: the forwarder\'s Region must be bootstrapped too', async () => {
    const euConfig = { ...config, deployment: { ...config.deployment!, controlTowerHomeRegion: 'eu-west-1' } };

    const result = await preflight.runCheck('cdk-bootstrap', (state) => void (state.controlTower = { homeRegion: 'eu-west-1' }), euConfig);

    expect(result).toMatchObject({ status: 'FAIL', detail: `aws://${MANAGEMENT_ACCOUNT_ID}/eu-west-1 is not bootstrapped (no CDKToolkit stack)` });
    expect(result.fix).toContain(`npx cdk bootstrap aws://${MANAGEMENT_ACCOUNT_ID}/eu-west-1`);
  });

  it('delegated, run with the management account\'s credentials: checks the management stack\'s target, and names the enforcer account\'s as checked there', async () => {
    const result = await preflight.runCheck('cdk-bootstrap', (state) => void (state.cdkBootstrap = [{ accountId: SECURITY_ACCOUNT_ID, region: 'us-east-1', version: 30 }]), delegatedConfig);

    // The harness acts as the management account: this run's caller owns only the management stack's target.
    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain(`aws://${MANAGEMENT_ACCOUNT_ID}/us-east-1 is not bootstrapped`);
    expect(result.detail).toContain(`aws://${SECURITY_ACCOUNT_ID}/us-east-1 belong to another account: checked when the preflight runs with its credentials`);
  });
});
