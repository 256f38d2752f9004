import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockSdkClient } from '../../../sdk-mock.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../../support.ts';
import { accountClientFor, assumedRoleCredentials, perType } from '#shared/aws/account-api';
import type { ContactType } from '#shared/rules/contacts';
import { ThrottledError } from '#shared/rules/errors';

const sts = mockSdkClient(STSClient);
const ROLE = 'arn:aws:iam::111111111111:role/alternate-contacts-management';
const assumed = (minutesLeft: number) => ({
  Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + minutesLeft * 60_000) },
});

beforeEach(() => sts.reset());

describe('account-api', () => {
  it('pins the Account client to us-east-1 whatever Region the function runs in', async () => {
    const region = await accountClientFor({}, 'GetAlternateContact').config.region();

    expect(process.env['AWS_REGION']).toBe('eu-west-1');
    expect(region).toBe('us-east-1');
  });

  it('pins the management role client to us-east-1 too', async () => {
    expect(await accountClientFor({ roleArn: ROLE }, 'PutAlternateContact').config.region()).toBe('us-east-1');
  });

  it('assumes a role once and reuses its credentials while they are fresh', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed(60));
    const role = `${ROLE}-fresh`;

    await assumedRoleCredentials(role);
    await assumedRoleCredentials(role);

    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: role });
  });

  it('assumes the role again shortly before the credentials expire', async () => {
    sts.on(AssumeRoleCommand).resolves(assumed(2));
    const role = `${ROLE}-expiring`;

    await assumedRoleCredentials(role);
    await assumedRoleCredentials(role);

    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
  });
});

describe('perType: retries per contact type, never repeating a call that succeeded', () => {
  const TYPES: ContactType[] = ['SECURITY', 'BILLING', 'OPERATIONS'];
  const failed = (error: unknown) => `failed: ${(error as Error).name}`;
  const plenty = () => 60_000;
  let calls: ContactType[];
  /** A call per type that throws the given errors in turn, then succeeds. */
  const scripted = (errors: Partial<Record<ContactType, Error[]>>) => async (type: ContactType) => {
    calls.push(type);
    const next = errors[type]?.shift();
    if (next) throw next;
    return 'ok';
  };
  const settle = async <T>(pending: Promise<T>) => {
    const outcome = pending.then((value) => ({ value }), (error: unknown) => ({ error }));
    await vi.runAllTimersAsync();
    return outcome;
  };

  beforeEach(() => {
    calls = [];
    vi.useFakeTimers({ toFake: ['setTimeout'] });
  });
  afterEach(() => vi.useRealTimers());

  it('retries inside the task only the type still pending once another succeeded', async () => {
    const call = scripted({ OPERATIONS: [new ThrottledError('Rate exceeded'), new ThrottledError('Rate exceeded')] });

    const outcome = await settle(perType(TYPES, call, failed, plenty));

    expect(outcome).toEqual({ value: { SECURITY: 'ok', BILLING: 'ok', OPERATIONS: 'ok' } });
    expect(calls.filter((type) => type === 'SECURITY')).toHaveLength(1);
    expect(calls.filter((type) => type === 'OPERATIONS')).toHaveLength(3);
  });

  it('hands the retry to the state machine while no call has succeeded, so the retried task repeats nothing', async () => {
    const throttled = () => [new ThrottledError('Rate exceeded')];
    const call = scripted({ SECURITY: throttled(), BILLING: throttled(), OPERATIONS: throttled() });

    const outcome = await settle(perType(TYPES, call, failed, plenty));

    expect(outcome).toEqual({ error: expect.objectContaining({ name: 'ThrottledError' }) });
    expect(calls).toEqual(TYPES);
  });

  it('reports a pending type failed when the function is about to time out, rather than let the task be repeated', async () => {
    const call = scripted({ BILLING: [new ThrottledError('Rate exceeded')] });

    const outcome = await settle(perType(TYPES, call, failed, () => 4_000));

    expect(outcome).toEqual({ value: { SECURITY: 'ok', BILLING: 'failed: ThrottledError', OPERATIONS: 'ok' } });
    expect(calls).toEqual(TYPES);
  });

  it('keeps a non-retryable failure as that type outcome and never calls it again', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedError' });
    const call = scripted({ BILLING: [denied] });

    const outcome = await settle(perType(TYPES, call, failed, plenty));

    expect(outcome).toEqual({ value: { SECURITY: 'ok', BILLING: 'failed: AccessDeniedError', OPERATIONS: 'ok' } });
    expect(calls).toEqual(TYPES);
  });
});
