import {
  AccountClient,
  DeleteAlternateContactCommand,
  GetAlternateContactCommand,
  PutAlternateContactCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-account';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Contact, ContactType } from '../rules/contacts.ts';
import { AccessDeniedError } from '../rules/errors.ts';
import type { CallTarget, CurrentContact } from '../rules/model.ts';
import type { AccountOperation } from '../rules/pacing.ts';
import { isRetryable, toNamedError } from './errors.ts';

// The Account Management API is global and signs in us-east-1; a client built for another Region is answered
// with AccessDeniedException, which looks like a missing permission.
// https://docs.aws.amazon.com/accounts/latest/reference/API_GetAlternateContact.html
const ACCOUNT_API_REGION = 'us-east-1';

// Assumed-role credentials are renewed this long before they expire, so no call signs with credentials that lapse mid-flight.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
const ROLE_SESSION_NAME = 'alternate-contacts-enforcer';

// Adaptive retry: each client keeps a client-side token bucket that slows down on the first throttle and probes back
// up, so every container of a run shares the per-caller quota without talking to the others. More attempts than the
// default 3, because a paced call waits in that bucket rather than failing fast.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const RETRY = { retryMode: 'adaptive', maxAttempts: 8 } as const;

const sts = new STSClient({});
/** One client per caller and operation: the rate limiter lives in the client, and each operation has its own quota. */
const clients = new Map<string, AccountClient>();
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

/** The Account client for a target and operation: the function's own credentials, or the target's role (the management account). */
export function accountClientFor(target: CallTarget, operation: AccountOperation): AccountClient {
  const { roleArn } = target;
  const key = `${roleArn ?? 'own'} ${operation}`;
  let client = clients.get(key);
  if (!client) {
    client = new AccountClient({ region: ACCOUNT_API_REGION, ...RETRY, ...(roleArn && { credentials: () => assumedRoleCredentials(roleArn) }) });
    clients.set(key, client);
  }
  return client;
}


// Retries inside a task, for the types still pending once another type's call succeeded: Put 5/s, so a few seconds.
const IN_TASK_RETRY = { baseMs: 1_000, maxDelayMs: 20_000 };
// Time left for the last outcomes to be returned before the function's own timeout.
const RETURN_MARGIN_MS = 5_000;

/**
 * Runs one call per contact type at once; one type's failure never aborts the others, and a call that succeeded is
 * never repeated. A non-retryable error becomes that type's outcome through `onError`. Retryable errors (throttles,
 * not ready yet, transient): while no call has succeeded, the error is thrown and the state machine's Retry repeats
 * the whole task; once one has, repeating the task would repeat it (a redundant Put), so the pending types are
 * retried here with capped, fully jittered backoff until they succeed or the function's time runs short.
 */
export async function perType<T>(
  types: readonly ContactType[],
  call: (type: ContactType) => Promise<T>,
  onError: (error: unknown) => T,
  remainingMs: () => number,
): Promise<Partial<Record<ContactType, T>>> {
  const outcomes: Partial<Record<ContactType, T>> = {};
  let pending = [...types];
  let succeeded = 0;
  for (let attempt = 0; ; attempt++) {
    const settled = await Promise.allSettled(pending.map(call));
    const retry: { type: ContactType; error: unknown }[] = [];
    settled.forEach((result, i) => {
      const type = pending[i]!;
      if (result.status === 'fulfilled') {
        outcomes[type] = result.value;
        succeeded++;
      } else if (isRetryable(result.reason)) retry.push({ type, error: result.reason });
      else outcomes[type] = onError(result.reason);
    });
    if (retry.length === 0) return outcomes;
    if (succeeded === 0) throw retry[0]!.error;
    const pause = Math.random() * Math.min(IN_TASK_RETRY.baseMs * 2 ** attempt, IN_TASK_RETRY.maxDelayMs);
    if (remainingMs() - pause < RETURN_MARGIN_MS) {
      for (const { type, error } of retry) outcomes[type] = onError(error);
      return outcomes;
    }
    // The global timer, not node:timers/promises: a local run scales it with its simulated clock (simulator/clock.ts).
    await new Promise((resolve) => setTimeout(resolve, pause));
    pending = retry.map(({ type }) => type);
  }
}

/**
 * The contact of one type. Organization context passes AccountId; standalone context (the caller's own account, or
 * the management account through its role) passes none, since the management account may not name itself.
 * https://docs.aws.amazon.com/accounts/latest/reference/using-orgs-trusted-access.html
 */
export async function getContact(target: CallTarget, type: ContactType, recentlyJoined: boolean): Promise<CurrentContact> {
  try {
    const { AlternateContact: found } = await accountClientFor(target, 'GetAlternateContact').send(
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
    await accountClientFor(target, 'PutAlternateContact').send(
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

/**
 * Removes the contact of one type. A contact already gone (ResourceNotFoundException, say another run deleted it
 * between the read and this call) is what was wanted, so it counts as done and a retry is always safe.
 * https://docs.aws.amazon.com/accounts/latest/reference/API_DeleteAlternateContact.html
 */
export async function deleteContact(target: CallTarget, type: ContactType, recentlyJoined: boolean): Promise<void> {
  try {
    await accountClientFor(target, 'DeleteAlternateContact').send(new DeleteAlternateContactCommand({ AccountId: target.accountId, AlternateContactType: type }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return;
    throw toNamedError(error, recentlyJoined);
  }
}
