import { ListTagsForResourceCommand } from '@aws-sdk/client-organizations';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, type SimState } from '../../simulator/index.ts';
import { sampleEvent } from '../support/events.ts';
import { MANAGEMENT, MEMBER, organization, organizations, OTHER_MEMBER, start, stopSimulator } from './fixture.ts';

afterEach(stopSimulator);

const TAG_KEY = 'alternate-contacts:operations-email';

/** A sample event about `accountId`, with `change` applied to its detail. */
function eventAbout(file: string, accountId: string, change: (detail: Record<string, any>) => void = () => undefined): Record<string, any> {
  const event = sampleEvent(file);
  const parameters = event.detail.requestParameters;
  if ('resourceId' in parameters) parameters.resourceId = accountId;
  if ('accountId' in parameters) parameters.accountId = accountId;
  event.account = event.detail.recipientAccountId = MANAGEMENT;
  change(event.detail);
  return event;
}
const tagEvent = (accountId: string, change?: (detail: Record<string, any>) => void) => eventAbout('orgs-tag-resource-account.json', accountId, change);
const untagEvent = (accountId: string, tagKeys: string[]) =>
  eventAbout('orgs-tag-resource-account.json', accountId, (detail) => {
    detail.eventName = 'UntagResource';
    detail.requestParameters = { resourceId: accountId, tagKeys };
  });
const accountOf = (state: SimState, id: string) => state.accounts.find((account) => account.id === id)!;

describe('applyEvent: tag changes sent as events', () => {
  it("adds TagResource's tags to the account, and Organizations answers them", async () => {
    const state = organization();
    accountOf(state, MEMBER).tags = { team: 'payments' };

    applyEvent(state, tagEvent(MEMBER));
    await start({ state });
    const { Tags } = await organizations(MANAGEMENT).send(new ListTagsForResourceCommand({ ResourceId: MEMBER }));

    expect(Tags).toEqual([
      { Key: 'team', Value: 'payments' },
      { Key: TAG_KEY, Value: 'sandbox-oncall@example.com' },
    ]);
  });

  it("removes UntagResource's keys from the account and leaves its other tags", () => {
    const state = organization();
    accountOf(state, MEMBER).tags = { team: 'payments', [TAG_KEY]: 'old@example.com' };

    applyEvent(state, untagEvent(MEMBER, [TAG_KEY]));

    expect(accountOf(state, MEMBER).tags).toEqual({ team: 'payments' });
  });

  it('changes no account when the tagged resource is not one', () => {
    const state = organization();
    const before = structuredClone(state);

    applyEvent(state, tagEvent('ou-ab12-cd34ef56'));

    expect(state).toEqual(before);
  });
});

describe('applyEvent: a failed call changes nothing', () => {
  const failed = (detail: Record<string, any>) => {
    detail.errorCode = 'AccessDenied';
    detail.errorMessage = 'You don\'t have permissions to access this resource.';
  };

  it.each([
    ['a hand edit', () => eventAbout('account-put-alternate-contact-in-member.json', MEMBER, failed)],
    ['a delete', () => eventAbout('account-delete-alternate-contact-org-context.json', MEMBER, failed)],
    ['a tag change', () => tagEvent(MEMBER, failed)],
    ['a move', () => eventAbout('orgs-move-account.json', OTHER_MEMBER, (detail) => {
      detail.requestParameters.destinationParentId = 'r-ab12';
      failed(detail);
    })],
  ])('%s with an errorCode is not applied', (_case, event) => {
    const state = organization();
    accountOf(state, MEMBER).contacts.OPERATIONS = { name: 'Operations', title: 'Team', email: 'ops@example.com', phone: '+1 555 0100' };
    const before = structuredClone(state);

    applyEvent(state, event());

    expect(state).toEqual(before);
  });

  it('applies the same hand edit without the errorCode', () => {
    const state = organization();

    applyEvent(state, eventAbout('account-put-alternate-contact-in-member.json', MEMBER, (detail) => void (detail.requestParameters.accountId = MEMBER)));

    expect(accountOf(state, MEMBER).contacts.SECURITY?.name).toBe('Edited By Hand');
  });
});

describe('applyEvent: an account that joins', () => {
  it('gets FullAWSAccess attached, as Organizations attaches it, when the organization stores it', () => {
    const state = organization();
    state.policies!.push({ id: 'p-FullAWSAccess', name: 'FullAWSAccess', description: '', awsManaged: true, content: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', targets: ['r-ab12'] });
    const joined = sampleEvent('orgs-account-joined-organization.json');
    const accountId = joined.detail.serviceEventDetails.accountId as string;

    applyEvent(state, joined);

    expect(state.accounts.map((account) => account.id)).toContain(accountId);
    expect(state.policies!.find((policy) => policy.id === 'p-FullAWSAccess')!.targets).toEqual(['r-ab12', accountId]);
  });
});
