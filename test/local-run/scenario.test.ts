import { contactOf } from '#shared/rules/contacts';
import { describe, expect, it } from 'vitest';
import { generatedOrganization } from '../../local-run/generated-organization.ts';
import { type EnforcerConfig, isExcluded, loadConfig, resolveDesired } from '#shared/rules/config';
import type { Contact, ContactType } from '#shared/rules/contacts';
import {
  CLOSING_ACCOUNT_ID,
  defaultOrganization,
  MANAGEMENT_ACCOUNT_ID,
  MANAGEMENT_ROLE_ARN,
  NEW_ACCOUNT_ID,
  QUARANTINE_OU_ID,
  SANDBOX_ACCOUNT_ID,
  SECURITY_ACCOUNT_ID,
  SLACK_SECRET_NAME,
  SUSPENDED_ACCOUNT_ID,
  WORKLOADS_OU_ID,
} from '../../local-run/scenario.ts';
import { ouPaths, SIMULATOR_URL_PLACEHOLDER, type SimState } from '../../simulator/state.ts';

const config = loadConfig('config/alternate-contacts.yaml');
const NOW = Date.parse('2026-11-20T10:15:42Z');

type Condition = 'missing' | 'outdated' | 'correct';

/** Case and surrounding whitespace do not make a contact different. */
const normalized = (contact: Contact) => Object.values(contact).map((field) => field.trim().toLowerCase());

/** Each targeted account's condition for one type, against what the configuration resolves for it. */
function conditions(state: SimState, enforcerConfig: EnforcerConfig, type: ContactType): Record<Condition, number> {
  const paths = ouPaths(state);
  const counts: Record<Condition, number> = { missing: 0, outdated: 0, correct: 0 };
  for (const account of targeted(state, enforcerConfig)) {
    const desired = contactOf(resolveDesired(enforcerConfig, account.id, paths.get(account.id)!)[type]);
    const current = account.contacts[type];
    if (!desired) continue;
    const condition = !current ? 'missing' : JSON.stringify(normalized(current)) === JSON.stringify(normalized(desired)) ? 'correct' : 'outdated';
    counts[condition] += 1;
  }
  return counts;
}

/** ACTIVE accounts that the configuration does not exclude: the ones a run reconciles. */
function targeted(state: SimState, enforcerConfig: EnforcerConfig) {
  const paths = ouPaths(state);
  return state.accounts.filter((a) => a.status === 'ACTIVE' && !isExcluded(enforcerConfig, a.id, paths.get(a.id)!));
}

