import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { exitCodeOf } from '../../preflight/command.ts';
import { MANAGEMENT_ACCOUNT_ID, ROOT_ID, SECURITY_ACCOUNT_ID, SECURITY_OU_ID } from '../../local-run/scenario.ts';
import { exampleConfigWith } from '../infra/synth.ts';
import { CONFIG_FILE, type PreflightHarness, preflightHarness, READ_ONLY_CALL, resultOf, scp } from './harness.ts';

// The delegated topology: the preflight acts as the security account, the registered delegated administrator.
const single = loadConfig(CONFIG_FILE);
const config = { ...single, deployment: { ...single.deployment!, topology: 'delegated' as const, enforcerAccountId: SECURITY_ACCOUNT_ID } };
let preflight: PreflightHarness;

beforeAll(async () => {
  preflight = await preflightHarness(config);
});
afterAll(() => preflight.close());

/** The usual guardrail: deny everything outside the allowed Regions, except the global services in NotAction. */
const regionDeny = (regions: string[], exempt: string[]) => ({
  Sid: 'DenyOutsideAllowedRegions',
  Effect: 'Deny',
  NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*', ...exempt],
  Resource: '*',
  Condition: { StringNotEquals: { 'aws:RequestedRegion': regions } },
});

describe('preflight on the built-in organization (delegated topology)', () => {
  it('passes as the registered delegated administrator, and leaves the management-account checks to a run there', async () => {
    const results = await preflight.run();

    expect(results.filter((r) => r.status === 'FAIL' || r.status === 'WARN')).toEqual([]);
    expect(resultOf(results, 'caller').detail).toContain(`credentials of account ${SECURITY_ACCOUNT_ID}, the delegated administrator`);
    expect(resultOf(results, 'delegated-admin').status).toBe('PASS');
    expect(resultOf(results, 'control-tower-region')).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('run the preflight there') });
    expect(resultOf(results, 'service-control-policies').detail).toContain(`read the SCPs on ${ROOT_ID}, ${SECURITY_OU_ID}, ${SECURITY_ACCOUNT_ID}`);
  });

  it('sends no write call to the organization', async () => {
    preflight.simulator.resetStats();

    await preflight.run();

    expect(Object.keys(preflight.simulator.stats().calls).filter((call) => !READ_ONLY_CALL.test(call))).toEqual([]);
  });
});

describe('preflight finds one trap at a time (delegated topology), with its fix', () => {
  const register = `aws organizations register-delegated-administrator --account-id ${SECURITY_ACCOUNT_ID} --service-principal account.amazonaws.com (management account)`;

  it('the enforcer account registered for another service only: FAIL in delegated-admin, with the register command', async () => {
    const result = resultOf(await preflight.run((state) => void (state.delegatedAdministrators = [{ accountId: SECURITY_ACCOUNT_ID, servicePrincipal: 'securityhub.amazonaws.com' }])), 'delegated-admin');

    expect(result.status).toBe('FAIL');
    expect(result.detail).toBe(`${SECURITY_ACCOUNT_ID} is not a delegated administrator for account.amazonaws.com (registered: none)`);
    expect(result.fix).toBe(register);
  });

  it('the enforcer account no delegated administrator at all: FAIL from Organizations\' refusal, and the reads it blocks SKIPPED', async () => {
    const results = await preflight.run((state) => void (state.delegatedAdministrators = []));

    expect(resultOf(results, 'delegated-admin')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('refuses ListDelegatedAdministrators'), fix: register });
    expect(resultOf(results, 'trusted-access')).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('could not be made: AccessDeniedException') });
  });

  it('an SCP denying account:* above the enforcer account: FAIL in service-control-policies, naming the policy', async () => {
    const results = await preflight.run((state) => void state.policies!.push(scp('p-denyaccount1', 'DenyAccount', { Effect: 'Deny', Action: 'account:*', Resource: '*' }, [SECURITY_OU_ID])));

    const result = resultOf(results, 'service-control-policies');
    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain(`DenyAccount (p-denyaccount1) on ${SECURITY_OU_ID} denies account:GetAlternateContact and account:PutAlternateContact (applies to the enforcer account ${SECURITY_ACCOUNT_ID})`);
    expect(result.fix).toContain('aws organizations update-policy --policy-id p-denyaccount1');
    expect(exitCodeOf(results)).toBe(1);
  });

  it('a Region-deny SCP that does not exempt account:*: FAIL, with the exemption to add', async () => {
    const result = resultOf(
      await preflight.run((state) => void state.policies!.push(scp('p-regiondeny1', 'RegionGuardrail', regionDeny(['eu-west-1', 'eu-central-1'], []), [ROOT_ID]))),
      'service-control-policies',
    );

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain('RegionGuardrail (p-regiondeny1) on r-ab12 denies account:GetAlternateContact and account:PutAlternateContact outside its Regions');
    expect(result.fix).toContain('add "account:*" to the NotAction list');
  });

  it.each([
    ['exempts account:*', regionDeny(['eu-west-1'], ['account:*'])],
    ['allows us-east-1, where the Account API is called', regionDeny(['eu-west-1', 'us-east-1'], [])],
  ])('a Region-deny SCP that %s: PASS', async (_case, statement) => {
    const result = resultOf(await preflight.run((state) => void state.policies!.push(scp('p-regiondeny1', 'RegionGuardrail', statement, [ROOT_ID]))), 'service-control-policies');

    expect(result.status).toBe('PASS');
  });

  it('a deny it cannot evaluate (a principal condition): WARN, naming the condition', async () => {
    const statement = { Effect: 'Deny', Action: 'account:Put*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } };
    const result = resultOf(await preflight.run((state) => void state.policies!.push(scp('p-onlyadmins1', 'OnlyAdmins', statement, [SECURITY_ACCOUNT_ID]))), 'service-control-policies');

    expect(result.status).toBe('WARN');
    expect(result.detail).toContain('OnlyAdmins (p-onlyadmins1) on 333333333333 denies account:PutAlternateContact unless ArnNotLike aws:PrincipalArn');
  });

  it('FullAWSAccess detached above the enforcer account: FAIL, no SCP allows the calls', async () => {
    const result = resultOf(
      await preflight.run((state) => {
        const full = state.policies!.find((p) => p.id === 'p-FullAWSAccess')!;
        full.targets = full.targets.filter((t) => t !== SECURITY_OU_ID);
      }),
      'service-control-policies',
    );

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain(`no SCP on ${SECURITY_OU_ID} allows account:GetAlternateContact and account:PutAlternateContact`);
  });

  it('an enforcer account id that is not in the organization: FAIL in config-ids', async () => {
    const result = resultOf(await preflight.run((state) => void (state.accounts = state.accounts.filter((a) => a.id !== '444444444444')), { ...config, deployment: { ...config.deployment, enforcerAccountId: '444444444444' } }), 'config-ids');

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain('deployment.enforcerAccountId 444444444444 is not an account of the organization');
  });
});

