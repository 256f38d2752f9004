import { AccessDeniedException, AccountClient, DeleteAlternateContactCommand, PutAlternateContactCommand, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-account';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DesiredContacts } from '#shared/rules/contacts';
import type { Comparison } from '#shared/rules/model';
import { BASE_CONFIG, CONTACTS, DESIRED, lambdaContext, loadTask } from './support.ts';

const account = mockSdkClient(AccountClient);
const { handler } = await loadTask(() => import('../../tasks/put-contacts.ts'));

const MEMBER = '222222222222';
const actions: Comparison = { SECURITY: { action: 'ASSIGN' }, BILLING: { action: 'SKIP', fields: ['email'] }, OPERATIONS: { action: 'UPDATE', fields: ['name'] } };
const metadata = { $metadata: {} };
const putContacts = (wanted: DesiredContacts = DESIRED, recentlyJoined = false) =>
  handler({ target: { accountId: MEMBER }, desired: wanted, actions, recentlyJoined }, lambdaContext);

beforeEach(() => {
  account.reset();
  account.on(PutAlternateContactCommand).resolves({});
});

describe('put-contacts', () => {
  it('writes only the types to assign or update', async () => {
    const writes = await putContacts();

    expect(writes).toEqual({ SECURITY: { status: 'WRITTEN' }, OPERATIONS: { status: 'WRITTEN' } });
    expect(account).toHaveReceivedCommandTimes(PutAlternateContactCommand, 2);
  });

  it('sends all four fields in organization context', async () => {
    await putContacts();

    expect(account).toHaveReceivedCommandWith(PutAlternateContactCommand, {
      AccountId: MEMBER,
      AlternateContactType: 'SECURITY',
      Name: CONTACTS.SECURITY.name,
      Title: CONTACTS.SECURITY.title,
      EmailAddress: CONTACTS.SECURITY.email,
      PhoneNumber: CONTACTS.SECURITY.phone,
    });
  });

  it('fails a contact AWS would reject without calling AWS, naming the field and rule', async () => {
    const wanted = { ...DESIRED, SECURITY: { contact: { ...CONTACTS.SECURITY, phone: 'call us' }, policy: 'enforce' as const } };

    const writes = await putContacts(wanted);

    expect(writes.SECURITY).toEqual({ status: 'FAILED', error: 'ContactValidationError: phone: may hold only digits, spaces and ()+-' });
    expect(account).toHaveReceivedCommandTimes(PutAlternateContactCommand, 1);
  });

  it('throws ThrottledError while nothing is written, so the state machine retries the whole task', async () => {
    account.on(PutAlternateContactCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...metadata }));

    await expect(putContacts()).rejects.toThrow(expect.objectContaining({ name: 'ThrottledError' }));
  });

  it('retries a throttled type inside the task once another is written, and never writes a type twice', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    account.on(PutAlternateContactCommand, { AlternateContactType: 'OPERATIONS' }).rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', ...metadata })).resolves({});

    const pending = putContacts();
    await vi.runAllTimersAsync();
    const writes = await pending;
    vi.useRealTimers();

    expect(writes).toEqual({ SECURITY: { status: 'WRITTEN' }, OPERATIONS: { status: 'WRITTEN' } });
    expect(account.commandCalls(PutAlternateContactCommand, { AlternateContactType: 'SECURITY' })).toHaveLength(1);
  });

  it('throws AccountNotReadyError on AccessDenied from an account that joined minutes ago', async () => {
    account.on(PutAlternateContactCommand).rejects(new AccessDeniedException({ message: 'not authorized', ...metadata }));

    await expect(putContacts(DESIRED, true)).rejects.toThrow(expect.objectContaining({ name: 'AccountNotReadyError' }));
  });

  it('fails one type on a non-retryable error and still writes the others', async () => {
    account.on(PutAlternateContactCommand, { AlternateContactType: 'SECURITY' }).rejects(new AccessDeniedException({ message: 'not authorized', ...metadata }));

    const writes = await putContacts();

    expect(writes).toEqual({ SECURITY: { status: 'FAILED', error: 'AccessDeniedError: not authorized' }, OPERATIONS: { status: 'WRITTEN' } });
  });

  it('makes no Put when the configured mode is audit', async () => {
    const audit = await loadTask(() => import('../../tasks/put-contacts.ts'), { ...BASE_CONFIG, mode: 'audit' });

    const writes = await audit.handler({ target: { accountId: MEMBER }, desired: DESIRED, actions, recentlyJoined: false }, lambdaContext);

    expect(account).not.toHaveReceivedCommand(PutAlternateContactCommand);
    expect(writes.SECURITY).toEqual({ status: 'FAILED', error: 'refused: the configured mode is audit' });
  });

  describe('DELETE', () => {
    const deleting: Comparison = { SECURITY: { action: 'ASSIGN' }, OPERATIONS: { action: 'DELETE' } };
    const wanted: DesiredContacts = { SECURITY: DESIRED.SECURITY!, OPERATIONS: { policy: 'delete' } };
    const run = () => handler({ target: { accountId: MEMBER }, desired: wanted, actions: deleting, recentlyJoined: false }, lambdaContext);

    it('deletes the type with DeleteAlternateContact and writes the others with Put', async () => {
      account.on(DeleteAlternateContactCommand).resolves({});

      expect(await run()).toEqual({ SECURITY: { status: 'WRITTEN' }, OPERATIONS: { status: 'WRITTEN' } });
      expect(account).toHaveReceivedCommandWith(DeleteAlternateContactCommand, { AccountId: MEMBER, AlternateContactType: 'OPERATIONS' });
      expect(account).toHaveReceivedCommandTimes(PutAlternateContactCommand, 1);
    });

    it('counts a contact already gone as deleted', async () => {
      account.on(DeleteAlternateContactCommand).rejects(new ResourceNotFoundException({ message: 'No contact', ...metadata }));

      expect((await run()).OPERATIONS).toEqual({ status: 'WRITTEN' });
    });

    it('fails only the deleted type when Delete is denied', async () => {
      account.on(DeleteAlternateContactCommand).rejects(new AccessDeniedException({ message: 'denied', ...metadata }));

      const writes = await run();

      expect(writes.SECURITY).toEqual({ status: 'WRITTEN' });
      expect(writes.OPERATIONS).toMatchObject({ status: 'FAILED', error: expect.stringContaining('AccessDenied') });
    });
  });
});
