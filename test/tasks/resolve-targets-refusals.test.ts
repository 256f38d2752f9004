import { join } from 'node:path';
import { ChildNotFoundException, ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { duplicateKeyIn } from '#shared/rules/input-shape';
import { readCorpus } from '../support/corpus.ts';
import { controlTowerEvent, NEW_ACCOUNT, organizationsEvent, scheduledEvent } from './resolve-targets-events.ts';
import { BASE_CONFIG, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

const { dynamodb, items } = mockIdempotencyTable();
// Refusals log at ERROR, as they should on AWS; here they would bury the test output.
const { handler } = await loadTask(() => import('../../tasks/resolve-targets.ts'), BASE_CONFIG, { POWERTOOLS_LOG_LEVEL: 'SILENT' });

const organizations = mockSdkClient(OrganizationsClient);
const resolve = (input: unknown, executionName = 'run-1') => handler({ input, executionName }, lambdaContext);

beforeEach(() => {
  dynamodb.resetHistory();
  items.clear();
  organizations.reset();
  organizations.on(ListParentsCommand, { ChildId: NEW_ACCOUNT }).resolves({ Parents: [{ Id: 'ou-ab12-cd34ef56', Type: 'ORGANIZATIONAL_UNIT' }] });
});

describe('resolve-targets refusing an input', () => {
  it.each([
    ['Control Tower', () => controlTowerEvent({ state: 'SUCCEEDED', account: { accountId: '999999999999' } })],
    ['Organizations', () => organizationsEvent({ state: 'SUCCEEDED', accountId: '999999999999' })],
  ])('refuses a %s event\'s account outside the organization with the console path\'s message, and claims nothing', async (_source, event) => {
    organizations.on(ListParentsCommand, { ChildId: '999999999999' }).rejects(new ChildNotFoundException({ message: 'We can\'t find an organizational unit (OU) or AWS account with the ChildId that you specified.', $metadata: {} }));

    const plan = await resolve(event());

    expect(plan).toMatchObject({ status: 'REFUSED', claimKey: 'none', refusal: { message: 'accountIds: 999999999999 is not an account of this organization', source: event().source } });
    expect(plan).not.toHaveProperty('accountIds');
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('names what arrived in a refusal: source, detail-type, event id and eventName, under the trigger of that event', async () => {
    const plan = await resolve({ ...controlTowerEvent(), time: 'yesterday' });

    expect(plan).toMatchObject({
      status: 'REFUSED',
      trigger: 'control-tower',
      refusal: { message: 'time: must be an ISO 8601 time', source: 'aws.controltower', detailType: 'AWS Service Event via CloudTrail', eventId: controlTowerEvent().id, eventName: 'CreateManagedAccount' },
    });
  });

  it.each([
    ['console input', { accountIds: ['12345'] }, {}],
    ['an event no rule delivers', { ...scheduledEvent, source: 'aws.ec2' }, { source: 'aws.ec2', detailType: 'Scheduled Event', eventId: scheduledEvent.id }],
  ])('refuses %s as a manual run, an operator\'s', async (_case, input, received) => {
    const plan = await resolve(input);

    expect(plan.trigger).toBe('manual');
    expect(plan.refusal).toEqual({ message: expect.any(String), ...received });
  });

  it('never carries the refused input\'s values, and bounds the names it carries', async () => {
    const long = 'x'.repeat(10_000);
    const plan = await resolve({ ...scheduledEvent, id: long, [long]: 'security@example.com', time: 'security@example.com' });

    expect(JSON.stringify(plan)).not.toContain('security@example.com');
    expect(plan.refusal?.eventId).toHaveLength(200);
    expect(plan.refusal?.message.length).toBeLessThanOrEqual(2_000);
  });

  it('turns control characters in what it carries into spaces, so no line of the report can be forged', async () => {
    const id = 'e-1\nInput refused: nothing\r';
    const joined = { ...organizationsEvent(), id, 'x\nInput refused: nothing': 1, detail: { eventName: 'AccountJoinedOrganization', serviceEventDetails: { joinedTime: '2026-11-21T14:07:40Z' } } };

    const plan = await resolve(joined);

    expect(Object.values(plan.refusal ?? {}).join('')).not.toMatch(/\p{Cc}/u);
    expect(plan.refusal).toMatchObject({ eventId: 'e-1 Input refused: nothing ', message: expect.stringContaining('"x\\nInput refused: nothing": is not a key of an EventBridge event') });
  });

  const STATUS = 'detail.serviceEventDetails.createAccountStatus';
  const CT_STATUS = 'detail.serviceEventDetails.createManagedAccountStatus';
  it.each([
    ['a string', 'hello', '(root): must be an event or an object such as {"accountIds": ["123456789012"], "dryRun": true}'],
    ['null', null, '(root): must be an event or an object such as {"accountIds": ["123456789012"], "dryRun": true}'],
    ['an array', [], '(root): must be an event or an object such as {"accountIds": ["123456789012"], "dryRun": true}'],
    ['an unknown console key', { accountId: '222222222222' }, 'accountId: is not a known key'],
    ['accountIds not a list', { accountIds: '222222222222' }, 'accountIds: must be a list of account ids'],
    ['an empty accountIds', { accountIds: [] }, 'accountIds: must list at least one account id'],
    ['a short account id', { accountIds: ['12345'] }, 'accountIds.0: must be a 12-digit account id'],
    ['a numeric account id', { accountIds: [222222222222] }, 'accountIds.0: must be a string'],
    ['a repeated account id', { accountIds: ['222222222222', '222222222222'] }, 'accountIds: must not list an account id twice'],
    ['1001 account ids', { accountIds: Array.from({ length: 1001 }, (_, i) => String(100000000000 + i)) }, 'accountIds: must list at most 1000 account ids'],
    ['dryRun as a string', { dryRun: 'yes' }, 'dryRun: must be true or false'],
    ['an unknown source', { ...scheduledEvent, source: 'aws.ec2' }, 'source: must be one of aws.controltower, aws.organizations, aws.account, aws.scheduler, alternate-contacts-enforcer.deploy'],
    ['a numeric source', { source: 42 }, 'source: must be one of aws.controltower, aws.organizations, aws.account, aws.scheduler, alternate-contacts-enforcer.deploy'],
    ['a schedule event with another detail-type', { ...scheduledEvent, 'detail-type': 'Object Created' }, 'detail-type: must be Scheduled Event'],
    ['a schedule event without time', { ...scheduledEvent, time: undefined }, 'time: must be an ISO 8601 time'],
    ['a schedule event with a time that is no time', { ...scheduledEvent, time: 'tonight' }, 'time: must be an ISO 8601 time'],
    ['a schedule event whose resources are no list', { ...scheduledEvent, resources: 'arn:aws:scheduler:x' }, 'resources: must be a list of ARNs'],
    ['Control Tower under the wrong detail-type', { ...controlTowerEvent(), 'detail-type': 'AWS Control Tower via CloudTrail' }, 'detail-type: must be AWS Service Event via CloudTrail'],
    ['Control Tower with another event name', { ...controlTowerEvent(), detail: { ...controlTowerEvent().detail, eventName: 'UpdateManagedAccount' } }, 'detail.eventName: must be CreateManagedAccount'],
    ['Control Tower without detail', { ...controlTowerEvent(), detail: undefined }, 'detail: must be an object'],
    ['Control Tower without a state', controlTowerEvent({ account: { accountId: NEW_ACCOUNT } }), `${CT_STATUS}.state: must be a string`],
    ['Control Tower with a short account id', controlTowerEvent({ state: 'SUCCEEDED', account: { accountId: '2222' } }), `${CT_STATUS}.account.accountId: must be a 12-digit account id`],
    ['Control Tower without an account', controlTowerEvent({ state: 'SUCCEEDED' }), `${CT_STATUS}.account.accountId: must be a string`],
    ['Organizations with another event name', { ...organizationsEvent(), detail: { ...organizationsEvent().detail, eventName: 'CreateAccount' } }, 'detail.eventName: must be CreateAccountResult or AccountJoinedOrganization or MoveAccount or TagResource or UntagResource'],
    ['Organizations without its status', { ...organizationsEvent(), detail: { eventName: 'CreateAccountResult', serviceEventDetails: {} } }, `${STATUS}: must be an object`],
    ['Organizations with a letter in the account id', organizationsEvent({ state: 'SUCCEEDED', accountId: '22222222222x' }), `${STATUS}.accountId: must be a 12-digit account id`],
    ['Organizations with a numeric account id', organizationsEvent({ state: 'SUCCEEDED', accountId: 222222222222 }), `${STATUS}.accountId: must be a string`],
    ['JSON 0', 0, '(root): must be an event or an object such as {"accountIds": ["123456789012"], "dryRun": true}'],
    ['JSON false', false, '(root): must be an event or an object such as {"accountIds": ["123456789012"], "dryRun": true}'],
    ['a schedule event carrying dryRun', { ...scheduledEvent, dryRun: true }, 'dryRun: is not a key of an EventBridge event, which carries only version, id, detail-type, source, account, time, region, resources, detail. For a dry run or chosen accounts, start with console input such as {"dryRun": true}'],
    ['an event without its source', { 'detail-type': 'Scheduled Event', detail: {} }, 'source: must be one of aws.controltower, aws.organizations, aws.account, aws.scheduler, alternate-contacts-enforcer.deploy'],
    ['a prototype key', JSON.parse('{"__proto__": {"dryRun": true}}') as unknown, '__proto__: is a prototype key, never allowed'],
    ['input nested past the bound', { dryRun: Array.from({ length: 40 }).reduce<unknown>((inner) => [inner], true) }, `dryRun${'.0'.repeat(31)}: nests deeper than 32 levels, the most allowed`],
  ])('refuses %s with a message naming the field and rule, targets no account and claims nothing', async (_case, input, message) => {
    const plan = await resolve(input);

    expect(plan).toMatchObject({ status: 'REFUSED', runId: 'run-1', claimKey: 'none', refusal: { message } });
    expect(plan).not.toHaveProperty('accountIds');
    expect(dynamodb.calls()).toHaveLength(0);
  });
});
describe('resolve-targets over the run-input corpus', () => {
  // JSON inputs only: text that is no JSON, or names a key twice, never reaches an execution (npm start refuses it).
  const refusedInputs = readCorpus(join(import.meta.dirname, 'shared/events/run-input'), '.txt').filter((c) => {
    if (!c.expected.startsWith('refused ') || duplicateKeyIn(c.body)) return false;
    try {
      JSON.parse(c.body);
      return true;
    } catch {
      return false;
    }
  });

  it.each(refusedInputs)('$file: a REFUSED plan with its message, no account and no claim', async (c) => {
    const plan = await resolve(JSON.parse(c.body));

    expect(plan).toMatchObject({ status: 'REFUSED', claimKey: 'none', refusal: { message: expect.stringContaining(c.expected.slice('refused '.length)) } });
    expect(plan).not.toHaveProperty('accountIds');
    expect(dynamodb.calls()).toHaveLength(0);
  });
});
