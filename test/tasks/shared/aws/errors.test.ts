import { AccessDeniedException, InternalServerException, TooManyRequestsException, ValidationException } from '@aws-sdk/client-account';
import { describe, expect, it } from 'vitest';
import '../../support.ts';
import { isRetryable, toNamedError } from '#shared/aws/errors';
import { ThrottledError, AccessDeniedError } from '#shared/rules/errors';

const metadata = { $metadata: {} };

describe('toNamedError: an AWS SDK error as the named error the state machine retries or catches', () => {
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

describe('isRetryable', () => {
  it('follows what the named error says of itself', () => {
    expect(isRetryable(new ThrottledError('slow down'))).toBe(true);
    expect(isRetryable(new AccessDeniedError('denied'))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });
});
