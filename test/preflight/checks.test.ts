import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { exitCodeOf, formatResults } from '../../preflight/command.ts';
import { QUARANTINE_OU_ID, ROOT_ID, SANDBOX_ACCOUNT_ID, SECURITY_ACCOUNT_ID, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import { CONFIG_FILE, type PreflightHarness, preflightHarness, READ_ONLY_CALL, resultOf, scp } from './harness.ts';

// The single topology: the preflight acts as the management account of the built-in organization.
const config = loadConfig(CONFIG_FILE);
let preflight: PreflightHarness;

beforeAll(async () => {
  preflight = await preflightHarness(config);
});
afterAll(() => preflight.close());

describe('preflight on the built-in organization (single topology)', () => {
  it('passes every check it can make, skips the deployed-stack checks with a reason, and exits 0', async () => {
    const results = await preflight.run();

    expect(results.filter((r) => r.status === 'FAIL' || r.status === 'WARN')).toEqual([]);
    expect(resultOf(results, 'delegated-admin')).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('single topology') });
    expect(resultOf(results, 'deployed-stacks')).toMatchObject({ status: 'SKIPPED', detail: expect.stringContaining('not deployed yet') });
    expect(resultOf(results, 'control-tower-region').status).toBe('PASS');
    expect(exitCodeOf(results)).toBe(0);
  });

  it('sends no write call to the organization, only the reads it documents', async () => {
    preflight.simulator.resetStats();

    await preflight.run();

    const calls = Object.keys(preflight.simulator.stats().calls);
    expect(calls.filter((call) => !READ_ONLY_CALL.test(call))).toEqual([]);
    expect(calls).toEqual(expect.arrayContaining(['organizations:ListPoliciesForTarget', 'organizations:DescribePolicy', 'account:GetAlternateContact']));
  });

  it('reads the Account API in organization context for a member and in standalone context for itself, signed in us-east-1', async () => {
    preflight.simulator.resetStats();

    const results = await preflight.run();

    expect(resultOf(results, 'account-api-organization').detail).toContain('organization context');
    expect(resultOf(results, 'account-api-standalone').detail).toContain('standalone context');
    expect(preflight.simulator.stats().standalone).toEqual({ '111111111111': 1 });
  });

  it('says what it read of the SCPs', async () => {
    const results = await preflight.run();

    expect(resultOf(results, 'service-control-policies').detail).toMatch(new RegExp(`read the SCPs on ${ROOT_ID}, ou-`));
    expect(resultOf(results, 'service-control-policies').detail).toContain('SCPs never restrict');
  });
});

