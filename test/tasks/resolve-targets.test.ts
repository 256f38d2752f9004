import { join } from 'node:path';
import { ChildNotFoundException, ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { duplicateKeyIn } from '#shared/rules/input-shape';
import { readCorpus } from '../support/corpus.ts';
import { BASE_CONFIG, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

const { dynamodb, items } = mockIdempotencyTable();
// Refusals log at ERROR, as they should on AWS; here they would bury the test output.
const { handler } = await loadTask(() => import('../../tasks/resolve-targets.ts'), BASE_CONFIG, { POWERTOOLS_LOG_LEVEL: 'SILENT' });

const NEW_ACCOUNT = '222222222222';
const ROOT = 'r-ab12';
const WORKLOADS = 'ou-ab12-cd34ef56';
const organizations = mockSdkClient(OrganizationsClient);
/** Where the new account sits now, as ListParents answers. */
const accountIsIn = (parentId: string) =>
  organizations.on(ListParentsCommand, { ChildId: NEW_ACCOUNT }).resolves({ Parents: [{ Id: parentId, Type: parentId === ROOT ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] });

const controlTowerEvent = (status: Record<string, unknown> = { state: 'SUCCEEDED', account: { accountName: 'payments-dev', accountId: NEW_ACCOUNT } }) => ({
  version: '0',
  id: '5d8f3a6e-1c2b-4f0a-9e7d-2a1b3c4d5e6f',
  'detail-type': 'AWS Service Event via CloudTrail',
  source: 'aws.controltower',
  account: '111111111111',
  region: 'us-east-1',
  detail: { eventName: 'CreateManagedAccount', eventSource: 'controltower.amazonaws.com', serviceEventDetails: { createManagedAccountStatus: status } },
});

const organizationsEvent = (status: Record<string, unknown> = { state: 'SUCCEEDED', accountName: 'payments-dev', accountId: NEW_ACCOUNT }) => ({
  version: '0',
  id: '9c2e4b1a-7d3f-4e5a-b6c8-1d2e3f4a5b6c',
  'detail-type': 'AWS Service Event via CloudTrail',
  source: 'aws.organizations',
  account: '111111111111',
  region: 'us-east-1',
  detail: { eventName: 'CreateAccountResult', eventSource: 'organizations.amazonaws.com', serviceEventDetails: { createAccountStatus: status } },
});

const scheduledEvent = {
  version: '0',
  id: '3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e6f',
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: '333333333333',
  time: '2026-11-21T03:00:00Z',
  resources: ['arn:aws:scheduler:us-east-1:333333333333:schedule/default/alternate-contacts-nightly'],
  detail: {},
};

const resolve = (input: unknown, executionName = 'run-1') => handler({ input, executionName }, lambdaContext);

const FIRING = `${scheduledEvent.resources[0]}@${scheduledEvent.time}`;

beforeEach(() => {
  dynamodb.resetHistory();
  items.clear();
  organizations.reset();
  accountIsIn(WORKLOADS);
});

describe('resolve-targets', () => {
  it('targets only the new account of a Control Tower CreateManagedAccount event', async () => {
    const plan = await resolve(controlTowerEvent());

    expect(plan).toEqual({ status: 'RUN', runId: 'run-1', trigger: 'control-tower', dryRun: false, accountIds: [NEW_ACCOUNT], claimKey: `account:${NEW_ACCOUNT}@${WORKLOADS}` });
  });

  it('targets only the new account of an Organizations CreateAccountResult event', async () => {
    const plan = await resolve(organizationsEvent());

    expect(plan).toMatchObject({ status: 'RUN', trigger: 'organizations', accountIds: [NEW_ACCOUNT], claimKey: `account:${NEW_ACCOUNT}@${WORKLOADS}` });
  });

  it('reconciles the whole organization for the schedule, claimed by the schedule and its scheduled time', async () => {
    const plan = await resolve(scheduledEvent);

    expect(plan).toEqual({ status: 'RUN', runId: 'run-1', trigger: 'schedule', dryRun: false, claimKey: `schedule:${FIRING}` });
  });

  it('runs one firing of the schedule once, though a Scheduler retry carries a new execution id', async () => {
    await resolve(scheduledEvent, 'first-attempt');

    const retry = await resolve({ ...scheduledEvent, id: 'another-execution-id' }, 'second-attempt');

    expect(retry).toMatchObject({ status: 'SKIPPED', reason: 'duplicate of run first-attempt' });
  });

  it('reconciles the whole organization for an empty console input', async () => {
    const plan = await resolve({}, 'operator-run');

    expect(plan).toEqual({ status: 'RUN', runId: 'operator-run', trigger: 'manual', dryRun: false, claimKey: 'execution:operator-run' });
  });

  it('takes the accounts and the dry run from a console input', async () => {
    const plan = await resolve({ accountIds: ['222222222222', '444444444444'], dryRun: true });

    expect(plan).toMatchObject({ status: 'RUN', trigger: 'manual', dryRun: true, accountIds: ['222222222222', '444444444444'] });
  });

  it('makes every run a dry run when the configured mode is audit', async () => {
    const audit = await loadTask(() => import('../../tasks/resolve-targets.ts'), { ...BASE_CONFIG, mode: 'audit' });

    const plan = await audit.handler({ input: scheduledEvent, executionName: 'run-audit' }, lambdaContext);

    expect(plan.dryRun).toBe(true);
  });

  it('claims a run that writes nothing apart from a writing run of the same event: audit mode, then enforce, both run', async () => {
    const audit = await loadTask(() => import('../../tasks/resolve-targets.ts'), { ...BASE_CONFIG, mode: 'audit' });
    const preview = await audit.handler({ input: scheduledEvent, executionName: 'run-audit' }, lambdaContext);
    const enforce = await loadTask(() => import('../../tasks/resolve-targets.ts'), BASE_CONFIG);

    const real = await enforce.handler({ input: scheduledEvent, executionName: 'run-enforce' }, lambdaContext);

    expect(preview).toMatchObject({ status: 'RUN', dryRun: true, claimKey: `preview:schedule:${FIRING}` });
    expect(real).toMatchObject({ status: 'RUN', dryRun: false, claimKey: `schedule:${FIRING}` });
  });

  it.each([
    ['Control Tower', controlTowerEvent({ state: 'FAILED', message: 'AWS Control Tower failed to create the account.', account: { accountName: 'x' } })],
    ['Organizations', organizationsEvent({ state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' })],
  ])('skips a FAILED %s event without claiming anything', async (_source, event) => {
    const plan = await resolve(event);

    expect(plan).toMatchObject({ status: 'SKIPPED', reason: 'account creation ended FAILED' });
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('skips an event whose state it does not know', async () => {
    const plan = await resolve(organizationsEvent({ state: 'IN_PROGRESS' }));

    expect(plan).toMatchObject({ status: 'SKIPPED', reason: 'account creation ended IN_PROGRESS' });
  });

  it('skips a second delivery of the same event as a duplicate of the first run', async () => {
    await resolve(scheduledEvent, 'first-run');

    const second = await resolve(scheduledEvent, 'second-run');

    expect(second).toMatchObject({ status: 'SKIPPED', runId: 'second-run', reason: 'duplicate of run first-run' });
  });

  it('runs a new account once when Control Tower and Organizations both announce it', async () => {
    const first = await resolve(organizationsEvent(), 'orgs-run');

    const second = await resolve(controlTowerEvent(), 'control-tower-run');

    expect(first.status).toBe('RUN');
    expect(second).toMatchObject({ status: 'SKIPPED', reason: 'duplicate of run orgs-run' });
  });

  it('runs the Control Tower event again when the account moved into its OU after the Organizations event', async () => {
    accountIsIn(ROOT);
    await resolve(organizationsEvent(), 'orgs-run');
    accountIsIn(WORKLOADS);

    const second = await resolve(controlTowerEvent(), 'control-tower-run');

    expect(second).toMatchObject({ status: 'RUN', claimKey: `account:${NEW_ACCOUNT}@${WORKLOADS}` });
  });

  it('keeps the plan when the same execution resolves again', async () => {
    await resolve(scheduledEvent, 'run-1');

    const again = await resolve(scheduledEvent, 'run-1');

    expect(again.status).toBe('RUN');
  });

  it('never deduplicates operators: two console runs with the same input both run', async () => {
    const first = await resolve({}, 'operator-1');
    const second = await resolve({}, 'operator-2');

    expect([first.status, second.status]).toEqual(['RUN', 'RUN']);
  });

  it('asks the state machine to retry while another invocation is still claiming the event', async () => {
    await resolve(scheduledEvent, 'first-run');
    const [key, item] = [...items.entries()][0] ?? [];
    items.set(key ?? '', { ...item, ...marshall({ status: 'INPROGRESS', in_progress_expiration: Date.now() + 60_000 }) });

    await expect(resolve(scheduledEvent, 'second-run')).rejects.toMatchObject({ name: 'TransientError', message: `another invocation is claiming schedule:${FIRING}` });
  });

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
