import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type EnforcerConfig, parseConfig } from '#shared/rules/config';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import { calls, contactOf, reconcile, serve, startHarness } from '../local-run/harness.ts';

/**
 * The case in the built-in organization: the Workloads OU deletes OPERATIONS, and one account below it (two
 * OUs down) gives its own OPERATIONS e-mail with no policy. The file alone cannot tell the two meet; the run can.
 */
const LEDGER = defaultOrganization(parseConfig(parse(readFileSync(join(import.meta.dirname, '../../config/alternate-contacts.yaml'), 'utf8')))).accounts.find((a) => a.name === 'ledger-prod')!;

function exampleWithConflict(): EnforcerConfig {
  const raw = parse(readFileSync(join(import.meta.dirname, '../../config/alternate-contacts.yaml'), 'utf8'));
  raw.overrides.organizationalUnits[WORKLOADS_OU_ID] = { OPERATIONS: { policy: 'delete' } };
  raw.overrides.accounts[LEDGER.id] = { OPERATIONS: { email: 'ledger-ops@example.com' } };
  return parseConfig(raw);
}

describe('layers that contradict each other for one account, end to end', () => {
  const config = exampleWithConflict();
  const organization = defaultOrganization(config, { newAccountReadyInMs: 0 });
  const ledgerBefore = organization.accounts.find((a) => a.id === LEDGER.id)!;
  let enforcer: LocalEnforcer;
  beforeAll(async () => {
    enforcer = await startHarness({ organization, config });
  });
  afterAll(() => enforcer.close());

  it('fails that type of that account with every path involved, and neither reads, writes nor deletes it', async () => {
    expect(ledgerBefore.contacts.OPERATIONS).toBeDefined();

    const report = await reconcile(enforcer);

    expect(report.failures).toEqual([
      {
        accountId: LEDGER.id,
        accountName: 'ledger-prod',
        type: 'OPERATIONS',
        reason: expect.stringMatching(
          new RegExp(`^the configuration's layers contradict each other: overrides\\.accounts\\.${LEDGER.id}\\.OPERATIONS\\.email: is given under policy delete from overrides\\.organizationalUnits\\.${WORKLOADS_OU_ID}\\.OPERATIONS\\.policy`),
        ),
      },
    ]);
    expect(report.counts.OPERATIONS?.failed).toBe(1);
    expect(contactOf(enforcer, LEDGER.id, 'OPERATIONS')).toEqual(ledgerBefore.contacts.OPERATIONS);
    expect(calls(enforcer, 'account:DeleteAlternateContact', LEDGER.id)).toBe(0);
    // SECURITY and BILLING only: the OPERATIONS contact is not even read.
    expect(calls(enforcer, 'account:GetAlternateContact', LEDGER.id)).toBe(2);
  });

  it('goes on with the account\'s other types and with every other account', async () => {
    await serve(enforcer, organization);

    const report = await reconcile(enforcer);

    // ledger-prod starts with no SECURITY contact: it gets one in the same run.
    expect(ledgerBefore.contacts.SECURITY).toBeUndefined();
    expect(report.changes).toContainEqual(expect.objectContaining({ accountId: LEDGER.id, type: 'SECURITY', outcome: 'ASSIGNED', applied: true }));
    expect(contactOf(enforcer, LEDGER.id, 'SECURITY')?.email).toBe(config.contacts.SECURITY?.email);
    const deleted = report.changes.filter((c) => c.type === 'OPERATIONS' && c.outcome === 'DELETED').map((c) => c.accountId);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted).not.toContain(LEDGER.id);
    for (const id of deleted) expect(contactOf(enforcer, id, 'OPERATIONS')).toBeUndefined();
    expect(report.accountsFailed).toBe(1);
  });
});
