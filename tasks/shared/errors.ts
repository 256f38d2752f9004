/**
 * Named errors: their names are the contract with the state machine's Retry and Catch
 * (statemachine/enforcer.asl.json). Rename one here and there together.
 */
abstract class NamedError extends Error {
  /** True when a later attempt can succeed, so the state machine retries it. */
  abstract readonly retryable: boolean;
}

/** The Account API said TooManyRequestsException after the SDK's own retries. */
export class ThrottledError extends NamedError {
  override readonly name = 'ThrottledError';
  readonly retryable = true;
}

/** A just-created account answers AccessDenied for some minutes; it is not ready yet. */
export class AccountNotReadyError extends NamedError {
  override readonly name = 'AccountNotReadyError';
  readonly retryable = true;
}

/** A transient AWS-side failure (InternalServerException, 5xx). */
export class TransientError extends NamedError {
  override readonly name = 'TransientError';
  readonly retryable = true;
}

/** AccessDenied that waiting will not fix: a missing permission, trusted access off, or a wrong context. */
export class AccessDeniedError extends NamedError {
  override readonly name = 'AccessDeniedError';
  readonly retryable = false;
}

/** AWS (or our own pre-check of AWS's rules) rejected a request's content. */
export class ContactValidationError extends NamedError {
  override readonly name = 'ContactValidationError';
  readonly retryable = false;
}

/** The state machine's input is not an event or a console input we understand. */
export class MalformedInputError extends NamedError {
  override readonly name = 'MalformedInputError';
  readonly retryable = false;
}

/** The configuration file breaks the schema. */
export class ConfigError extends NamedError {
  override readonly name = 'ConfigError';
  readonly retryable = false;
  constructor(readonly problems: readonly string[], source: string) {
    super(`Invalid configuration ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

// Literal names, not `Class.name`: bundles are minified and class names do not survive that.
export const RETRYABLE_ERRORS = ['ThrottledError', 'AccountNotReadyError', 'TransientError'] as const;
