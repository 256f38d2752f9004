import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#shared/rules/config';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, SANDBOX_ACCOUNT_ID, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import { ouPaths } from '../../simulator/index.ts';
import { calls, contactOf, EXAMPLE_CONFIG, reconcile, serve, startHarness } from '../local-run/harness.ts';
import { sampleEvent } from '../support/events.ts';

const tagEvent = () => sampleEvent('orgs-tag-resource-account.json');

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
  it('reconciles exactly the tagged account on the TagResource sample, once per event, and ignores an OU tag change', async () => {
    await serve(enforcer, organization);
    const sample = tagEvent();
    const sandbox = enforcer.simulator!.state.accounts.find((a) => a.id === SANDBOX_ACCOUNT_ID)!;
    for (const { key, value } of sample.detail.requestParameters.tags) sandbox.tags = { ...sandbox.tags, [key]: value };

    const report = await reconcile(enforcer, sample);

    expect(report).toMatchObject({ trigger: 'tag-change', accountsProcessed: 1, accountsFailed: 0 });
    const touched = Object.entries(enforcer.simulator!.stats().byTarget).filter(([, actions]) => Object.keys(actions).some((a) => a.startsWith('account:')));
    expect(touched.map(([id]) => id)).toEqual([SANDBOX_ACCOUNT_ID]);

    const again = await enforcer.run(sample);
    expect(again.output).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringMatching(/^duplicate of run/) } });

    const onOu = { ...sample, id: 'another', detail: { ...sample.detail, eventID: 'another', requestParameters: { resourceId: WORKLOADS_OU_ID, tags: [] } } };
    const ignored = await enforcer.run(onOu);
    expect(ignored.output).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringContaining('not an account') } });
  });
});
