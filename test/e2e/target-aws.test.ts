import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '#shared/rules/model';
import { type LocalEnforcer, startLocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { credentialsFor, type Simulator, startSimulator } from '../../simulator/index.ts';
import { EXAMPLE_CONFIG } from '../local-run/harness.ts';

// `npm start -- --target aws` with no --apply: the operator's own endpoint settings and credentials, read only.
describe('a run against an AWS-compatible endpoint found through the standard settings', () => {
  let endpoint: Simulator;
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    // The AWS target runs in real time (no simulated clock), so quotas a hundred times AWS's keep the run quick.
    endpoint = await startSimulator({ state: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), quotaScale: 100 });
    const { accessKeyId, secretAccessKey } = credentialsFor(MANAGEMENT_ACCOUNT_ID);
    Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey });
    enforcer = await startLocalEnforcer({ config: { ...EXAMPLE_CONFIG, mode: 'audit' }, target: 'aws', logLevel: 'ERROR' });
  });
  afterAll(async () => {
    await enforcer.close();
    await endpoint.close();
  });

  it('finds its own account through STS and reconciles that organization without writing', async () => {
    const execution = await enforcer.run({});
    const report = execution.output as Report;

    expect(enforcer.enforcerAccountId).toBe(MANAGEMENT_ACCOUNT_ID);
    expect(report).toMatchObject({ dryRun: true, accountsProcessed: 40, counts: { SECURITY: { assigned: 31, updated: 4, unchanged: 5 } } });
    expect(endpoint.stats().calls['account:PutAlternateContact']).toBeUndefined();
    expect(report.delivery).toEqual({ sns: 'SKIPPED', slack: 'SKIPPED' });
  });
});
