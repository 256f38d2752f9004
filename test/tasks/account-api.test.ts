import { AccessDeniedException, InternalServerException, TooManyRequestsException, ValidationException } from '@aws-sdk/client-account';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import './support.ts';
import { accountClientFor, assumedRoleCredentials, toNamedError } from '#shared/account-api';

const sts = mockClient(STSClient);
const ROLE = 'arn:aws:iam::111111111111:role/alternate-contacts-management';
const assumed = (minutesLeft: number) => ({
  Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + minutesLeft * 60_000) },
});
const metadata = { $metadata: {} };

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

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'slow down', ...metadata }), false, 'ThrottledError'],
    ["STS's Throttling while assuming the management role", Object.assign(new Error('Rate exceeded'), { name: 'Throttling', ...metadata }), false, 'ThrottledError'],
    ['AccessDeniedException from a recently joined account', new AccessDeniedException({ message: 'denied', ...metadata }), true, 'AccountNotReadyError'],
    ['AccessDeniedException from an established account', new AccessDeniedException({ message: 'denied', ...metadata }), false, 'AccessDeniedError'],
    ['ValidationException', new ValidationException({ message: 'bad field', ...metadata }), false, 'ContactValidationError'],
    ['InternalServerException', new InternalServerException({ message: 'oops', ...metadata }), false, 'TransientError'],
    ['any 503', Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }), false, 'TransientError'],
  ])('maps %s to its named error', (_case, error, recentlyJoined, name) => {
    expect(toNamedError(error, recentlyJoined)).toMatchObject({ name, cause: error });
  });

  it('leaves an error it has no name for as it is', () => {
    const error = Object.assign(new Error('odd'), { $metadata: { httpStatusCode: 409 } });

    expect(toNamedError(error)).toBe(error);
  });
});
