import { readdirSync } from 'node:fs';
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '#shared/aws/env';
import { parseRunInput } from '#shared/events/run-input';
import { BASE_CONFIG, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';
import { SAMPLE_EVENTS_DIR, sampleEvent } from '../support/events.ts';


const PUT_TASK_ROLE = 'arn:aws:iam::111111111111:role/AlternateContactsEnforcer-PutContacts';
const { dynamodb, items } = mockIdempotencyTable();
const { handler } = await loadTask(() => import('../../tasks/resolve-targets.ts'), BASE_CONFIG, { [ENV.WRITER_ARNS]: PUT_TASK_ROLE, POWERTOOLS_LOG_LEVEL: 'SILENT' });
const resolve = (input: unknown, executionName = 'run-1') => handler({ input, executionName }, lambdaContext);

const organizations = mockSdkClient(OrganizationsClient);
const isIn = (accountId: string, parentId: string) =>
  organizations.on(ListParentsCommand, { ChildId: accountId }).resolves({ Parents: [{ Id: parentId, Type: parentId.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] });

const WORKLOADS = 'ou-ab12-cd34ef56';
const joined = (joinedMethod: string) => {
  const event = sampleEvent('orgs-account-joined-organization.json');
  event.detail.serviceEventDetails.joinedMethod = joinedMethod;
  return event;
};
/** A hand edit of one type at one time, made by someone other than the enforcer. */
const edit = (type: string, eventTime: string, actor?: string) => {
  const event = sampleEvent('account-put-alternate-contact-in-member.json');
  event.detail.requestParameters.alternateContactType = type;
  event.detail.eventTime = eventTime;
  if (actor) event.detail.userIdentity.sessionContext.sessionIssuer.arn = actor;
  return event;
};

beforeEach(() => {
  dynamodb.resetHistory();
  items.clear();
  organizations.reset();
  isIn('222222222222', WORKLOADS);
  isIn('444444444444', WORKLOADS);
});

describe('resolve-targets for the account and contact triggers', () => {
  it('reconciles an invited account, claimed as its account at its parent', async () => {
    const plan = await resolve(joined('INVITED'));

    expect(plan).toEqual({ status: 'RUN', runId: 'run-1', trigger: 'account-joined', dryRun: false, accountIds: ['222222222222'], claimKey: `account:222222222222@${WORKLOADS}` });
  });

  it('makes a CREATED account\'s joined event a duplicate of its CreateAccountResult, not a second run', async () => {
    await resolve(sampleEvent('orgs-create-account-result-succeeded.json'), 'create-run');

    expect(await resolve(joined('CREATED'), 'joined-run')).toMatchObject({ status: 'SKIPPED', reason: 'duplicate of run create-run' });
  });

  it('claims a move by the account and the parent Organizations names now, not the event\'s word', async () => {
    const event = sampleEvent('orgs-move-account.json');
    event.detail.requestParameters.destinationParentId = 'ou-ab12-sandb0x1';

    const plan = await resolve(event);

    expect(plan).toMatchObject({ status: 'RUN', trigger: 'account-moved', accountIds: ['444444444444'], claimKey: `account:444444444444@${WORKLOADS}` });
  });

  it('lets a move run after the account\'s creation events, claimed at its earlier parent', async () => {
    isIn('222222222222', 'r-ab12');
    await resolve(sampleEvent('orgs-create-account-result-succeeded.json'), 'create-run');
    isIn('222222222222', WORKLOADS);
    const move = sampleEvent('orgs-move-account.json');
    move.detail.requestParameters.accountId = '222222222222';

    expect(await resolve(move, 'move-run')).toMatchObject({ status: 'RUN', claimKey: `account:222222222222@${WORKLOADS}` });
  });

  it('reconciles the account a member edited in standalone context, and the one named in organization context', async () => {
    expect(await resolve(sampleEvent('account-put-alternate-contact-in-member.json'), 'member')).toMatchObject({ status: 'RUN', trigger: 'contact-changed', accountIds: ['444444444444'] });
    expect(await resolve(sampleEvent('account-delete-alternate-contact-org-context.json'), 'org')).toMatchObject({ status: 'RUN', trigger: 'contact-changed', accountIds: ['444444444444'] });
  });

  it('makes a burst of three edits within a minute at most two runs, whatever bucket boundary it spans', async () => {
    for (const start of ['2026-11-22T10:40:10Z', '2026-11-22T10:41:30Z']) {
      items.clear();
      const t0 = Date.parse(start);
      const burst = ['SECURITY', 'BILLING', 'OPERATIONS'].map((type, i) => edit(type, new Date(t0 + i * 25_000).toISOString()));
      const plans = [];
      for (const [i, event] of burst.entries()) plans.push(await resolve(event, `edit-${i}`));

      expect(plans.filter((plan) => plan.status === 'RUN').length).toBeLessThanOrEqual(2);
      expect(plans[0]!.status).toBe('RUN');
    }
  });

  it('starts nothing for the enforcer\'s own write, and claims nothing', async () => {
    const plan = await resolve(edit('SECURITY', '2026-11-22T10:41:55Z', PUT_TASK_ROLE));

    expect(plan).toMatchObject({ status: 'SKIPPED', reason: `the enforcer's own write (${PUT_TASK_ROLE})` });
    expect(items.size).toBe(0);
  });

  it('starts nothing for a call AWS refused', async () => {
    const event = sampleEvent('account-delete-alternate-contact-org-context.json');
    event.detail.errorCode = 'AccessDenied';

    expect(await resolve(event)).toMatchObject({ status: 'SKIPPED', reason: 'the call failed with AccessDenied, so nothing changed' });
  });

  it('runs the whole organization once per configuration hash for a deploy', async () => {
    const deploy = { source: 'alternate-contacts-enforcer.deploy', 'detail-type': 'Configuration Deployed', detail: { configHash: 'a'.repeat(64) } };

    expect(await resolve(deploy, 'deploy-1')).toEqual({ status: 'RUN', runId: 'deploy-1', trigger: 'deploy', dryRun: false, claimKey: `deploy:${'a'.repeat(64)}` });
    expect(await resolve(deploy, 'deploy-2')).toMatchObject({ status: 'SKIPPED', reason: 'duplicate of run deploy-1' });
  });

  describe('a joined event without the account id at its assumed path', () => {
    const withoutId = () => {
      const event = joined('INVITED');
      delete event.detail.serviceEventDetails.accountId;
      return event;
    };

    it('runs on the accounts that joined within 15 minutes of joinedTime, claimed by that moment, never by an account', async () => {
      const event = withoutId();

      const plan = await resolve(event);

      expect(plan).toEqual({
        status: 'RUN',
        runId: 'run-1',
        trigger: 'account-joined',
        dryRun: false,
        joinedSearch: {
          eventId: event.detail.eventID,
          joinedMethod: 'INVITED',
          joinedTime: '2026-11-21T14:07:40Z',
          from: '2026-11-21T13:52:40.000Z',
          to: '2026-11-21T14:22:40.000Z',
          detailKeys: ['joinedMethod', 'joinedTime'],
        },
        claimKey: 'joined:2026-11-21T14:07:40.000Z',
      });
      expect(organizations).not.toHaveReceivedCommand(ListParentsCommand);
    });

    it('never takes the management account the event was recorded in (recipientAccountId) for the joined one', async () => {
      const event = withoutId();
      event.detail.serviceEventDetails.account = { accountId: event.detail.recipientAccountId };

      const plan = await resolve(event);

      expect(plan).not.toHaveProperty('accountIds');
      expect(plan.joinedSearch?.detailKeys).toEqual(['joinedMethod', 'joinedTime', 'account']);
    });

    it('makes a second delivery a duplicate, as it is the event of an account joined in the same second, in any offset', async () => {
      await resolve(withoutId(), 'first');
      const sameSecond = withoutId();
      sameSecond.detail.eventID = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f';
      sameSecond.detail.serviceEventDetails.joinedTime = '2026-11-21T16:07:40+02:00';
      const later = withoutId();
      later.detail.serviceEventDetails.joinedTime = '2026-11-21T14:07:41Z';

      expect(await resolve(withoutId(), 'again')).toMatchObject({ status: 'SKIPPED', reason: 'duplicate of run first' });
      expect(await resolve(sameSecond, 'same-second')).toMatchObject({ status: 'SKIPPED', reason: 'duplicate of run first' });
      expect(await resolve(later, 'later')).toMatchObject({ status: 'RUN', claimKey: 'joined:2026-11-21T14:07:41.000Z' });
    });

    it('refuses one without a field AWS documents, and claims nothing', async () => {
      const event = withoutId();
      delete event.detail.serviceEventDetails.joinedMethod;

      const plan = await resolve(event);

      expect(plan).toMatchObject({ status: 'REFUSED', trigger: 'account-joined', refusal: { message: 'detail.serviceEventDetails.joinedMethod: must be INVITED or CREATED', eventName: 'AccountJoinedOrganization' } });
      expect(items.size).toBe(0);
    });
  });

  it.each(readdirSync(SAMPLE_EVENTS_DIR).filter((file) => file.endsWith('.json')))('refuses %s, broken, under the trigger its run carries', async (file) => {
    const event = sampleEvent(file);

    const plan = await resolve({ ...event, extra: true });

    expect(plan).toMatchObject({ status: 'REFUSED', trigger: parseRunInput(event).trigger, refusal: { message: expect.stringMatching(/^extra: is not a key of an EventBridge event/), source: event['source'] } });
  });

  it('refuses a joined event whose account id is no account id, naming the path and the rule', async () => {
    const event = joined('INVITED');
    event.detail.serviceEventDetails.accountId = '2222';

    expect(await resolve(event)).toMatchObject({ status: 'REFUSED', trigger: 'account-joined', refusal: { message: 'detail.serviceEventDetails.accountId: must be a 12-digit account id' } });
  });

  it.each([
    ['accountJoined', 'orgs-account-joined-organization.json', 'account-joined'],
    ['accountMoved', 'orgs-move-account.json', 'account-moved'],
    ['contactChanged', 'account-put-alternate-contact-in-member.json', 'contact-changed'],
  ])('runs nothing when triggers.%s is switched off', async (key, file, trigger) => {
    const off = await loadTask(() => import('../../tasks/resolve-targets.ts'), { ...BASE_CONFIG, triggers: { [key]: false } });

    const plan = await off.handler({ input: sampleEvent(file), executionName: 'run-off' }, lambdaContext);

    expect(plan).toMatchObject({ status: 'SKIPPED', reason: `the ${trigger} trigger is switched off in the configuration (triggers.${key})` });
  });
});
