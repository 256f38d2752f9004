import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type EnforcerConfig, parseConfig } from '#shared/rules/config';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, QUARANTINED_ACCOUNT_IDS, SUSPENDED_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { calls, reconcile, serve, startHarness } from '../local-run/harness.ts';

/** The shipped example with OPERATIONS set to delete: no fields, and the Workloads OU's OPERATIONS override removed. */
function exampleWithOperationsDeleted(): EnforcerConfig {
  const raw = parse(readFileSync(join(import.meta.dirname, '../../config/alternate-contacts.yaml'), 'utf8'));
  raw.contacts.OPERATIONS = { policy: 'delete' };
  for (const override of Object.values(raw.overrides.organizationalUnits) as Record<string, unknown>[]) delete override.OPERATIONS;
  return parseConfig(raw);
}

describe('the delete policy, end to end', () => {
  const config = exampleWithOperationsDeleted();
  const organization = defaultOrganization(config, { newAccountReadyInMs: 0 });
  const withOperations = organization.accounts.filter((a) => a.status === 'ACTIVE' && a.contacts.OPERATIONS && !QUARANTINED_ACCOUNT_IDS.includes(a.id as never));
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization, config });
  });
  afterAll(() => enforcer.close());

  it('removes OPERATIONS from every active account in scope, and a second run deletes nothing', async () => {
    expect(withOperations.length).toBeGreaterThan(0);

    const report = await reconcile(enforcer);

    expect(report.counts.OPERATIONS).toMatchObject({ deleted: withOperations.length, assigned: 0, updated: 0, failed: 0 });
    expect(report.changes.filter((c) => c.outcome === 'DELETED').map((c) => c.accountId).sort()).toEqual(withOperations.map((a) => a.id).sort());
    expect(calls(enforcer, 'account:DeleteAlternateContact')).toBe(withOperations.length);
    const left = enforcer.simulator!.state.accounts.filter((a) => a.status === 'ACTIVE' && !QUARANTINED_ACCOUNT_IDS.includes(a.id as never) && a.contacts.OPERATIONS);
    expect(left.map((a) => a.id)).toEqual([]);
    // Excluded and suspended accounts are never called, so they keep their contact.
    for (const id of [...QUARANTINED_ACCOUNT_IDS, SUSPENDED_ACCOUNT_ID]) expect(calls(enforcer, 'account:DeleteAlternateContact', id)).toBe(0);

    const second = await reconcile(enforcer);

    expect(second.counts.OPERATIONS).toMatchObject({ deleted: 0, failed: 0 });
    expect(calls(enforcer, 'account:DeleteAlternateContact')).toBe(withOperations.length);
  });

  it('reports in a dry run what it would delete, and deletes nothing', async () => {
    await serve(enforcer, organization);

    const report = await reconcile(enforcer, { dryRun: true });

    expect(report.dryRun).toBe(true);
    expect(report.counts.OPERATIONS?.deleted).toBe(withOperations.length);
    expect(report.changes.filter((c) => c.outcome === 'DELETED').every((c) => !c.applied)).toBe(true);
    expect(calls(enforcer, 'account:DeleteAlternateContact')).toBe(0);
  });
});
