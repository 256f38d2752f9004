import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '#shared/rules/config';
import { guardrailDocument } from '#shared/rules/guardrail';
import { formatResults } from '../../preflight/command.ts';
import { MANAGEMENT_ACCOUNT_ID, ROOT_ID, SECURITY_ACCOUNT_ID, SECURITY_OU_ID, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import { CONFIG_FILE, type PreflightHarness, preflightHarness, READ_ONLY_CALL, resultOf, scp } from './harness.ts';

// The delegated topology, with the guardrail on the OU that holds the enforcer's own account and on Workloads.
const config = parseConfig({
  ...loadConfig(CONFIG_FILE),
  deployment: { ...loadConfig(CONFIG_FILE).deployment!, topology: 'delegated', enforcerAccountId: SECURITY_ACCOUNT_ID },
  guardrail: { targets: [SECURITY_OU_ID, WORKLOADS_OU_ID], exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
});
const PUT_ROLE = `arn:aws:iam::${SECURITY_ACCOUNT_ID}:role/AlternateContactsEnforcer-PutContacts`;
const MANAGEMENT_ROLE = `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/AlternateContactsEnforcer-ManagementAccount`;
const filler = (i: number, target: string) => scp(`p-filler0000${i}`, `Filler${i}`, { Effect: 'Deny', Action: 'ec2:*', Resource: '*' }, [target]);

let preflight: PreflightHarness;
beforeAll(async () => {
  preflight = await preflightHarness(config);
});
afterAll(() => preflight.close());

describe('preflight: the contact guardrail', () => {
  it('has a guardrail line: the SCP type is enabled, the targets have room, the enforcer is not denied, and a WARN that the management account is never covered', async () => {
    preflight.simulator.resetStats();

    const results = await preflight.run();

    const result = resultOf(results, 'guardrail');
    expect(result.status).toBe('WARN');
    expect(result.detail).toContain(`SERVICE_CONTROL_POLICY is enabled on ${ROOT_ID}, room for it on ${SECURITY_OU_ID}, ${WORKLOADS_OU_ID}`);
    expect(result.detail).toMatch(/it locks SECURITY, BILLING, OPERATIONS on \d+ of the organization's \d+ ACTIVE accounts and denies none of the enforcer's writes/);
    expect(result.detail).toContain(`${MANAGEMENT_ROLE}, ${PUT_ROLE}`);
    expect(result.detail).toContain(`the enforcer account ${SECURITY_ACCOUNT_ID} is inside a target`);
    expect(result.detail).toContain(`The management account ${MANAGEMENT_ACCOUNT_ID} cannot be covered by any SCP`);
    expect(formatResults(results)).toMatch(/WARN\s+guardrail/);
    expect(Object.keys(preflight.simulator.stats().calls).filter((call) => !READ_ONLY_CALL.test(call))).toEqual([]);
  });

  it('is SKIPPED, saying why, without a guardrail section', async () => {
    const result = await preflight.runCheck('guardrail', undefined, parseConfig({ ...config, guardrail: undefined }));

    expect(result).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('no guardrail section') });
  });

  it('FAILs when the SCP policy type is not enabled on the root, with the command that enables it', async () => {
    const result = await preflight.runCheck('guardrail', (state) => void (state.roots[0]!.policyTypes = []));

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain(`the SERVICE_CONTROL_POLICY policy type is not enabled on ${ROOT_ID}`);
    expect(result.fix).toContain(`aws organizations enable-policy-type --root-id ${ROOT_ID} --policy-type SERVICE_CONTROL_POLICY`);
  });

  it('FAILs on a target that is not in the organization', async () => {
    const missing = parseConfig({ ...config, guardrail: { ...config.guardrail!, targets: ['ou-ab12-n0th3r3x'] } });

    const result = await preflight.runCheck('guardrail', undefined, missing);

    expect(result).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('guardrail.targets names ou-ab12-n0th3r3x, which is not in the organization') });
  });

  it('FAILs on a target that already has 5 SCPs attached directly, naming them', async () => {
    const result = await preflight.runCheck('guardrail', (state) => {
      for (let i = 1; i <= 4; i++) state.policies!.push(filler(i, WORKLOADS_OU_ID));
    });

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain(`${WORKLOADS_OU_ID} has 5 SCPs attached directly (FullAWSAccess, Filler1, Filler2, Filler3, Filler4), the most AWS allows`);
    expect(result.fix).toContain(`--target-id ${WORKLOADS_OU_ID}`);
  });

  it('passes once deployed: its own attachment takes no room, and the service-control-policies check leaves it to this one', async () => {
    const deployed = scp('p-contactguard', 'AlternateContactsEnforcer-ContactGuardrail', {}, [SECURITY_OU_ID, WORKLOADS_OU_ID]);
    deployed.content = JSON.stringify(guardrailDocument(['SECURITY', 'BILLING', 'OPERATIONS'], [MANAGEMENT_ROLE, PUT_ROLE], ['arn:aws:iam::*:role/BreakGlass']));

    const results = await preflight.run((state) => {
      for (let i = 1; i <= 3; i++) state.policies!.push(filler(i, WORKLOADS_OU_ID));
      state.policies!.push(deployed);
    });

    expect(resultOf(results, 'guardrail')).toMatchObject({ status: 'WARN', detail: expect.stringContaining(`attached to ${SECURITY_OU_ID}, ${WORKLOADS_OU_ID}`) });
    expect(resultOf(results, 'service-control-policies').status).toBe('PASS');
  });

  it("FAILs when the attached guardrail would deny the enforcer's own writes (edited by hand, without the exemption)", async () => {
    const edited = scp('p-contactguard', 'AlternateContactsEnforcer-ContactGuardrail', {}, [SECURITY_OU_ID]);
    edited.content = JSON.stringify(guardrailDocument(['SECURITY'], [], ['arn:aws:iam::*:role/BreakGlass']));

    const result = await preflight.runCheck('guardrail', (state) => void state.policies!.push(edited));

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain(`the guardrail would stop the enforcer's ${PUT_ROLE} calling account:PutAlternateContact`);
    expect(result.fix).toContain('cdk deploy');
  });
});
