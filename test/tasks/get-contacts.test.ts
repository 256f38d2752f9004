import {
  AccessDeniedException,
  AccountClient,
  GetAlternateContactCommand,
  InternalServerException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-account';
import { mockSdkClient } from '../sdk-mock.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTACTS, DESIRED, lambdaContext, loadTask } from './support.ts';

const account = mockSdkClient(AccountClient);
const { handler } = await loadTask(() => import('../../tasks/get-contacts.ts'));

const MEMBER = '222222222222';
const metadata = { $metadata: {} };
const notFound = () => new ResourceNotFoundException({ message: 'No contact of the inputted alternate contact type found', ...metadata });
const getContacts = (recentlyJoined = false, target: { accountId?: string } = { accountId: MEMBER }, wanted = DESIRED) =>
  handler({ target, desired: wanted, recentlyJoined }, lambdaContext);

beforeEach(() => {
  account.reset();
  account.on(GetAlternateContactCommand).rejects(notFound());
});

describe('get-contacts', () => {
  it('reads a set contact as FOUND with its four fields', async () => {
    account
      .on(GetAlternateContactCommand, { AlternateContactType: 'SECURITY' })
      .resolves({ AlternateContact: { AlternateContactType: 'SECURITY', Name: 'SOC', Title: 'Security', EmailAddress: 'soc@example.com', PhoneNumber: '+1 555' } });

    const current = await getContacts();

    expect(current.SECURITY).toEqual({ status: 'FOUND', contact: { name: 'SOC', title: 'Security', email: 'soc@example.com', phone: '+1 555' } });
  });

  it('reads ResourceNotFoundException as a MISSING contact, not a failure', async () => {
    const current = await getContacts();

    expect(current).toEqual({ SECURITY: { status: 'MISSING' }, BILLING: { status: 'MISSING' }, OPERATIONS: { status: 'MISSING' } });
  });

  it('reads only the desired types', async () => {
    await getContacts(false, { accountId: MEMBER }, { SECURITY: DESIRED.SECURITY });

    expect(account).toHaveReceivedCommandTimes(GetAlternateContactCommand, 1);
    expect(account).toHaveReceivedCommandWith(GetAlternateContactCommand, { AlternateContactType: 'SECURITY' });
  });

  it('names a member account with AccountId (organization context)', async () => {
    await getContacts();

    expect(account).toHaveReceivedCommandWith(GetAlternateContactCommand, { AccountId: MEMBER });
  });

  it("passes no AccountId for the caller's own account (standalone context)", async () => {
    await getContacts(false, {});

    expect(account.commandCalls(GetAlternateContactCommand).every((call) => call.args[0].input.AccountId === undefined)).toBe(true);
  });

  it('throws ThrottledError when every type is throttled, so the state machine retries the idempotent reads', async () => {
    account.on(GetAlternateContactCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...metadata }));

    await expect(getContacts()).rejects.toThrow(expect.objectContaining({ name: 'ThrottledError' }));
  });

  it('throws TransientError on an AWS-side failure of every type', async () => {
    account.on(GetAlternateContactCommand).rejects(new InternalServerException({ message: 'oops', ...metadata }));

    await expect(getContacts()).rejects.toThrow(expect.objectContaining({ name: 'TransientError' }));
  });

  it('throws AccountNotReadyError on AccessDenied from an account that joined minutes ago', async () => {
    account.on(GetAlternateContactCommand).rejects(new AccessDeniedException({ message: 'not authorized', ...metadata }));

    await expect(getContacts(true)).rejects.toThrow(expect.objectContaining({ name: 'AccountNotReadyError' }));
  });

  it('records AccessDenied from an established account against its type and keeps the other types', async () => {
    account.on(GetAlternateContactCommand, { AlternateContactType: 'SECURITY' }).rejects(new AccessDeniedException({ message: 'not authorized', ...metadata }));

    const current = await getContacts();

    expect(current).toEqual({
      SECURITY: { status: 'ERROR', error: 'AccessDeniedError: not authorized' },
      BILLING: { status: 'MISSING' },
      OPERATIONS: { status: 'MISSING' },
    });
  });
});
