import { contactOf } from '#shared/rules/contacts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExcluded, loadConfig, parseConfig, resolveDesired } from '#shared/rules/config';
import { ConfigError } from '#shared/rules/errors';
import { readCorpus } from '../../../../support/corpus.ts';

/** Each file opens with `# expect: <the message it must produce>` (invalid/) or `# expect: valid` (valid/). */
const corpus = readCorpus(join(import.meta.dirname, 'invalid'), '.yaml');
const validCorpus = readCorpus(join(import.meta.dirname, 'valid'), '.yaml');

function problemsOf(path: string): readonly string[] {
  try {
    loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe('the config corpus', () => {
  it('holds at least 60 cases, each naming the outcome it expects', () => {
    expect(corpus.length + validCorpus.length).toBeGreaterThanOrEqual(60);
    for (const { file, expected } of corpus) expect(expected, file).toBeTruthy();
    for (const { file, expected } of validCorpus) expect(expected, file).toBe('valid');
  });

  it.each(corpus)('$file is rejected with its own message', ({ path, expected }) => {
    const problems = problemsOf(path);

    expect(problems.some((problem) => problem.startsWith(expected)), problems.join('\n')).toBe(true);
  });

  it.each(validCorpus)('$file is accepted', ({ path }) => {
    expect(() => loadConfig(path)).not.toThrow();
  });
});

describe('configuration', () => {
  const example = loadConfig(join(import.meta.dirname, '../../../../../config/alternate-contacts.yaml'));

  it('accepts the shipped example', () => {
    expect(example.contacts.SECURITY?.email).toBe('security@example.com');
  });

  it('reports every problem at once, one line each with its path and rule', () => {
    const bad = { contacts: { SECURITY: { name: '', title: 'T', email: 'nope', phone: '1' } }, mode: 'yolo' };
    expect(() => parseConfig(bad, 'inline.yaml')).toThrow(ConfigError);
    try {
      parseConfig(bad, 'inline.yaml');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'mode: must be enforce or audit',
        'contacts.SECURITY.name: must be 1-64 characters',
        'contacts.SECURITY.email: must be an e-mail address AWS accepts',
      ]);
    }
  });

  it('lets the nearest OU override win over one further up', () => {
    const config = { ...example, overrides: { accounts: {}, organizationalUnits: {
      'ou-ab12-aaaaaaaa': { SECURITY: { email: 'outer@example.com' } },
      'ou-ab12-bbbbbbbb': { SECURITY: { email: 'inner@example.com' } },
    } } };
    const desired = resolveDesired(config, '555555555555', ['ou-ab12-aaaaaaaa', 'ou-ab12-bbbbbbbb']);
    expect(contactOf(desired.SECURITY)?.email).toBe('inner@example.com');
    expect(contactOf(desired.SECURITY)?.name).toBe(example.contacts.SECURITY?.name);
  });

  it('lets an account override win over any OU', () => {
    const config = { ...example, overrides: {
      organizationalUnits: { 'ou-ab12-aaaaaaaa': { SECURITY: { email: 'ou@example.com' } } },
      accounts: { '555555555555': { SECURITY: { email: 'account@example.com' } } },
    } };
    expect(contactOf(resolveDesired(config, '555555555555', ['ou-ab12-aaaaaaaa']).SECURITY)?.email).toBe('account@example.com');
  });

  it('leaves a type whose resolved policy is ignore out entirely', () => {
    const config = { ...example, overrides: { organizationalUnits: {}, accounts: { '555555555555': { OPERATIONS: { policy: 'ignore' as const } } } } };
    expect(Object.keys(resolveDesired(config, '555555555555', []))).toEqual(['SECURITY', 'BILLING']);
  });

  it('excludes an account below an excluded OU', () => {
    expect(isExcluded(example, '555555555555', ['ou-ab12-qu4r4nt1'])).toBe(true);
    expect(isExcluded(example, '555555555555', ['ou-ab12-cd34ef56'])).toBe(false);
  });
});
