import { describe, expect, it } from 'vitest';
import { deletableTypes, parseConfig } from '#shared/rules/config';
import { BASE_CONFIG } from '../../../support.ts';

describe('deletableTypes: only these may be deleted (IAM)', () => {
  it('is empty when no layer deletes', () => {
    expect(deletableTypes(parseConfig(BASE_CONFIG))).toEqual([]);
  });

  it('holds a type that some override deletes, and only that type', () => {
    const config = parseConfig({ ...BASE_CONFIG, overrides: { organizationalUnits: { 'ou-ab12-cd34ef56': { BILLING: { policy: 'delete' } } } } });

    expect(deletableTypes(config)).toEqual(['BILLING']);
  });
});
