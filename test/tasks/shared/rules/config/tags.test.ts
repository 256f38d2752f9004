import { describe, expect, it } from 'vitest';
import { hasTag, splitTagPair, tagPairSchema } from '#shared/rules/config/tags';

describe('tag pairs: key=value', () => {
  it('splits at the first =, so a value may hold one', () => {
    expect(splitTagPair('team=a=b')).toEqual(['team', 'a=b']);
  });

  it('accepts an empty value, as Organizations does', () => {
    expect(tagPairSchema.safeParse('team=').success).toBe(true);
  });

  it('refuses a pair without =', () => {
    expect(tagPairSchema.safeParse('team').success).toBe(false);
  });

  it('matches an account that carries the key with exactly that value', () => {
    expect(hasTag({ team: 'payments' }, 'team=payments')).toBe(true);
    expect(hasTag({ team: 'payments-eu' }, 'team=payments')).toBe(false);
    expect(hasTag({}, 'team=')).toBe(false);
  });
});
