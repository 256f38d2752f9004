import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desiredStateHash } from '#shared/rules/config-hash';
import type { Report } from '#shared/rules/model';
import { deployInput } from '../../tasks/shared/events/triggers/deploy.ts';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { calls, EXAMPLE_CONFIG, reconcile, serve, startHarness } from '../local-run/harness.ts';

// The run a new stack's deploy starts, with the shipped configuration (mode: enforce, triggers.deploy: true): the
// template's Create input is deployInput(hash, { firstDeploy: true }), which test/infra/triggers.test.ts pins.
const FIRST_DEPLOY = deployInput(desiredStateHash(EXAMPLE_CONFIG), { firstDeploy: true });
const organization = () => defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });
/** A few accounts keep the later runs cheap; each still lists and reconciles the whole (smaller) organization. */
const smallOrganization = () => {
  const state = organization();
  state.accounts = state.accounts.slice(0, 6);
  return state;
};
const contactsOf = (enforcer: LocalEnforcer) => JSON.stringify(enforcer.simulator!.state.accounts.map((account) => account.contacts));

describe('the first deploy of a new stack, replayed locally with the shipped configuration', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization: organization() });
  });
  afterAll(() => enforcer.close());

  it('changes no contact, and reports everything it would change', async () => {
    const before = contactsOf(enforcer);

    const report = await reconcile(enforcer, FIRST_DEPLOY);

    expect(report).toMatchObject({ trigger: 'deploy', dryRun: true, accountsFailed: 0 });
    expect(report.counts.SECURITY).toMatchObject({ assigned: 31, updated: 4, unchanged: 5 });
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.every((change: Report['changes'][number]) => !change.applied)).toBe(true);
    expect(calls(enforcer, 'account:PutAlternateContact') + calls(enforcer, 'account:DeleteAlternateContact')).toBe(0);
    expect(contactsOf(enforcer)).toBe(before);
  });

  it('leaves the way to enforcing open: the console run {} after it writes what the audit reported', async () => {
    await serve(enforcer, smallOrganization());
    const audit = await reconcile(enforcer, FIRST_DEPLOY);

    const enforcing = await reconcile(enforcer, {});

    expect(enforcing).toMatchObject({ trigger: 'manual', dryRun: false, accountsFailed: 0 });
    expect(enforcing.counts.SECURITY).toEqual(audit.counts.SECURITY);
    expect(calls(enforcer, 'account:PutAlternateContact')).toBeGreaterThan(0);
  });

  it('writes on a later deploy that changed the desired contacts (the custom resource\'s Update)', async () => {
    await serve(enforcer, smallOrganization());

    const report = await reconcile(enforcer, deployInput(desiredStateHash(EXAMPLE_CONFIG)));

    expect(report).toMatchObject({ trigger: 'deploy', dryRun: false });
    expect(calls(enforcer, 'account:PutAlternateContact')).toBeGreaterThan(0);
  });
});
