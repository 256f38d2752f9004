/**
 * Named errors: their names are the contract with the state machine's Retry and Catch
 * (statemachine/enforcer.asl.json). Rename one here and there together.
 */

/**
 * A base class per name. The name is a literal, not `Class.name`: bundles are minified and class names do not
 * survive that. `retryable` says whether a later attempt can succeed, so the state machine retries it.
 */
function namedError<const Name extends string>(name: Name, retryable: boolean) {
  return class extends Error {
    override readonly name: Name = name;
    readonly retryable = retryable;
  };
}

/** `Name: message`, the form failures take in results, reports and the preflight's lines. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The Account API said TooManyRequestsException after the SDK's own retries. */
export class ThrottledError extends namedError('ThrottledError', true) {}

/** A just-created account answers AccessDenied for some minutes; it is not ready yet. */
export class AccountNotReadyError extends namedError('AccountNotReadyError', true) {}

/** A transient AWS-side failure (InternalServerException, 5xx). */
export class TransientError extends namedError('TransientError', true) {}

/**
 * The run table (plan chunks, account results, the report) could not be read or written after the SDK's own retries:
 * throttled, unavailable, or the connection lost. The state machine retries it, then degrades: the account or the
 * report is still delivered, with this error as the reason.
 */
export class RunTableError extends namedError('RunTableError', true) {}

/**
 * The run table holds no such chunk of the plan: the plan was written before the Map started, so a missing chunk is
 * gone for good (its items expired, or the run id is wrong) and a retry reads the same nothing. The LoadChunk state's
 * Catch (States.ALL) hands it to ChunkNotLoaded, and the report names the chunk's accounts FAILED with it.
 */
export class ChunkNotFoundError extends namedError('ChunkNotFoundError', false) {}

/** The claim table (Powertools idempotency) could not be read or written after the SDK's own retries. */
export class ClaimTableError extends namedError('ClaimTableError', true) {}

/** AccessDenied that waiting will not fix: a missing permission, trusted access off, or a wrong context. */
export class AccessDeniedError extends namedError('AccessDeniedError', false) {}

/** AWS (or our own pre-check of AWS's rules) rejected a request's content. */
export class ContactValidationError extends namedError('ContactValidationError', false) {}

/** The state machine's input is not an event or a console input we understand. */
export class MalformedInputError extends namedError('MalformedInputError', false) {}

/** The configuration file breaks the schema. */
export class ConfigError extends namedError('ConfigError', false) {
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`Invalid configuration ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
