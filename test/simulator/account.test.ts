import { DeleteAlternateContactCommand } from '@aws-sdk/client-account';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, account, clock, CONTACT, DENIED, get, MANAGEMENT, MEMBER, NEW_MEMBER, organization, OTHER_MEMBER, OU, outcomes, put, simulator, start, stopSimulator, SUSPENDED, T0 } from './fixture.ts';

afterEach(stopSimulator);

describe('Account API: who may call whom', () => {
  it('denies the management account that passes its own id as AccountId', async () => {
    await start();

    const call = account(MANAGEMENT).send(get(MANAGEMENT));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  });

  it('lets the management account handle itself in standalone context', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(put(undefined));

    expect(state.accounts.find((a) => a.id === MANAGEMENT)?.contacts.SECURITY?.email).toBe(CONTACT.EmailAddress);
  });

  it('lets the management account write a member account with AccountId', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(put(MEMBER));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts.SECURITY?.name).toBe(CONTACT.Name);
  });

  it('lets the delegated administrator write a member account with AccountId', async () => {
    const { state } = await start();

    await account(ADMIN).send(put(MEMBER));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts.SECURITY?.name).toBe(CONTACT.Name);
  });

  it('denies a member account that is not a delegated administrator', async () => {
    await start();

    const call = account(OTHER_MEMBER).send(get(MEMBER, 'BILLING'));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies the delegated administrator while trusted access is off', async () => {
    const { state } = await start();
    state.trustedAccess = false;

    const call = account(ADMIN).send(get(MEMBER, 'BILLING'));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies a client that signs for a Region other than us-east-1', async () => {
    await start();

    const call = account(MANAGEMENT, 'eu-west-1').send(get(MEMBER, 'BILLING'));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('denies every call on an account an SCP walls off, to the delegated administrator it binds', async () => {
    await start();
    clock.now += 3_600_000;

    const call = account(ADMIN).send(get(DENIED));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('explicit deny') });
  });

  it('denies a member caller at a level of its path that no SCP allows the action at, once FullAWSAccess is stored', async () => {
    const state = organization();
    const fullAwsAccess = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', description: '', awsManaged: true, content: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' };
    // Detached from the delegated administrator's account itself, attached everywhere else.
    state.policies!.push({ ...fullAwsAccess, targets: ['r-ab12', OU, ...state.accounts.map((a) => a.id).filter((id) => id !== ADMIN)] });
    await start({ state });

    const fromAdmin = account(ADMIN).send(get(MEMBER, 'BILLING'));
    const fromManagement = account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    await expect(fromAdmin).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(/because no service control policy allows the account:GetAlternateContact action$/) });
    await expect(fromManagement).resolves.toBeDefined();
  });

  it('denies calls on a suspended account', async () => {
    await start();

    const call = account(MANAGEMENT).send(get(SUSPENDED));

    await expect(call).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('Account API: contacts', () => {
  it('answers ResourceNotFoundException for a type that is not set', async () => {
    await start();

    const call = account(MANAGEMENT).send(get(MEMBER, 'SECURITY'));

    await expect(call).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No contact of the inputted alternate contact type found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('returns a stored contact with its type', async () => {
    await start();

    const { AlternateContact } = await account(MANAGEMENT).send(get(MEMBER, 'BILLING'));

    expect(AlternateContact).toEqual({ AlternateContactType: 'BILLING', Name: 'Cloud FinOps', Title: 'Billing', EmailAddress: 'finops@example.com', PhoneNumber: '+1 555 0101' });
  });

  it('deletes a contact', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(new DeleteAlternateContactCommand({ AccountId: MEMBER, AlternateContactType: 'BILLING' }));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts).toEqual({});
  });

  it.each([
    ['Name', { Name: 'x'.repeat(65) }],
    ['Title', { Title: '' }],
    ['EmailAddress', { EmailAddress: 'not-an-address' }],
    ['PhoneNumber', { PhoneNumber: 'call me' }],
    ['AccountId', { AccountId: '12345' }],
    ['AlternateContactType', { AlternateContactType: 'LEGAL' as never }],
  ])('rejects an invalid %s with a ValidationException naming the field', async (field, invalid) => {
    const { state } = await start();
    const before = structuredClone(state.accounts);

    const call = account(MANAGEMENT).send(put(MEMBER, invalid));

    await expect(call).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining(`'${field}'`), $metadata: { httpStatusCode: 400 } });
    expect(state.accounts).toEqual(before);
  });

  it('accepts surrounding whitespace, as AWS does', async () => {
    await start();

    const call = account(MANAGEMENT).send(put(MEMBER, { EmailAddress: ' security@example.com ', PhoneNumber: ' +1 555 0100' }));

    await expect(call).resolves.toBeDefined();
  });

  it('accepts any characters in Name and Title, blank ones included: AWS documents no pattern for them', async () => {
    const { state } = await start();

    await account(MANAGEMENT).send(put(MEMBER, { Name: '\tSOC\t', Title: ' ' }));

    expect(state.accounts.find((a) => a.id === MEMBER)?.contacts.SECURITY).toMatchObject({ name: '\tSOC\t', title: ' ' });
  });

  it('answers AccessDenied for a just-created account until its readyAt', async () => {
    await start();
    const client = account(MANAGEMENT);
    const before = await outcomes(1, () => client.send(get(NEW_MEMBER)));

    clock.now = T0 + 60_000;
    const after = await outcomes(1, () => client.send(get(NEW_MEMBER)));

    expect({ before, after }).toEqual({ before: { AccessDeniedException: 1 }, after: { ResourceNotFoundException: 1 } });
  });
});

describe('Account API: quotas per caller', () => {
  it('throttles Gets beyond the burst of 15', async () => {
    await start();
    const client = account(MANAGEMENT);

    const counts = await outcomes(20, () => client.send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 15, TooManyRequestsException: 5 });
  });

  it('throttles Puts beyond the burst of 8, with HTTP 429', async () => {
    await start();
    const client = account(MANAGEMENT);

    const counts = await outcomes(10, () => client.send(put(MEMBER)));

    expect(counts).toEqual({ OK: 8, TooManyRequestsException: 2 });
    expect(simulator().stats().throttled).toEqual({ 'account:PutAlternateContact': 2 });
  });

  it('refills a bucket at the quota rate', async () => {
    await start();
    const client = account(MANAGEMENT);
    await outcomes(15, () => client.send(get(MEMBER, 'BILLING')));

    clock.now += 1_000; // 10/s × 1 s = 10 tokens
    const counts = await outcomes(12, () => client.send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 10, TooManyRequestsException: 2 });
  });

  it('keeps one bucket per caller account', async () => {
    await start();
    await outcomes(15, () => account(MANAGEMENT).send(get(MEMBER, 'BILLING')));

    const counts = await outcomes(1, () => account(ADMIN).send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 1 });
  });

  it('cuts every quota by quotaScale', async () => {
    await start({ quotaScale: 0.1 });
    const client = account(MANAGEMENT);

    const counts = await outcomes(3, () => client.send(get(MEMBER, 'BILLING')));

    expect(counts).toEqual({ OK: 1, TooManyRequestsException: 2 });
  });
});
