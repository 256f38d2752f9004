import { afterEach, describe, expect, it } from 'vitest';
import { account, ADMIN, get, MANAGEMENT, MEMBER, put, simulator, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

describe('statistics', () => {
  it('counts calls per operation, caller and target account', async () => {
    await start();

    await account(ADMIN).send(put(MEMBER));
    await account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    expect(simulator().stats()).toMatchObject({
      calls: { 'account:PutAlternateContact': 1, 'account:GetAlternateContact': 1 },
      byCaller: { [ADMIN]: 1, [MANAGEMENT]: 1 },
      byTarget: { [MEMBER]: { 'account:PutAlternateContact': 1, 'account:GetAlternateContact': 1 } },
    });
  });

  it('counts the Account API calls made in standalone context, per account acted on', async () => {
    await start();

    await account(MANAGEMENT).send(put(undefined));
    await account(MANAGEMENT).send(get(MEMBER, 'BILLING')).catch(() => undefined);

    expect(simulator().stats().standalone).toEqual({ [MANAGEMENT]: 1 });
  });

  it('forgets the statistics on resetStats', async () => {
    await start();
    await account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    simulator().resetStats();

    expect(simulator().stats()).toEqual({ calls: {}, byCaller: {}, byTarget: {}, standalone: {}, throttled: {}, errors: {}, served: {}, repeated: {} });
  });
});
