import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountConflicts, type ConfigInput, type EnforcerConfig, parseConfig, resolveDesired } from '#shared/rules/config';
import { POLICIES } from '#shared/rules/contacts';
import { ConfigError } from '#shared/rules/errors';
import { type ContactLayer, conflictLine, layerConflicts } from '#shared/rules/layer-conflicts';

const ACCOUNT = '111122223333';
const OUTER_OU = 'ou-ab12-aaaaaaaa';
const INNER_OU = 'ou-ab12-bbbbbbbb';
const WHOLE = { name: 'Ops', title: 'Operations', email: 'ops@example.com', phone: '+1 555 0102' };

const layer = (path: string, entry: ContactLayer['entry']): ContactLayer => ({ path: path.split('/'), entry });
const lines = (...layers: ContactLayer[]) => layerConflicts(layers).map(conflictLine);

/** A configuration that manages OPERATIONS with `operations` as its default, and the given overrides. */
const configWith = (operations: Record<string, unknown>, overrides: ConfigInput['overrides']) => parseConfig({ contacts: { OPERATIONS: operations }, overrides });

function loadProblems(operations: Record<string, unknown>, overrides: ConfigInput['overrides']): readonly string[] {
  try {
    configWith(operations, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the layer rule: what the layers resolve to is held to the rules of one entry', () => {
  it('refuses a field given above the layer that resolved the type to delete, naming both paths', () => {
    expect(lines(layer('contacts/OPERATIONS', WHOLE), layer(`overrides/organizationalUnits/${OUTER_OU}/OPERATIONS`, { policy: 'delete' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { email: 'x@example.com' }))).toEqual([
      `overrides.accounts.${ACCOUNT}.OPERATIONS.email: is given under policy delete from overrides.organizationalUnits.${OUTER_OU}.OPERATIONS.policy, so it would be dropped without a word (a deleted contact has no fields); set policy enforce or fill-missing next to it, or remove it`,
    ]);
  });

  it('refuses a tag reference above a delete as it refuses a written value', () => {
    const found = lines(layer('contacts/OPERATIONS', { policy: 'delete' }), layer(`overrides/tags/team=data/OPERATIONS`, { phone: { tag: 'ops-phone' } }));

    expect(found).toEqual([expect.stringMatching(/^overrides\.tags\."team=data"\.OPERATIONS\.phone: is given under policy delete from contacts\.OPERATIONS\.policy/)]);
  });

  it('refuses a field above the layer that resolved the type to ignore: it would never be written', () => {
    const found = lines(layer('contacts/OPERATIONS', { ...WHOLE, policy: 'ignore' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { name: 'Mine' }));

    expect(found).toEqual([expect.stringContaining(`overrides.accounts.${ACCOUNT}.OPERATIONS.name: is given under policy ignore from contacts.OPERATIONS.policy`)]);
  });

  it('names every field a layer gives under a delete, one line each', () => {
    const found = lines(layer('contacts/OPERATIONS', { policy: 'delete' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { name: 'A', email: 'a@example.com' }));

    expect(found.map((line) => line.split(':')[0])).toEqual([`overrides.accounts.${ACCOUNT}.OPERATIONS.name`, `overrides.accounts.${ACCOUNT}.OPERATIONS.email`]);
  });

  it.each(['enforce', 'fill-missing'] as const)('refuses a contact that resolves to %s without all four fields, naming what each layer gives', (policy) => {
    const found = lines(layer('contacts/OPERATIONS', { policy: 'delete' }), layer(`overrides/organizationalUnits/${OUTER_OU}/OPERATIONS`, { policy, name: 'N', email: 'e@example.com' }));

    expect(found).toEqual([
      `overrides.organizationalUnits.${OUTER_OU}.OPERATIONS.policy: is ${policy}, which needs name, title, email and phone, but no layer gives title or phone (contacts.OPERATIONS sets policy delete; overrides.organizationalUnits.${OUTER_OU}.OPERATIONS sets policy ${policy}, name, email); give them next to the policy`,
    ]);
  });

  it.each<[string, ContactLayer[]]>([
    ['a nearer delete over fields below it: the fields are outranked, not dropped', [layer('contacts/OPERATIONS', WHOLE), layer('overrides/organizationalUnits/ou-ab12-aaaaaaaa/OPERATIONS', { email: 'ou@example.com' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { policy: 'delete' })]],
    ['an account that turns a deleted type back on with the fields below the delete', [layer('contacts/OPERATIONS', WHOLE), layer('overrides/tags/env=sandbox/OPERATIONS', { policy: 'delete' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { policy: 'enforce' })]],
    ['fields gathered from several layers under a delete default', [layer('contacts/OPERATIONS', { policy: 'delete' }), layer('overrides/organizationalUnits/ou-ab12-aaaaaaaa/OPERATIONS', { ...WHOLE, policy: 'enforce' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { email: { tag: 'ops-email' } })]],
    ['fields next to an ignore, kept for a nearer layer that enforces', [layer('contacts/OPERATIONS', { ...WHOLE, policy: 'ignore' }), layer(`overrides/accounts/${ACCOUNT}/OPERATIONS`, { policy: 'fill-missing' })]],
    ['a whole default alone', [layer('contacts/OPERATIONS', WHOLE)]],
  ])('accepts %s', (_, layers) => {
    expect(layerConflicts(layers)).toEqual([]);
  });
});

describe('at load: each override over the default, and each two tag overrides', () => {
  it.each<[string, Record<string, unknown>, ConfigInput['overrides'], string]>([
    ['an OU field under a delete default', { policy: 'delete' }, { organizationalUnits: { [OUTER_OU]: { OPERATIONS: { email: 'e@example.com' } } } }, `overrides.organizationalUnits.${OUTER_OU}.OPERATIONS.email: is given under policy delete from contacts.OPERATIONS.policy`],
    ['an account field under a delete default', { policy: 'delete' }, { accounts: { [ACCOUNT]: { OPERATIONS: { title: 'T' } } } }, `overrides.accounts.${ACCOUNT}.OPERATIONS.title: is given under policy delete from contacts.OPERATIONS.policy`],
    ['a tag override\'s tag reference under a delete default', { policy: 'delete' }, { tags: { 'team=data': { OPERATIONS: { email: { tag: 'ops-email' } } } } }, 'overrides.tags."team=data".OPERATIONS.email: is given under policy delete from contacts.OPERATIONS.policy'],
    ['an OU field under an ignore default', { ...WHOLE, policy: 'ignore' }, { organizationalUnits: { [OUTER_OU]: { OPERATIONS: { phone: '1' } } } }, `overrides.organizationalUnits.${OUTER_OU}.OPERATIONS.phone: is given under policy ignore from contacts.OPERATIONS.policy`],
    ['a fill-missing OU without a title under a delete default', { policy: 'delete' }, { organizationalUnits: { [OUTER_OU]: { OPERATIONS: { ...WHOLE, title: undefined, policy: 'fill-missing' } } } }, `overrides.organizationalUnits.${OUTER_OU}.OPERATIONS.policy: is fill-missing, which needs name, title, email and phone, but no layer gives title`],
    ['a delete tag and a field tag of another key, which one account may carry both of', WHOLE, { tags: { 'env=sandbox': { OPERATIONS: { policy: 'delete' } }, 'team=data': { OPERATIONS: { email: 'data@example.com' } } } }, 'overrides.tags."team=data".OPERATIONS.email: is given under policy delete from overrides.tags."env=sandbox".OPERATIONS.policy'],
  ])('refuses %s', (_, operations, overrides, expected) => {
    const problems = loadProblems(operations, overrides);

    expect(problems.filter((problem) => problem.startsWith(expected)), problems.join('\n')).toHaveLength(1);
  });

  it('says the two tags may meet on one account, whatever order the file lists them in', () => {
    const problems = loadProblems(WHOLE, { tags: { 'team=data': { OPERATIONS: { email: 'data@example.com' } }, 'env=sandbox': { OPERATIONS: { policy: 'delete' } } } });

    expect(problems).toEqual([expect.stringMatching(/team=data"\.OPERATIONS\.email: .*; an account may carry both (env=sandbox and team=data|team=data and env=sandbox)$/)]);
  });

  it('accepts what only the organization can decide: an account override and an OU override that may never meet', () => {
    const overrides = { organizationalUnits: { [OUTER_OU]: { OPERATIONS: { policy: 'delete' as const } } }, accounts: { [ACCOUNT]: { OPERATIONS: { email: 'mine@example.com' } } } };

    expect(loadProblems(WHOLE, overrides)).toEqual([]);
  });
});

describe('in the run: the account\'s own layers', () => {
  const config = configWith(WHOLE, {
    organizationalUnits: { [OUTER_OU]: { OPERATIONS: { policy: 'delete' } }, [INNER_OU]: { OPERATIONS: { name: 'Inner' } } },
    tags: { 'env=sandbox': { OPERATIONS: { policy: 'delete' } } },
    accounts: { [ACCOUNT]: { OPERATIONS: { email: 'mine@example.com' } } },
  });

  it('fails the type of an account below the deleting OU, naming every path involved, and resolves no contact for it', () => {
    const desired = resolveDesired(config, ACCOUNT, [OUTER_OU]);

    expect(desired.OPERATIONS).toEqual({
      policy: 'delete',
      problem: `the configuration's layers contradict each other: overrides.accounts.${ACCOUNT}.OPERATIONS.email: is given under policy delete from overrides.organizationalUnits.${OUTER_OU}.OPERATIONS.policy, so it would be dropped without a word (a deleted contact has no fields); set policy enforce or fill-missing next to it, or remove it`,
    });
  });

  it('names each layer that gives a field under the delete: an inner OU as well as the account', () => {
    expect(accountConflicts(config, ACCOUNT, [OUTER_OU, INNER_OU]).OPERATIONS?.map((line) => line.split(':')[0])).toEqual([
      `overrides.organizationalUnits.${INNER_OU}.OPERATIONS.name`,
      `overrides.accounts.${ACCOUNT}.OPERATIONS.email`,
    ]);
  });

  it('fails the type of an account that carries the deleting tag', () => {
    expect(accountConflicts(config, ACCOUNT, [], { env: 'sandbox' }).OPERATIONS).toEqual([expect.stringContaining('from overrides.tags."env=sandbox".OPERATIONS.policy')]);
  });

  it('resolves the same account elsewhere in the organization as it asks: its e-mail over the default', () => {
    expect(accountConflicts(config, ACCOUNT, [])).toEqual({});
    expect(resolveDesired(config, ACCOUNT, [])).toEqual({ OPERATIONS: { policy: 'enforce', contact: { ...WHOLE, email: 'mine@example.com' } } });
  });
});

describe('the run never acts on a contact the schema would refuse as one entry (seeded property)', () => {
  const OUS = [OUTER_OU, INNER_OU] as const;
  const TAG_PAIRS = ['env=sandbox', 'team=data', 'team=payments'] as const;
  // Valid values only, so most configurations load and the layers, not the values, decide.
  const value = { name: 'Ops', title: 'Operations', email: 'ops@example.com', phone: '+1 555 0102' } as const;
  const fieldOf = (name: keyof typeof value) => fc.oneof(fc.constant(value[name]), fc.constant({ tag: `ops-${name}` }));
  const fields = fc.record({ name: fieldOf('name'), title: fieldOf('title'), email: fieldOf('email'), phone: fieldOf('phone') }, { requiredKeys: [] });
  const override = fc.tuple(fc.option(fc.constantFrom(...POLICIES), { nil: undefined }), fields).map(([policy, given]) => (policy === 'delete' ? { policy } : { ...given, ...(policy && { policy }) }));
  const defaultEntry = fc.constantFrom(...POLICIES).map((policy) => (policy === 'delete' ? { policy } : { ...value, policy }));
  const someOf = <K extends string>(keys: readonly K[]) => fc.dictionary(fc.constantFrom(...keys), override.map((entry) => ({ OPERATIONS: entry })), { maxKeys: keys.length });
  const configuration = fc.record({ operations: defaultEntry, organizationalUnits: someOf(OUS), tags: someOf(TAG_PAIRS), accounts: someOf([ACCOUNT]) });
  // Where the account sits and which tags it carries; the tag-referenced fields always resolve to valid values.
  const placement = fc.record({ ouPath: fc.constantFrom([], [OUTER_OU], [INNER_OU], [OUTER_OU, INNER_OU]), tags: fc.subarray([...TAG_PAIRS]) });

  /** Whether the schema accepts `entry` as the one entry of OPERATIONS: the oracle, independent of the layer rule. */
  const oneEntryAccepted = (entry: Record<string, unknown>) => {
    try {
      parseConfig({ contacts: { OPERATIONS: entry } });
      return true;
    } catch {
      return false;
    }
  };

  it('holds for every way the default, the OUs, the tags and the account may meet', () => {
    fc.assert(
      fc.property(configuration, placement, ({ operations, ...overrides }, { ouPath, tags }) => {
        let config: EnforcerConfig;
        try {
          config = configWith(operations, overrides);
        } catch (error) {
          if (error instanceof ConfigError) return; // refused at load: nothing runs
          throw error;
        }
        const carried = Object.fromEntries(tags.filter((pair) => pair !== 'team=payments' || !tags.includes('team=data')).map((pair) => pair.split('=')));
        const accountTags = { ...carried, ...Object.fromEntries(Object.entries(value).map(([name, v]) => [`ops-${name}`, v])) };
        // The layers in the README's order: default, OUs from the root down, the tags in the file's order, the account.
        const layers = [
          operations as Record<string, unknown>,
          ...ouPath.map((ou) => overrides.organizationalUnits[ou]?.OPERATIONS),
          ...Object.entries(overrides.tags).filter(([pair]) => carried[pair.split('=')[0]!] === pair.split('=')[1]).map(([, o]) => o.OPERATIONS),
          overrides.accounts[ACCOUNT]?.OPERATIONS,
        ].filter((layer): layer is Record<string, unknown> => layer !== undefined);
        const deciding = layers.findLastIndex((layer) => layer.policy !== undefined);
        const policy = layers[deciding]!.policy;
        const above = Object.assign({}, ...layers.slice(deciding + 1).map(({ policy: _, ...rest }) => rest));
        const merged = Object.assign({}, ...layers.map(({ policy: _, ...rest }) => rest));

        const desired = resolveDesired(config, ACCOUNT, ouPath, accountTags).OPERATIONS;

        if (policy === 'delete') expect(desired).toEqual(oneEntryAccepted({ policy, ...above }) ? { policy } : { policy, problem: expect.any(String) });
        if (policy === 'enforce' || policy === 'fill-missing') {
          expect(desired).toEqual(oneEntryAccepted({ policy, ...merged }) ? { policy, contact: value } : { policy, problem: expect.any(String) });
        }
        if (policy === 'ignore') expect(desired).toEqual(Object.keys(above).length === 0 ? undefined : { policy, problem: expect.any(String) });
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });
});
