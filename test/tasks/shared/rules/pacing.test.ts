import { describe, expect, it } from 'vitest';
import { ACCOUNT_API_QUOTAS, maxConcurrencyFor } from '#shared/rules/pacing';

describe('pacing', () => {
  it.each([
    [3, 2],
    [2, 4],
    [1, 8],
  ])('keeps %i parallel Gets and Puts per account within the smaller burst (Put, 8): %i accounts in flight', (types, expected) => {
    expect(maxConcurrencyFor(types, ['GetAlternateContact', 'PutAlternateContact'])).toBe(expected);
  });

  it('fits a third operation by its own burst: with DeleteAlternateContact (burst 6), 3 types leave 2 accounts in flight', () => {
    expect(maxConcurrencyFor(3, ['GetAlternateContact', 'PutAlternateContact', 'DeleteAlternateContact'])).toBe(2);
  });

  it('never goes below one account in flight', () => {
    expect(maxConcurrencyFor(20, ['PutAlternateContact'])).toBe(1);
  });

  it('takes the configured concurrency when there is one', () => {
    expect(maxConcurrencyFor(3, ['GetAlternateContact', 'PutAlternateContact'], 5)).toBe(5);
  });

  it('states the documented quotas per caller account', () => {
    // https://docs.aws.amazon.com/accounts/latest/reference/quotas.html
    expect(ACCOUNT_API_QUOTAS).toEqual({
      GetAlternateContact: { perSecond: 10, burst: 15 },
      PutAlternateContact: { perSecond: 5, burst: 8 },
      DeleteAlternateContact: { perSecond: 1, burst: 6 },
    });
  });
});
