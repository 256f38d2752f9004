import { AccessDeniedError, AccountNotReadyError, ContactValidationError, ThrottledError, TransientError } from '../rules/errors.ts';
import { emitCountMetric, THROTTLED_CALLS_METRIC } from './metrics.ts';

/**
 * AWS SDK errors as the named errors the state machine retries or catches (tasks/shared/rules/errors.ts): every
 * adapter that calls the Account API, STS or Organizations turns what it caught into one of these here.
 */

/**
 * Turns an AWS SDK error into the named error the state machine retries or catches.
 * AccessDenied from an account that joined minutes ago means "not ready yet", not a missing permission.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_PutAlternateContact.html#API_PutAlternateContact_Errors
 */
export function toNamedError(error: unknown, recentlyJoined = false): unknown {
  if (!(error instanceof Error)) return error;
  const options = { cause: error };
  switch (error.name) {
    case 'TooManyRequestsException': // Account and Organizations
    case 'Throttling': // STS, assuming the management role
      emitCountMetric(THROTTLED_CALLS_METRIC, 1);
      return new ThrottledError(error.message, options);
    case 'AccessDeniedException':
      return recentlyJoined ? new AccountNotReadyError(error.message, options) : new AccessDeniedError(error.message, options);
    case 'ValidationException':
      return new ContactValidationError(error.message, options);
    case 'InternalServerException':
      return new TransientError(error.message, options);
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return new TransientError(`${error.name}: ${error.message}`, options);
  return error;
}

/** Whether a later attempt can succeed: the named errors say so themselves. */
export function isRetryable(error: unknown): boolean {
  return error instanceof Error && 'retryable' in error && error.retryable === true;
}
