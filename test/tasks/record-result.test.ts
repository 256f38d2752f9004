import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IterationState } from '#shared/rules/account-result';
import type { AccountResult, TargetAccount } from '#shared/rules/model';
import { CONTACTS, lambdaContext, loadTask } from './support.ts';

const documents = mockSdkClient(DynamoDBDocumentClient);
const { handler } = await loadTask(() => import('../../tasks/record-result.ts'));

const account: TargetAccount = {
  id: '222222222222',
  name: 'payments-dev',
  context: 'organization',
  recentlyJoined: false,
  desired: { SECURITY: { contact: CONTACTS.SECURITY, policy: 'enforce' }, BILLING: { contact: CONTACTS.BILLING, policy: 'fill-missing' } },
  ouPath: ['ou-ab12-cd34ef56'],
  sources: { SECURITY: { layer: 'default' }, BILLING: { layer: 'ou', id: 'ou-ab12-cd34ef56' } },
};
const compared: IterationState = {
  runId: 'run-1',
  dryRun: false,
  account,
  target: { accountId: account.id },
  comparison: { actions: { SECURITY: { action: 'ASSIGN' }, BILLING: { action: 'UNCHANGED' } }, pending: true },
};

async function record(state: IterationState): Promise<AccountResult> {
  await handler(state, lambdaContext);
  return documents.commandCalls(PutCommand)[0]?.args[0].input.Item?.['result'] as AccountResult;
}

beforeEach(() => {
  documents.reset();
  documents.on(PutCommand).resolves({});
});

describe('record-result', () => {
  it('stores the account result under ACCOUNT#<id> with a 90-day expiry', async () => {
    await record({ ...compared, writes: { SECURITY: { status: 'WRITTEN' } } });

    const item = documents.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    const ninetyDays = Date.now() / 1000 + 90 * 24 * 3600;
    expect(item).toMatchObject({ runId: 'run-1', item: 'ACCOUNT#222222222222' });
    expect(item['expiresAt']).toBeCloseTo(ninetyDays, -2);
  });

  it('records a written change as applied and the account OK', async () => {
    const result = await record({ ...compared, writes: { SECURITY: { status: 'WRITTEN' } } });

    expect(result).toEqual({
      accountId: '222222222222',
      accountName: 'payments-dev',
      status: 'OK',
      dryRun: false,
      types: { SECURITY: { action: 'ASSIGN', applied: true }, BILLING: { action: 'UNCHANGED', applied: false } },
      ouPath: ['ou-ab12-cd34ef56'],
      sources: { SECURITY: { layer: 'default' }, BILLING: { layer: 'ou', id: 'ou-ab12-cd34ef56' } },
    });
  });

  it("records a dry run's change as planned, not applied, and the account OK", async () => {
    const result = await record({ ...compared, dryRun: true });

    expect(result.status).toBe('OK');
    expect(result.types.SECURITY).toEqual({ action: 'ASSIGN', applied: false });
  });

  it('fails the type whose write failed, with the write error as reason', async () => {
    const result = await record({ ...compared, writes: { SECURITY: { status: 'FAILED', error: 'AccessDeniedError: not authorized' } } });

    expect(result.status).toBe('FAILED');
    expect(result.types.SECURITY).toEqual({ action: 'FAILED', reason: 'AccessDeniedError: not authorized', applied: false });
  });

  it('reads the reason of a caught Lambda error from the JSON in its Cause', async () => {
    const cause = JSON.stringify({ errorType: 'AccountNotReadyError', errorMessage: 'not authorized', trace: ['...'] });

    const result = await record({ runId: 'run-1', dryRun: false, account, error: { Error: 'AccountNotReadyError', Cause: cause } });

    expect(result).toMatchObject({ status: 'FAILED', error: 'AccountNotReadyError: not authorized' });
    expect(result.types).toEqual({
      SECURITY: { action: 'FAILED', reason: 'AccountNotReadyError: not authorized', applied: false },
      BILLING: { action: 'FAILED', reason: 'AccountNotReadyError: not authorized', applied: false },
    });
  });

  it('returns a result the run table would not take, FAILED with the store error and its real outcome, and stores nothing', async () => {
    const message = 'run table: storing the result of 222222222222 failed: InternalServerError: Internal server error';
    const storeError = { Error: 'RunTableError', Cause: JSON.stringify({ errorType: 'RunTableError', errorMessage: message }) };

    const result = await handler({ ...compared, writes: { SECURITY: { status: 'WRITTEN' } }, storeError }, lambdaContext);

    expect(documents.commandCalls(PutCommand)).toHaveLength(0);
    expect(result).toMatchObject({ status: 'FAILED', error: `result not stored: RunTableError: ${message}`, types: { SECURITY: { action: 'ASSIGN', applied: true } } });
  });

  it('turns a run table error into RunTableError, for the state machine to retry', async () => {
    documents.on(PutCommand).rejects(Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' }));

    await expect(handler(compared, lambdaContext)).rejects.toMatchObject({ name: 'RunTableError', message: expect.stringContaining('storing the result of 222222222222 failed: ThrottlingException') });
  });

  it('takes a plain-text Cause as the reason as it stands', async () => {
    const result = await record({ ...compared, error: { Error: 'States.Timeout', Cause: 'Task timed out after 30 seconds' } });

    expect(result.error).toBe('Task timed out after 30 seconds');
    expect(result.types.SECURITY).toMatchObject({ action: 'FAILED', reason: 'Task timed out after 30 seconds' });
  });
});
