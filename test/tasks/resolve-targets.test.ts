import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { controlTowerEvent, NEW_ACCOUNT, organizationsEvent, scheduledEvent } from './resolve-targets-events.ts';
import { BASE_CONFIG, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

const { dynamodb, items } = mockIdempotencyTable();
// Its logs would bury the test output.
const { handler } = await loadTask(() => import('../../tasks/resolve-targets.ts'), BASE_CONFIG, { POWERTOOLS_LOG_LEVEL: 'SILENT' });

const ROOT = 'r-ab12';
const WORKLOADS = 'ou-ab12-cd34ef56';
const organizations = mockSdkClient(OrganizationsClient);
/** Where the new account sits now, as ListParents answers. */
const accountIsIn = (parentId: string) =>
  organizations.on(ListParentsCommand, { ChildId: NEW_ACCOUNT }).resolves({ Parents: [{ Id: parentId, Type: parentId === ROOT ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] });

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
});
