import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#shared/config';
import type { LocalEnforcer } from '../../local/enforcer.ts';
import { defaultOrganization, WORKLOADS_OU_ID } from '../../local/scenario.ts';
import { ouPaths } from '../../local/simulator/index.ts';
import { calls, contactOf, EXAMPLE_CONFIG, reconcile, startHarness } from './harness.ts';

const EMAIL_TAG = 'alternate-contacts:operations-email';

/** The example, with the Workloads OU's OPERATIONS e-mail taken from each account's tag, and a tag exclusion. */
const config = parseConfig({
  ...EXAMPLE_CONFIG,
  overrides: {
    ...EXAMPLE_CONFIG.overrides,
    organizationalUnits: { ...EXAMPLE_CONFIG.overrides.organizationalUnits, [WORKLOADS_OU_ID]: { OPERATIONS: { name: 'Workloads On-Call', email: { tag: EMAIL_TAG } } } },
  },
  exclusions: { ...EXAMPLE_CONFIG.exclusions, tags: ['alternate-contacts=unmanaged'] },
});

describe('account tags, end to end', () => {
  const organization = defaultOrganization(config, { newAccountReadyInMs: 0 });
  const paths = ouPaths(organization);
  const workloads = organization.accounts.filter((a) => a.status === 'ACTIVE' && paths.get(a.id)?.includes(WORKLOADS_OU_ID));
  const [tagged, invalid, untagged, unmanaged] = workloads;
  tagged!.tags = { [EMAIL_TAG]: 'team-a@example.com' };
  invalid!.tags = { [EMAIL_TAG]: 'not an e-mail' };
  unmanaged!.tags = { 'alternate-contacts': 'unmanaged' };
  const invalidBefore = invalid!.contacts.OPERATIONS;
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization, config });
  });
  afterAll(() => enforcer.close());

  it('writes a tag-sourced e-mail, fails only the account with an invalid tag value, and never calls an excluded one', async () => {
    const report = await reconcile(enforcer);

    expect(contactOf(enforcer, tagged!.id, 'OPERATIONS')).toMatchObject({ name: 'Workloads On-Call', email: 'team-a@example.com' });
    // No tag: the layer below (the default) gives the e-mail.
    expect(contactOf(enforcer, untagged!.id, 'OPERATIONS')).toMatchObject({ name: 'Workloads On-Call', email: 'platform-ops@example.com' });

    expect(report.accountsFailed).toBe(1);
    expect(report.failures).toEqual([
      { accountId: invalid!.id, accountName: invalid!.name, type: 'OPERATIONS', reason: `OPERATIONS email from tag ${EMAIL_TAG}: must be an e-mail address AWS accepts` },
    ]);
    expect(contactOf(enforcer, invalid!.id, 'OPERATIONS')).toEqual(invalidBefore);
    expect(contactOf(enforcer, invalid!.id, 'SECURITY')?.email).toBe('security@example.com');

    const stats = enforcer.simulator!.stats();
    expect(Object.keys(stats.byTarget[unmanaged!.id] ?? {}).filter((action) => action.startsWith('account:'))).toEqual([]);
    expect(calls(enforcer, 'organizations:ListTagsForResource')).toBeGreaterThan(0);
  });
});