describe('preflight finds one trap at a time (single topology), with its fix', () => {
  const traps = [
    {
      trap: 'trusted access for account.amazonaws.com off',
      set: (s: { trustedAccess: boolean }) => void (s.trustedAccess = false),
      check: 'trusted-access',
      names: /trusted access for account\.amazonaws\.com is not enabled/,
      fix: 'aws organizations enable-aws-service-access --service-principal account.amazonaws.com',
    },
    {
      trap: 'only consolidated billing',
      set: (s: { featureSet?: string }) => void (s.featureSet = 'CONSOLIDATED_BILLING'),
      check: 'all-features',
      names: /has only CONSOLIDATED_BILLING/,
      fix: 'aws organizations enable-all-features',
    },
    {
      trap: 'an organization id in the config that is not the organization\'s',
      set: (s: { organizationId: string }) => void (s.organizationId = 'o-zz99zz99zz'),
      check: 'config-ids',
      names: /deployment\.organizationId is o-a1b2c3d4e5, the organization is o-zz99zz99zz/,
      fix: 'deployment.organizationId: o-zz99zz99zz',
    },
    {
      trap: 'a Control Tower home Region other than the configured one',
      set: (s: { controlTower?: { homeRegion: string } }) => void (s.controlTower = { homeRegion: 'eu-west-1' }),
      check: 'control-tower-region',
      names: /no Control Tower stack sets \(AWSControlTowerBP-\*\) in us-east-1/,
      fix: 'set deployment.controlTowerHomeRegion',
    },
  ] as const;

  it.each(traps)('$trap: FAIL in $check', async ({ set, check, names, fix }) => {
    const results = await preflight.run((state) => set(state as never));

    const result = resultOf(results, check);
    expect(result.status).toBe('FAIL');
    expect(result.detail).toMatch(names);
    expect(result.fix).toContain(fix);
    expect(exitCodeOf(results)).toBe(1);
    expect(formatResults(results)).toContain(`fix: ${result.fix}`);
  });

  it('an OU in overrides that the organization does not have: FAIL in config-targets', async () => {
    const withUnknownOu = { ...config, overrides: { ...config.overrides, organizationalUnits: { ...config.overrides.organizationalUnits, 'ou-ab12-n0th3r3x': {} } } };

    const result = resultOf(await preflight.run(undefined, withUnknownOu), 'config-targets');

    expect(result.status).toBe('FAIL');
    expect(result.detail).toContain('overrides.organizationalUnits.ou-ab12-n0th3r3x names ou-ab12-n0th3r3x, which is not in the organization');
    expect(result.fix).toContain(`correct or remove those ids in ${CONFIG_FILE}`);
  });

  it('an account override below an OU override that deletes the type: FAIL in config-targets, naming the account, the type and both paths', async () => {
    const ledger = preflight.simulator.state.accounts.find((a) => a.name === 'ledger-prod')!;
    const conflicting = {
      ...config,
      overrides: { ...config.overrides, organizationalUnits: { [WORKLOADS_OU_ID]: { OPERATIONS: { policy: 'delete' as const } } }, accounts: { [ledger.id]: { OPERATIONS: { email: 'ledger-ops@example.com' } } } },
    };

    const result = resultOf(await preflight.run(undefined, conflicting), 'config-targets');

    expect(result.status).toBe('FAIL');
    expect(result.detail).toBe(
      `account ${ledger.id} (ledger-prod) OPERATIONS: overrides.accounts.${ledger.id}.OPERATIONS.email: is given under policy delete from overrides.organizationalUnits.${WORKLOADS_OU_ID}.OPERATIONS.policy, so it would be dropped without a word (a deleted contact has no fields); set policy enforce or fill-missing next to it, or remove it`,
    );
    expect(result.fix).toContain(`make those layers agree in ${CONFIG_FILE}`);
  });

  it('an account that carries a deleting tag and gives its own field: FAIL in config-targets, its tags read with ListTagsForResource', async () => {
    const tagged = {
      ...config,
      overrides: {
        ...config.overrides,
        tags: { 'environment=sandbox': { OPERATIONS: { policy: 'delete' as const } } },
        accounts: { ...config.overrides.accounts, [SANDBOX_ACCOUNT_ID]: { OPERATIONS: { phone: '+1 555 0199' } } },
      },
    };

    const result = resultOf(
      await preflight.run((state) => {
        for (const account of state.accounts) if (account.id === SANDBOX_ACCOUNT_ID) account.tags = { environment: 'sandbox' };
      }, tagged),
      'config-targets',
    );

    expect(result.status).toBe('FAIL');
    expect(result.detail).toBe(
      `account ${SANDBOX_ACCOUNT_ID} (sandbox) OPERATIONS: overrides.accounts.${SANDBOX_ACCOUNT_ID}.OPERATIONS.phone: is given under policy delete from overrides.tags."environment=sandbox".OPERATIONS.policy, so it would be dropped without a word (a deleted contact has no fields); set policy enforce or fill-missing next to it, or remove it`,
    );
  });

  it('an excluded OU with no accounts left still exists: PASS (asked for by id)', async () => {
    const result = resultOf(
      await preflight.run((state) => {
        state.accounts = state.accounts.filter((a) => a.parentId !== QUARANTINE_OU_ID);
      }),
      'config-targets',
    );

    expect(result.status).toBe('PASS');
  });

  it('a member the Account API refuses: FAIL in account-api-organization, naming the account and the fix', async () => {
    const result = resultOf(
      await preflight.run((state) => {
        // No SCP binds the management account the preflight runs as; AWS refuses it a member that is not ready yet.
        for (const account of state.accounts) if (account.id === SECURITY_ACCOUNT_ID) account.readyAt = '2999-01-01T00:00:00.000Z';
      }),
      'account-api-organization',
    );

    expect(result).toMatchObject({ status: 'FAIL', detail: expect.stringContaining(`member account ${SECURITY_ACCOUNT_ID}`), fix: expect.stringContaining('allow account:GetAlternateContact') });
  });

  it('an SCP denying account:* on the target OUs: WARN only, since it does not bind the management account', async () => {
    const result = resultOf(
      await preflight.run((state) => {
        state.policies!.push(scp('p-denyaccount1', 'DenyAccount', { Effect: 'Deny', Action: 'account:*', Resource: '*' }, [ROOT_ID]));
      }),
      'service-control-policies',
    );

    expect(result.status).toBe('WARN');
    expect(result.detail).toContain('DenyAccount (p-denyaccount1) on r-ab12 denies account:GetAlternateContact and account:PutAlternateContact');
  });

  it("credentials AWS does not recognize: FAIL with AWS's answer, never PASS or SKIPPED", async () => {
    const results = await preflight.run((state) => {
      // The management account leaves the simulated records: its credentials are no longer valid anywhere.
      state.accounts = state.accounts.filter((a) => a.id !== state.managementAccountId);
    });

    expect(resultOf(results, 'trusted-access')).toMatchObject({ status: 'FAIL', detail: 'AWS answered UnrecognizedClientException: The security token included in the request is invalid.' });
    expect(resultOf(results, 'caller').status).toBe('FAIL');
    expect(exitCodeOf(results)).toBe(1);
  });
});

describe('a check that crashes', () => {
  // Broken on purpose: a configuration that loadConfig never returns makes config-targets throw a TypeError.
  const broken = { ...config, overrides: undefined } as unknown as typeof config;

  it('FAILs with the error and where it was thrown, never SKIPPED, and the command exits 1', async () => {
    const results = await preflight.run(undefined, broken);

    const result = resultOf(results, 'config-targets');
    expect(result.status).toBe('FAIL');
    expect(result.detail).toMatch(/^the check failed with TypeError: Cannot read properties of undefined \(reading 'accounts'\) \(at preflight\/checks\.ts:\d+:\d+\)$/);
    expect(exitCodeOf(results)).toBe(1);
    expect(formatResults(results)).toMatch(/^FAIL {4}config-targets {12}the check failed with TypeError/m);
  });

  it('leaves the other checks to run and report', async () => {
    const results = await preflight.run(undefined, broken);

    expect(results.map((r) => r.id)).toContain('deployed-stacks');
    expect(results.filter((r) => ['caller', 'config-ids', 'trusted-access', 'account-api-standalone'].includes(r.id)).map((r) => r.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS']);
  });
});
