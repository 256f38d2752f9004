import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedInputError } from '#shared/rules/errors';
import { accountsJoinedIn, JOINED_WINDOW_MS, joinedSearchWarning, MAX_JOINED_ACCOUNTS, accountJoined } from '#shared/events/triggers/account-joined';
import type { JoinedAccountSearch } from '#shared/rules/model';

const corpusEvent = (file: string) => {
  const text = readFileSync(join(import.meta.dirname, '../run-input', file), 'utf8');
  return JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, any>;
};
/** The joined event with nothing but the two fields AWS documents in serviceEventDetails. */
const withoutId = () => corpusEvent('118-run-joined-without-account-id.txt');

const JOINED = Date.parse('2026-11-21T14:07:40Z');
const MANAGEMENT = '111111111111';
const search: JoinedAccountSearch = {
  eventId: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
  joinedMethod: 'CREATED',
  joinedTime: '2026-11-21T14:07:40Z',
  from: new Date(JOINED - JOINED_WINDOW_MS).toISOString(),
  to: new Date(JOINED + JOINED_WINDOW_MS).toISOString(),
  detailKeys: ['joinedMethod', 'joinedTime'],
};
const joinedAt = (offsetMs: number) => new Date(JOINED + offsetMs);
const account = (id: string, offsetMs: number | undefined) => ({ id, name: `name-${id}`, ...(offsetMs !== undefined && { joinedAt: joinedAt(offsetMs) }) });
const ids = (accounts: readonly { id: string }[]) => accounts.map((a) => a.id);

describe('AccountJoinedOrganization without the account id at its assumed path', () => {
  it('asks for a search of the 15 minutes either side of joinedTime, whatever the offset joinedTime is written in', () => {
    const event = withoutId();
    event.detail.serviceEventDetails.joinedTime = '2026-11-21T16:07:40+02:00';

    const run = accountJoined.parse(event);

    expect(run).toMatchObject({ trigger: 'account-joined', joinedSearch: { from: '2026-11-21T13:52:40.000Z', to: '2026-11-21T14:22:40.000Z' } });
    expect(run).not.toHaveProperty('accountId');
  });

  it('carries only the plain key names of serviceEventDetails, at most 20, never a value', () => {
    const event = withoutId();
    const details = event.detail.serviceEventDetails;
    details.account = { accountId: '777700000001' };
    details['bad\nkey'] = 1;
    for (let i = 0; i < 30; i++) details[`extra${i}`] = `value-${i}`;

    const run = accountJoined.parse(event);

    const keys = 'joinedSearch' in run ? run.joinedSearch.detailKeys : [];
    expect(keys).toHaveLength(20);
    expect(keys.slice(0, 3)).toEqual(['joinedMethod', 'joinedTime', 'account']);
    expect(keys).not.toContain('bad\nkey');
    expect(JSON.stringify(run)).not.toContain('777700000001');
    expect(JSON.stringify(run)).not.toContain('value-');
  });

  it('names the event by CloudTrail\'s eventID, else by its EventBridge id, and by neither when they are no plain ids', () => {
    const event = withoutId();
    const eventIdOf = (input: unknown) => {
      const run = accountJoined.parse(input);
      return 'joinedSearch' in run ? run.joinedSearch.eventId : 'not a search';
    };

    expect(eventIdOf(event)).toBe(event.detail.eventID);
    delete event.detail.eventID;
    expect(eventIdOf(event)).toBe(event.id);
    event.id = 'forged\nWarning: all is well';
    expect(eventIdOf(event)).toBeUndefined();
  });

  it.each([
    ['joinedTime is missing', (event: Record<string, any>) => delete event.detail.serviceEventDetails.joinedTime, 'detail.serviceEventDetails.joinedTime: must be an ISO 8601 time'],
    ['joinedTime is no time', (event: Record<string, any>) => (event.detail.serviceEventDetails.joinedTime = 'yesterday'), 'detail.serviceEventDetails.joinedTime: must be an ISO 8601 time'],
    ['joinedMethod is missing', (event: Record<string, any>) => delete event.detail.serviceEventDetails.joinedMethod, 'detail.serviceEventDetails.joinedMethod: must be INVITED or CREATED'],
    ['detail-type is another', (event: Record<string, any>) => (event['detail-type'] = 'AWS API Call via CloudTrail'), 'detail-type: must be AWS Service Event via CloudTrail'],
    ['the account id is there but null', (event: Record<string, any>) => (event.detail.serviceEventDetails.accountId = null), 'detail.serviceEventDetails.accountId: must be a 12-digit account id'],
  ])('still refuses it when %s, naming the field and the rule', (_case, breakIt, message) => {
    const event = withoutId();
    breakIt(event);

    expect(() => accountJoined.parse(event)).toThrow(MalformedInputError);
    expect(() => accountJoined.parse(event)).toThrow(message);
  });

  it('reads the account id where it is assumed, and asks for no search then', () => {
    const event = withoutId();
    event.detail.serviceEventDetails.accountId = '777700000001';

    expect(accountJoined.parse(event)).toEqual({ trigger: 'account-joined', joinedMethod: 'CREATED', accountId: '777700000001' });
  });
});

