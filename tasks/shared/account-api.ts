import {
  AccountClient,
  GetAlternateContactCommand,
  PutAlternateContactCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-account';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Contact, ContactType } from './contacts.ts';
import {
  AccessDeniedError,
  AccountNotReadyError,
  ContactValidationError,
  ThrottledError,
  TransientError,
} from './errors.ts';
import type { CallTarget, CurrentContact } from './model.ts';
import { emitCountMetric, THROTTLED_CALLS_METRIC } from './metrics.ts';

// The Account Management API is global and signs in us-east-1; a client built for another Region is answered
// with AccessDeniedException, which looks like a missing permission.
// https://docs.aws.amazon.com/accounts/latest/reference/API_GetAlternateContact.html
const ACCOUNT_API_REGION = 'us-east-1';

// Assumed-role credentials are renewed this long before they expire, so no call signs with credentials that lapse mid-flight.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
const ROLE_SESSION_NAME = 'alternate-contacts-enforcer';

const sts = new STSClient({});
const ownAccountClient = new AccountClient({ region: ACCOUNT_API_REGION });
const roleClients = new Map<string, AccountClient>();
const roleCredentials = new Map<string, RoleCredentials>();

interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Credentials for a role, assumed once and reused until shortly before they expire. */
export async function assumedRoleCredentials(roleArn: string): Promise<RoleCredentials> {
  const cached = roleCredentials.get(roleArn);
  if (cached?.expiration && cached.expiration.getTime() - Date.now() > RENEW_BEFORE_EXPIRY_MS) return cached;
  const { Credentials: assumed } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME }));
  if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) throw new AccessDeniedError(`AssumeRole ${roleArn} returned no credentials`);
  const credentials = {
    accessKeyId: assumed.AccessKeyId,
    secretAccessKey: assumed.SecretAccessKey,
    sessionToken: assumed.SessionToken,
    expiration: assumed.Expiration,
  };
  roleCredentials.set(roleArn, credentials);
  return credentials;
}

/** The Account client for a target: the function's own credentials, or the target's role (the management account). */
export function accountClientFor(target: CallTarget): AccountClient {
  const { roleArn } = target;
  if (!roleArn) return ownAccountClient;
  let client = roleClients.get(roleArn);
  if (!client) {
    client = new AccountClient({ region: ACCOUNT_API_REGION, credentials: () => assumedRoleCredentials(roleArn) });
    roleClients.set(roleArn, client);
  }
  return client;
}

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

export function isRetryable(error: unknown): boolean {
  return error instanceof Error && 'retryable' in error && error.retryable === true;
}

/** `Name: message`, the form failures take in results and reports. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs one call per contact type at once. One type's failure never aborts the others: a non-retryable error becomes
 * that type's outcome through `onError`. A retryable one is thrown, because every call here is idempotent and the
 * state machine's Retry repeats the whole task.
 */
export async function perType<T>(
  types: readonly ContactType[],
  call: (type: ContactType) => Promise<T>,
  onError: (error: unknown) => T,
): Promise<Partial<Record<ContactType, T>>> {
  const settled = await Promise.allSettled(types.map(call));
  const retryable = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected' && isRetryable(s.reason));
  if (retryable) throw retryable.reason;
  return Object.fromEntries(settled.map((s, i) => [types[i], s.status === 'fulfilled' ? s.value : onError(s.reason)]));
}

/**
 * The contact of one type. Organization context passes AccountId; standalone context (the caller's own account, or
 * the management account through its role) passes none, since the management account may not name itself.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
 */
export async function getContact(target: CallTarget, type: ContactType, recentlyJoined: boolean): Promise<CurrentContact> {
  try {
    const { AlternateContact: found } = await accountClientFor(target).send(
      new GetAlternateContactCommand({ AccountId: target.accountId, AlternateContactType: type }),
    );
    return {
      status: 'FOUND',
      contact: { name: found?.Name ?? '', title: found?.Title ?? '', email: found?.EmailAddress ?? '', phone: found?.PhoneNumber ?? '' },
    };
  } catch (error) {
    // An unset contact answers ResourceNotFoundException: that is "missing", not a failure.
    if (error instanceof ResourceNotFoundException) return { status: 'MISSING' };
    throw toNamedError(error, recentlyJoined);
  }
}

/** Sets the contact of one type; PutAlternateContact is idempotent, so a retry is always safe. */
export async function putContact(target: CallTarget, type: ContactType, contact: Contact, recentlyJoined: boolean): Promise<void> {
  try {
    await accountClientFor(target).send(
      new PutAlternateContactCommand({
        AccountId: target.accountId,
        AlternateContactType: type,
        Name: contact.name,
        Title: contact.title,
        EmailAddress: contact.email,
        PhoneNumber: contact.phone,
      }),
    );
  } catch (error) {
    throw toNamedError(error, recentlyJoined);
  }
}