describe('cloudtrail-delivery seen from the delegated administrator', () => {
  const ownTrail = { name: 'security-trail', accountId: SECURITY_ACCOUNT_ID, homeRegion: 'eu-west-1', multiRegion: true, organizationTrail: false, logging: true };

  it('the management account\'s organization trail, read by its ARN from a member: PASS for every event', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery');

    expect(result.status).toBe('PASS');
    expect(result.detail).toContain('PutAlternateContact/DeleteAlternateContact from the delegated administrator');
    expect(result.detail).toContain(`organization-trail (organization trail of ${MANAGEMENT_ACCOUNT_ID}, multi-Region, home us-east-1)`);
  });

  it('only the enforcer account\'s own multi-Region trail: WARN, since the management account\'s trails cannot be seen from here', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', (state) => void (state.trails = [ownTrail]));

    expect(result.status).toBe('WARN');
    expect(result.detail).toContain('PutAlternateContact/DeleteAlternateContact from the delegated administrator: delivered by security-trail');
    expect(result.detail).toContain(`the management account ${MANAGEMENT_ACCOUNT_ID} may have its own trail, which ${SECURITY_ACCOUNT_ID} cannot see`);
    expect(result.detail).toMatch(/PutAlternateContact\/DeleteAlternateContact inside member accounts: no organization trail delivers them .* waits for the nightly run/);
  });

  it('no trail reaches the enforcer account: FAIL, with the organization trail to create in the management account', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', (state) => void (state.trails = [{ ...ownTrail, multiRegion: false }]));

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain('PutAlternateContact/DeleteAlternateContact from the delegated administrator: no trail delivers them to EventBridge in us-east-1');
    expect(result.fix).toContain('--is-organization-trail');
  });

  it('the organization trail not logging: FAIL, with start-logging to run in the management account', async () => {
    const result = await preflight.runCheck('cloudtrail-delivery', (state) => void (state.trails![0]!.logging = false));

    expect(result.status).toBe('FAIL');
    expect(result.fix).toBe(`aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:${MANAGEMENT_ACCOUNT_ID}:trail/organization-trail --region us-east-1 (in account ${MANAGEMENT_ACCOUNT_ID})`);
  });
});

describe('npm run preflight', () => {
  it('prints one line per check and each FAIL\'s fix, and exits 1 when something FAILED', () => {
    const configFile = exampleConfigWith((c) => {
      c.exclusions = { ...c.exclusions, accountIds: ['999999999999'] };
    });

    const run = spawnSync('node_modules/.bin/tsx', ['local-run/preflight.ts', '--target', 'simulator', '--config', configFile], { encoding: 'utf8', timeout: 55_000 });

    expect(run.stdout).toMatch(/^PASS {4}caller {20}credentials of account 111111111111/m);
    expect(run.stdout).toMatch(/^FAIL {4}config-targets {12}exclusions\.accountIds names 999999999999, which is not in the organization$/m);
    expect(run.stdout).toContain(`fix: correct or remove those ids in ${configFile}`);
    expect(run.stdout).toMatch(/^SKIPPED deployed-stacks {11}not deployed yet/m);
    expect(run.status).toBe(1);
  });
});
