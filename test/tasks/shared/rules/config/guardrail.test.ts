import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '#shared/rules/config';
import { configHash, desiredStateHash } from '#shared/rules/config-hash';
import { ConfigError } from '#shared/rules/errors';
import { lockedTypes } from '#shared/rules/guardrail';

const example = loadConfig(join(import.meta.dirname, '../../../../../config/alternate-contacts.yaml'));
const withGuardrail = (guardrail: unknown) => parseConfig({ ...example, guardrail });

describe('the guardrail section', () => {
  it('locks every managed type unless it lists its own', () => {
    expect(lockedTypes(withGuardrail({ targets: ['r-ab12'] }))).toEqual(['SECURITY', 'BILLING', 'OPERATIONS']);
    expect(lockedTypes({ contacts: { SECURITY: example.contacts.SECURITY }, guardrail: { targets: ['r-ab12'], exemptPrincipalArns: [] } })).toEqual(['SECURITY']);
    expect(lockedTypes(withGuardrail({ targets: ['r-ab12'], types: ['BILLING'] }))).toEqual(['BILLING']);
  });

  it('starts no deploy-time run when only the guardrail changes, though the configuration hash tells them apart', () => {
    const guarded = withGuardrail({ targets: ['ou-ab12-cd34ef56'] });

    expect(desiredStateHash(guarded)).toBe(desiredStateHash(example));
    expect(configHash(guarded)).not.toBe(configHash(example));
  });

  it('refuses exemptions that would take the policy past the SCP limit, naming its size', () => {
    const exempt = Array.from({ length: 40 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, '0')}:role/break-glass/${'r'.repeat(100)}`);

    expect(() => withGuardrail({ targets: ['r-ab12'], exemptPrincipalArns: exempt })).toThrow(ConfigError);
    try {
      withGuardrail({ targets: ['r-ab12'], exemptPrincipalArns: exempt });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^guardrail\.exemptPrincipalArns: make the policy \d{4} characters, over the SCP limit of 5120; /)]);
    }
  });
});
