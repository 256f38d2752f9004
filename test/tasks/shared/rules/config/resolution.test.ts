import { describe, expect, it } from 'vitest';
import { type AccountTags, type ConfigInput, isExcluded, parseConfig, resolveDesired, usesTags } from '#shared/rules/config';
import type { DesiredContact } from '#shared/rules/contacts';

const ACCOUNT = '555555555555';
const OUTER_OU = 'ou-ab12-aaaaaaaa';
const INNER_OU = 'ou-ab12-bbbbbbbb';
const BASE = { name: 'Default', title: 'Team', email: 'default@example.com', phone: '+1 555 0100' };

/** A configuration managing SECURITY with BASE, plus `overrides` and `exclusions` as given. */
const configWith = (rest: Partial<ConfigInput> = {}, security: Record<string, unknown> = BASE) => parseConfig({ contacts: { SECURITY: security }, ...rest });
const resolve = (rest: Partial<ConfigInput>, tags: AccountTags = {}, security?: Record<string, unknown>): DesiredContact | undefined =>
  resolveDesired(configWith(rest, security), ACCOUNT, [OUTER_OU, INNER_OU], tags).SECURITY;
const email = (value: string) => ({ SECURITY: { email: value } });

describe('resolution order: default < OU (nearest wins) < tag < account', () => {
  it.each<[string, Partial<ConfigInput>, AccountTags, string]>([
    ['the default alone', {}, {}, 'default@example.com'],
    ['an outer OU over the default', { overrides: { organizationalUnits: { [OUTER_OU]: email('outer@example.com') } } }, {}, 'outer@example.com'],
    [
      'the nearest OU over an outer one',
      { overrides: { organizationalUnits: { [OUTER_OU]: email('outer@example.com'), [INNER_OU]: email('inner@example.com') } } },
      {},
      'inner@example.com',
    ],
    [
      'a matching tag over any OU',
      { overrides: { organizationalUnits: { [INNER_OU]: email('inner@example.com') }, tags: { 'team=payments': email('tag@example.com') } } },
      { team: 'payments' },
      'tag@example.com',
    ],
    [
      'a tag override that does not match leaves the OU in force',
      { overrides: { organizationalUnits: { [INNER_OU]: email('inner@example.com') }, tags: { 'team=payments': email('tag@example.com') } } },
      { team: 'data' },
      'inner@example.com',
    ],
    [
      'the account over a matching tag',
      { overrides: { tags: { 'team=payments': email('tag@example.com') }, accounts: { [ACCOUNT]: email('account@example.com') } } },
      { team: 'payments' },
      'account@example.com',
    ],
    [
      'a value from a tag at the tag layer',
      { overrides: { tags: { 'team=payments': { SECURITY: { email: { tag: 'security-email' } } } } } },
      { team: 'payments', 'security-email': 'from-tag@example.com' },
      'from-tag@example.com',
    ],
    [
      'a missing value tag falls back to the layer below',
      { overrides: { organizationalUnits: { [OUTER_OU]: email('outer@example.com'), [INNER_OU]: { SECURITY: { email: { tag: 'security-email' } } } } } },
      {},
      'outer@example.com',
    ],
  ])('%s', (_, rest, tags, expected) => {
    const desired = resolve(rest, tags);

    expect(desired && 'contact' in desired ? desired.contact.email : desired).toBe(expected);
  });

  it.each<[string, Partial<ConfigInput>, AccountTags, string | undefined]>([
    ['a tag sets delete over an OU that enforces', { overrides: { tags: { 'env=sandbox': { SECURITY: { policy: 'delete' } } } } }, { env: 'sandbox' }, 'delete'],
    [
      'the account clears a tag delete',
      { overrides: { tags: { 'env=sandbox': { SECURITY: { policy: 'delete' } } }, accounts: { [ACCOUNT]: { SECURITY: { policy: 'enforce' } } } } },
      { env: 'sandbox' },
      'enforce',
    ],
    ['an OU ignore leaves the type out', { overrides: { organizationalUnits: { [INNER_OU]: { SECURITY: { policy: 'ignore' } } } } }, {}, undefined],
  ])('policy: %s', (_, rest, tags, expected) => {
    expect(resolve(rest, tags)?.policy).toBe(expected);
  });

  it('fails the type with a reason naming the tag and the rule, never the value', () => {
    const desired = resolve({}, { 'security-email': 'secret but wrong' }, { ...BASE, email: { tag: 'security-email' } });

    expect(desired).toEqual({ policy: 'enforce', problem: 'SECURITY email from tag security-email: must be an e-mail address AWS accepts' });
  });

  it('fails the type when a default names a tag the account lacks: there is no layer below', () => {
    const desired = resolve({}, {}, { ...BASE, email: { tag: 'security-email' } });

    expect(desired).toMatchObject({ problem: expect.stringContaining('SECURITY email: no value') });
  });

  it('lets a higher layer with a plain value replace a lower invalid tag value', () => {
    const rest = { overrides: { accounts: { [ACCOUNT]: email('account@example.com') } } };
    const desired = resolve(rest, { 'security-email': 'wrong' }, { ...BASE, email: { tag: 'security-email' } });

    expect(desired).toEqual({ policy: 'enforce', contact: { ...BASE, email: 'account@example.com' } });
  });
});

describe('tags in exclusions and reading', () => {
  it('excludes an account by tag, and only with that exact value', () => {
    const config = configWith({ exclusions: { tags: ['alternate-contacts=unmanaged'] } });

    expect(isExcluded(config, ACCOUNT, [], { 'alternate-contacts': 'unmanaged' })).toBe(true);
    expect(isExcluded(config, ACCOUNT, [], { 'alternate-contacts': 'managed' })).toBe(false);
    expect(isExcluded(config, ACCOUNT, [])).toBe(false);
  });

  it.each<[string, Partial<ConfigInput>, Record<string, unknown> | undefined, boolean]>([
    ['no tag form', {}, undefined, false],
    ['a tag exclusion', { exclusions: { tags: ['a=b'] } }, undefined, true],
    ['a tag override', { overrides: { tags: { 'a=b': email('x@example.com') } } }, undefined, true],
    ['a value from a tag in a default', {}, { ...BASE, email: { tag: 'e' } }, true],
    ['a value from a tag in an account override', { overrides: { accounts: { [ACCOUNT]: { SECURITY: { email: { tag: 'e' } } } } } }, undefined, true],
  ])('reads tags only when the configuration uses them: %s', (_, rest, security, expected) => {
    expect(usesTags(configWith(rest, security ?? BASE))).toBe(expected);
  });
});
