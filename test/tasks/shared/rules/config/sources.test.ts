import { describe, expect, it } from 'vitest';
import { parseConfig, resolveSources } from '#shared/rules/config';
import { configHash } from '#shared/rules/config-hash';
import { BASE_CONFIG } from '../../../support.ts';

const OU_TOP = 'ou-ab12-aaaaaaaa';
const OU_NEAR = 'ou-ab12-bbbbbbbb';
const ACCOUNT = '555555555555';

const config = parseConfig({
  ...BASE_CONFIG,
  overrides: {
    organizationalUnits: {
      [OU_TOP]: { SECURITY: { email: 'top@example.com' }, BILLING: { policy: 'ignore' } },
      [OU_NEAR]: { SECURITY: { name: 'Near' } },
    },
    accounts: { [ACCOUNT]: { OPERATIONS: { phone: '+1 555 0199' } } },
  },
});

describe('resolveSources: which layer set each type', () => {
  it.each([
    ['an account under no overriding OU', '100000000001', [], { SECURITY: { layer: 'default' }, BILLING: { layer: 'default' }, OPERATIONS: { layer: 'default' } }],
    ['the nearest OU that overrides the type', '100000000001', [OU_TOP, OU_NEAR], { SECURITY: { layer: 'ou', id: OU_NEAR }, BILLING: { layer: 'ou', id: OU_TOP }, OPERATIONS: { layer: 'default' } }],
    ['the account override over any OU', ACCOUNT, [OU_TOP], { SECURITY: { layer: 'ou', id: OU_TOP }, BILLING: { layer: 'ou', id: OU_TOP }, OPERATIONS: { layer: 'account' } }],
  ])('names %s', (_case, accountId, ouPath, expected) => {
    expect(resolveSources(config, accountId, ouPath)).toEqual(expected);
  });

  it('covers only managed types, ignored ones included', () => {
    const securityOnly = parseConfig({ contacts: { SECURITY: BASE_CONFIG.contacts.SECURITY } });
    expect(Object.keys(resolveSources(securityOnly, ACCOUNT, []))).toEqual(['SECURITY']);
  });
});

describe('configHash', () => {
  it('is the same however the configuration was written, and changes with any value', () => {
    const reordered = parseConfig({ contacts: { OPERATIONS: BASE_CONFIG.contacts.OPERATIONS, BILLING: BASE_CONFIG.contacts.BILLING, SECURITY: BASE_CONFIG.contacts.SECURITY } });
    const changed = parseConfig({ ...BASE_CONFIG, mode: 'audit' });

    expect(configHash(reordered)).toBe(configHash(parseConfig(BASE_CONFIG)));
    expect(configHash(changed)).not.toBe(configHash(parseConfig(BASE_CONFIG)));
    expect(configHash(changed)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('reports.retentionDays', () => {
  it('defaults to 400 days, so a yearly audit finds the whole past year', () => {
    expect(parseConfig(BASE_CONFIG).reports.retentionDays).toBe(400);
  });

  it.each([0, 1.5, 4000, '400'])('refuses %j with the field and the rule', (retentionDays) => {
    expect(() => parseConfig({ ...BASE_CONFIG, reports: { retentionDays } })).toThrow(/reports\.retentionDays: must be/);
  });
});
