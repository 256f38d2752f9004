import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#shared/rules/config';

// The configuration reference (README) and the commented example name every trigger switch the schema gives a
// default, so a new switch, such as triggers.firstDeploy, cannot ship undocumented.
const README = readFileSync('README.md', 'utf8');
const EXAMPLE = readFileSync('config/alternate-contacts.yaml', 'utf8');
const TRIGGER_KEYS = Object.keys(parseConfig({ contacts: { SECURITY: { name: 'S', title: 'T', email: 's@example.com', phone: '1' } } }, 'test').triggers);

describe('the trigger switches', () => {
  it.each(TRIGGER_KEYS)('triggers.%s has a row in the README\'s configuration reference', (key) => {
    expect(README).toMatch(new RegExp(`^\\| [^|]*\`triggers\\.${key}\``, 'm'));
  });

  it.each(TRIGGER_KEYS)('triggers.%s is set, with a comment, in the example configuration', (key) => {
    expect(EXAMPLE).toMatch(new RegExp(`^  ${key}: `, 'm'));
  });
});