describe('defaultOrganization', () => {
  const state = defaultOrganization(config, { now: NOW });
  const byId = (id: string) => state.accounts.find((a) => a.id === id);

  it('has 40 ACTIVE accounts that the default configuration targets', () => {
    expect(targeted(state, config)).toHaveLength(40);
  });

  it('has 31 accounts without a SECURITY contact, 4 with an outdated one and 5 with a correct one', () => {
    expect(conditions(state, config, 'SECURITY')).toEqual({ missing: 31, outdated: 4, correct: 5 });
  });

  it.each(['BILLING', 'OPERATIONS'] as const)('mixes missing, outdated and correct %s contacts', (type) => {
    const counts = conditions(state, config, type);

    expect(Math.min(counts.missing, counts.outdated, counts.correct)).toBeGreaterThan(0);
  });

  it.each(['SECURITY', 'BILLING', 'OPERATIONS'] as const)('has a %s contact that is correct but for case and whitespace', (type) => {
    const paths = ouPaths(state);
    const variants = targeted(state, config).filter((account) => {
      const current = account.contacts[type];
      const desired = contactOf(resolveDesired(config, account.id, paths.get(account.id)!)[type]);
      return current && desired && JSON.stringify(current) !== JSON.stringify(desired) && JSON.stringify(normalized(current)) === JSON.stringify(normalized(desired));
    });

    expect(variants.length).toBeGreaterThan(0);
  });

  it('has the accounts the sample events name: payments-dev in Workloads, joined minutes ago and ready 30 s from now', () => {
    // events/: CreateManagedAccount and CreateAccountResult for 222222222222, emitted by 111111111111.
    const paths = ouPaths(state);
    const workloads = state.organizationalUnits.find((ou) => ou.id === WORKLOADS_OU_ID);

    expect({ name: byId(NEW_ACCOUNT_ID)?.name, path: paths.get(NEW_ACCOUNT_ID), ou: workloads?.name, joinedAt: byId(NEW_ACCOUNT_ID)?.joinedAt, readyAt: byId(NEW_ACCOUNT_ID)?.readyAt }).toEqual({
      name: 'payments-dev',
      path: [WORKLOADS_OU_ID],
      ou: 'Workloads',
      joinedAt: new Date(NOW - 5 * 60_000).toISOString(),
      readyAt: new Date(NOW + 30_000).toISOString(),
    });
  });

  it('makes the security account the delegated administrator, trusted by the management role', () => {
    expect({ management: state.managementAccountId, admins: state.delegatedAdministrators, role: state.roles[MANAGEMENT_ROLE_ARN], trustedAccess: state.trustedAccess }).toEqual({
      management: MANAGEMENT_ACCOUNT_ID,
      admins: [{ accountId: SECURITY_ACCOUNT_ID, servicePrincipal: 'account.amazonaws.com' }],
      role: [SECURITY_ACCOUNT_ID],
      trustedAccess: true,
    });
  });

  it('counts the overridden account 444444444444 among the targeted ones', () => {
    expect(targeted(state, config).map((a) => a.id)).toContain(SANDBOX_ACCOUNT_ID);
  });

  it('keeps 2 ACTIVE accounts in the excluded Quarantine OU, beyond the 40', () => {
    const quarantined = state.accounts.filter((a) => a.parentId === QUARANTINE_OU_ID);

    expect(quarantined.map((a) => [a.status, isExcluded(config, a.id, [QUARANTINE_OU_ID])])).toEqual([
      ['ACTIVE', true],
      ['ACTIVE', true],
    ]);
  });

  it('has one SUSPENDED and one PENDING_CLOSURE account', () => {
    expect([byId(SUSPENDED_ACCOUNT_ID)?.status, byId(CLOSING_ACCOUNT_ID)?.status]).toEqual(['SUSPENDED', 'PENDING_CLOSURE']);
  });

  it('nests OUs at least two deep', () => {
    const depth = Math.max(...[...ouPaths(state).values()].map((path) => path.length));

    expect(depth).toBeGreaterThanOrEqual(2);
  });

  it('points the Slack secret at the simulator itself', () => {
    expect(state.secrets[SLACK_SECRET_NAME]).toMatch(new RegExp(`^${SIMULATOR_URL_PLACEHOLDER}/slack/`));
  });

  it('is the same organization every time for the same moment', () => {
    expect(defaultOrganization(config, { now: NOW })).toEqual(state);
  });

  it('follows the configuration: a changed desired contact makes the correct accounts outdated', () => {
    const changed: EnforcerConfig = { ...config, contacts: { ...config.contacts, SECURITY: { ...config.contacts.SECURITY!, email: 'soc@example.com' } } };

    const built = defaultOrganization(changed, { now: NOW });

    expect(conditions(built, config, 'SECURITY')).toEqual({ missing: 31, outdated: 9, correct: 0 });
  });
});

describe('generatedOrganization', () => {
  const state = generatedOrganization(config, 10_000, 7);
  const active = state.accounts.filter((a) => a.status === 'ACTIVE');

  it('is the same organization for the same seed', () => {
    expect(generatedOrganization(config, 10_000, 7)).toEqual(state);
  });

  it('is a different organization for another seed', () => {
    expect(generatedOrganization(config, 100, 8).accounts.map((a) => a.id)).not.toEqual(generatedOrganization(config, 100, 7).accounts.map((a) => a.id));
  });

  it('has n accounts with distinct ids, the management and security accounts among them', () => {
    const ids = new Set(state.accounts.map((a) => a.id));

    expect({ size: ids.size, management: ids.has(MANAGEMENT_ACCOUNT_ID), security: ids.has(SECURITY_ACCOUNT_ID) }).toEqual({ size: 10_000, management: true, security: true });
  });

  it('leaves about 75% without a SECURITY contact and about 10% outdated', () => {
    const { missing, outdated, correct } = conditions(state, config, 'SECURITY');
    const total = missing + outdated + correct;

    expect({ missing: Math.round((missing / total) * 100 / 5) * 5, outdated: Math.round((outdated / total) * 100 / 5) * 5 }).toEqual({ missing: 75, outdated: 10 });
  });

  it('has a few SUSPENDED accounts', () => {
    const suspended = state.accounts.filter((a) => a.status === 'SUSPENDED').length;

    expect(suspended).toBeGreaterThan(0);
    expect(suspended).toBeLessThan(active.length / 20);
  });

  it('spreads accounts over about n/50 OUs, three levels deep', () => {
    const depth = Math.max(...[...ouPaths(state).values()].map((path) => path.length));

    expect({ ous: Math.round(state.organizationalUnits.length / 10) * 10, depth }).toEqual({ ous: 200, depth: 3 });
  });
});
