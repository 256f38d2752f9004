import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveDesired } from '#shared/rules/config';
import { CONTACT_TYPES } from '#shared/rules/contacts';
import type { Report } from '#shared/rules/model';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import {
  defaultOrganization,
  MANAGEMENT_ACCOUNT_ID,
  NEW_ACCOUNT_ID,
  QUARANTINED_ACCOUNT_IDS,
  SANDBOX_ACCOUNT_ID,
} from '../../local-run/scenario.ts';
import { ouPaths } from '../../simulator/index.ts';
import { expectOnlyStandaloneCalls, calls, contactOf, EXAMPLE_CONFIG, reconcile, sameContact, serve, startHarness } from '../local-run/harness.ts';
import { fixtureEvent, sampleEvent } from '../support/events.ts';

// The new account is ready at once here; readiness has its own specification (e2e-resilience).
const organization = () => defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });

describe('a reconciliation in the single-account topology, end to end', () => {
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization: organization() });
  });
  afterAll(() => enforcer.close());

  // One whole-organization run serves every test of this block, and the second-run test comes last.
  describe('one run over the default organization', () => {
    let report: Report;
    let delivered: readonly [published: number, slackPosts: number];
    beforeAll(async () => {
      await serve(enforcer, organization());
      const { published, slackPosts } = enforcer.simulator!.state;
      const before = [published.length, slackPosts.length];
      report = await reconcile(enforcer);
      delivered = [published.length - before[0]!, slackPosts.length - before[1]!];
    });

    it("reaches the design brief's numbers on the default organization", () => {
      expect(report.accountsProcessed).toBe(40);
      expect(report.counts.SECURITY).toEqual({ assigned: 31, updated: 4, deleted: 0, unchanged: 5, skipped: 0, failed: 0 });
      expect(report.failures).toEqual([]);
    });

    it('leaves every managed contact as the configuration resolves it', () => {
      const paths = ouPaths(enforcer.simulator!.state);
      for (const account of enforcer.simulator!.state.accounts.filter((a) => a.status === 'ACTIVE' && !QUARANTINED_ACCOUNT_IDS.includes(a.id as never))) {
        const desired = resolveDesired(EXAMPLE_CONFIG, account.id, paths.get(account.id) ?? []);
        for (const type of CONTACT_TYPES) {
          const wanted = desired[type];
          if (wanted?.policy === 'enforce' && 'contact' in wanted) expect(sameContact(account.contacts[type], wanted.contact), `${account.id} ${type}`).toBe(true);
        }
      }
    });

    it('never calls an account in an excluded OU, of any kind', () => {
      expect(report.excluded).toBe(2);
      for (const id of QUARANTINED_ACCOUNT_IDS) expect(enforcer.simulator!.stats().byTarget[id]).toBeUndefined();
    });

    it('handles the management account in standalone context', () => {
      expect(report.failures).toEqual([]);
      expect(contactOf(enforcer, MANAGEMENT_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
      expect(enforcer.simulator!.stats().errors.AccessDeniedException).toBeUndefined();
      expectOnlyStandaloneCalls(enforcer, MANAGEMENT_ACCOUNT_ID);
    });

    it('applies the OU override to the accounts below the OU and the account override to its account', () => {
      expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'OPERATIONS')).toMatchObject({ name: 'Workloads On-Call', email: 'workloads-oncall@example.com' });
      expect(contactOf(enforcer, SANDBOX_ACCOUNT_ID, 'BILLING')?.email).toBe('sandbox-billing@example.com');
    });

    it('reports to SNS and Slack', () => {
      expect(report.delivery).toMatchObject({ sns: 'SENT', slack: 'SENT' });
      expect(delivered).toEqual([1, 1]);
      expect(enforcer.simulator!.state.published.at(-1)?.message).toContain('Assigned: 31');
    });

    it('assigns and updates nothing on a second run over the same organization', async () => {
      enforcer.simulator!.resetStats();

      const second = await reconcile(enforcer);

      for (const type of CONTACT_TYPES) expect(second.counts[type], type).toMatchObject({ assigned: 0, updated: 0, failed: 0 });
      expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
    });
  });

  describe('runs over a fresh organization each', () => {
    beforeEach(() => serve(enforcer, organization()));

    it('leaves an existing, different contact alone under the fill-missing policy', async () => {
      // The default BILLING contact: an account with no override and no OU.
      const wanted = resolveDesired(EXAMPLE_CONFIG, '999999999999', []).BILLING;
      const outdated = enforcer.simulator!.state.accounts.filter(
        (a) => a.contacts.BILLING && !sameContact(a.contacts.BILLING, wanted && 'contact' in wanted ? wanted.contact : undefined) && a.id !== SANDBOX_ACCOUNT_ID,
      );
      expect(outdated.length).toBeGreaterThan(0);
      const before = outdated.map((a) => a.contacts.BILLING);

      const report = await reconcile(enforcer);

      expect(outdated.map((a) => contactOf(enforcer, a.id, 'BILLING'))).toEqual(before);
      expect(report.counts.BILLING?.skipped).toBe(outdated.length);
    });

    it('writes nothing in a dry run, and still reports the drift', async () => {
      const report = await reconcile(enforcer, { dryRun: true });

      expect(report.dryRun).toBe(true);
      expect(report.counts.SECURITY).toMatchObject({ assigned: 31, updated: 4 });
      expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
    });

    it('reconciles only the listed accounts for console input with accountIds', async () => {
      const report = await reconcile(enforcer, { accountIds: [NEW_ACCOUNT_ID, SANDBOX_ACCOUNT_ID] });

      expect(report.accountsProcessed).toBe(2);
      const touched = Object.keys(enforcer.simulator!.stats().byTarget).filter((id) => enforcer.simulator!.stats().byTarget[id]?.['account:GetAlternateContact']);
      expect(touched.sort()).toEqual([NEW_ACCOUNT_ID, SANDBOX_ACCOUNT_ID]);
    });

    it('reconciles the whole organization on the nightly schedule', async () => {
      const report = await reconcile(enforcer, sampleEvent('scheduled-nightly.json'));

      expect(report.trigger).toBe('schedule');
      expect(report.accountsProcessed).toBe(40);
    });

    it.each([
      ['Control Tower CreateManagedAccount', 'ct-create-managed-account-succeeded.json', 'control-tower'],
      ['Organizations CreateAccountResult', 'orgs-create-account-result-succeeded.json', 'organizations'],
    ])('reconciles just the new account on %s', async (_, file, trigger) => {
      const report = await reconcile(enforcer, sampleEvent(file));

      expect(report).toMatchObject({ trigger, accountsProcessed: 1 });
      expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
      expect(calls(enforcer, 'organizations:ListAccountsForParent')).toBe(0);
    });

    it.each(['ct-failed.json', 'orgs-failed.json'])('writes nothing and calls no account for the FAILED event %s', async (file) => {
      const execution = await enforcer.run(fixtureEvent(file));

      expect(execution.output).toMatchObject({ plan: { status: 'SKIPPED' } });
      expect(calls(enforcer, 'account:GetAlternateContact')).toBe(0);
      expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
    });

    it('runs one reconciliation and sends one report for an event delivered three times', async () => {
      const delivered = sampleEvent('scheduled-nightly.json');
      (delivered as { id: string }).id = crypto.randomUUID();
      const published = enforcer.simulator!.state.published.length;

      const first = await enforcer.run(delivered);
      const putsByFirst = calls(enforcer, 'account:PutAlternateContact');
      const repeats = [await enforcer.run(delivered), await enforcer.run(delivered)];

      expect(first.output).toHaveProperty('counts');
      expect(repeats.map((e) => e.output)).toMatchObject([{ plan: { status: 'SKIPPED' } }, { plan: { status: 'SKIPPED' } }]);
      expect(enforcer.simulator!.state.published.length - published).toBe(1);
      expect(calls(enforcer, 'account:PutAlternateContact')).toBe(putsByFirst);
    });

    it('fails a malformed event clearly and touches no account', async () => {
      const execution = await enforcer.run({ accountIds: ['12345'] });

      expect(execution.status).toBe('FAILED');
      expect(execution.error?.message).toContain('accountIds');
      expect(Object.keys(enforcer.simulator!.stats().byTarget)).toEqual([]);
    });
  });
});
