import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExcluded, loadConfig, parseConfig, resolveDesired } from '#shared/config';
import { ConfigError } from '#shared/errors';

const invalidDir = join(import.meta.dirname, 'invalid');
const corpus = readdirSync(invalidDir)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => {
    const path = join(invalidDir, file);
    const expected = /^# expect: (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
    return { file, path, expected };
  });

function problemsOf(path: string): readonly string[] {
  try {
    loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

describe('the invalid-config corpus', () => {
  it('holds at least 25 cases, each naming the message it expects', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    for (const { file, expected } of corpus) expect(expected, file).toBeTruthy();
  });

  it.each(corpus)('$file is rejected with its own message', ({ path, expected }) => {
    expect(problemsOf(path).some((problem) => problem.startsWith(expected!))).toBe(true);
  });
});

describe('configuration', () => {
  const example = loadConfig(join(import.meta.dirname, '../../config/alternate-contacts.yaml'));

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
    expect(desired.SECURITY?.contact.email).toBe('inner@example.com');
    expect(desired.SECURITY?.contact.name).toBe(example.contacts.SECURITY?.name);
  });

  it('lets an account override win over any OU', () => {
    const config = { ...example, overrides: {
      organizationalUnits: { 'ou-ab12-aaaaaaaa': { SECURITY: { email: 'ou@example.com' } } },
      accounts: { '555555555555': { SECURITY: { email: 'account@example.com' } } },
    } };
    expect(resolveDesired(config, '555555555555', ['ou-ab12-aaaaaaaa']).SECURITY?.contact.email).toBe('account@example.com');
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