describe('the accounts that joined in the window', () => {
  it('keeps the accounts joined within the window, its edges included, and nothing just outside it', () => {
    const accounts = [account('1', -JOINED_WINDOW_MS), account('2', 0), account('3', JOINED_WINDOW_MS), account('4', -JOINED_WINDOW_MS - 1), account('5', JOINED_WINDOW_MS + 1)];

    expect(ids(accountsJoinedIn(accounts, search, MANAGEMENT).found).sort()).toEqual(['1', '2', '3']);
  });

  it('orders them closest to joinedTime first', () => {
    const accounts = [account('far', 600_000), account('exact', 0), account('near', -2_000), account('mid', 60_000)];

    expect(ids(accountsJoinedIn(accounts, search, MANAGEMENT).found)).toEqual(['exact', 'near', 'mid', 'far']);
  });

  it(`takes at most ${MAX_JOINED_ACCOUNTS}, the closest, and counts the rest`, () => {
    const accounts = Array.from({ length: 25 }, (_, i) => account(String(100 + i), (i - 12) * 30_000));

    const { found, beyondLimit } = accountsJoinedIn(accounts, search, MANAGEMENT);

    expect(found).toHaveLength(MAX_JOINED_ACCOUNTS);
    expect(beyondLimit).toBe(15);
    expect(found.every((a) => Math.abs(a.joinedAt!.getTime() - JOINED) <= 150_000)).toBe(true);
  });

  it('never takes the management account, nor an account Organizations gave no JoinedTimestamp', () => {
    const accounts = [account(MANAGEMENT, 0), account('no-time', undefined), account('member', 1_000)];

    expect(ids(accountsJoinedIn(accounts, search, MANAGEMENT).found)).toEqual(['member']);
  });
});

describe('the warning of a search', () => {
  it('names the event, what it lacked, the keys it carried, the window and each account reconciled', () => {
    const { code, message } = joinedSearchWarning(search, [account('777700000001', 0)], 0);

    expect(code).toBe('JoinedAccountIdMissing');
    expect(message).toContain(`AccountJoinedOrganization event ${search.eventId} (CREATED, joinedTime 2026-11-21T14:07:40Z) has no detail.serviceEventDetails.accountId`);
    expect(message).toContain('its serviceEventDetails carries joinedMethod, joinedTime.');
    expect(message).toContain(`Reconciled instead the account that joined between ${search.from} and ${search.to}`);
    expect(message).toContain('777700000001 (name-777700000001)');
    expect(message).toContain("Please report the event's shape");
  });

  it('says so when no account joined in the window, and that the nightly run is the safety net', () => {
    expect(joinedSearchWarning(search, [], 0).message).toContain(`No account joined between ${search.from} and ${search.to}`);
    expect(joinedSearchWarning(search, [], 0).message).toContain('the nightly run reconciles the joined account');
  });

  it('counts the accounts left beyond the limit', () => {
    expect(joinedSearchWarning(search, [account('1', 0), account('2', 1)], 7).message).toContain(`7 more joined in that window, beyond the ${MAX_JOINED_ACCOUNTS} closest`);
  });
});
