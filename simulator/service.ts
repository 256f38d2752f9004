import type { SimAccount, SimState } from './state.ts';

/** The wire protocol a service speaks; the SDK v3 client of each service expects exactly its own. */
export type Protocol = 'awsJson1_1' | 'restJson1' | 'awsQuery' | 'restXml';

/** A failure the way AWS reports it: an error code (the SDK's exception name), a message and an HTTP status. */
export class SimError extends Error {
  override readonly name = 'SimError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error shape, e.g. a ValidationException's fieldList. */
    readonly members: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export interface Caller {
  readonly accountId: string;
  /** The principal's ARN, as AWS names it in AccessDenied messages. */
  readonly arn: string;
}

/** One request, decoded. */
export interface Call {
  readonly caller: Caller;
  /** The signing region from the SigV4 credential scope. */
  readonly region: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** A token bucket's shape before `quotaScale` is applied. */
export interface Quota {
  /** Calls sharing a name (per caller account) draw from one bucket. */
  readonly bucket: string;
  readonly perSecond: number;
  readonly burst: number;
}

export interface Service {
  readonly protocol: Protocol;
  /** The account a call acts on, for the per-target statistics; undefined (or no targetOf) when it acts on none. */
  targetOf?(op: string, call: Call): string | undefined;
  /** True when the call acts on the caller's own account without naming it (the Account API's standalone context). */
  isStandalone?(call: Call): boolean;
  /** The rate an operation draws from; undefined (or no quotaOf) when the simulator does not throttle it. */
  quotaOf?(op: string): Quota | undefined;
  /** Returns the operation's output shape, or throws a SimError. */
  handle(op: string, call: Call): unknown;
}

/** What the services share: the live state, the clock and what the options make of it. */
export interface Sim {
  readonly state: SimState;
  /** The server's base URL, e.g. http://127.0.0.1:40123. */
  url(): string;
  now(): number;
  account(accountId: string): SimAccount | undefined;
  /** The account's State now: a PENDING_ACTIVATION account turns ACTIVE at its activatesAt. */
  stateOf(account: SimAccount): SimAccount['status'];
  /** False while a just-created account is still inside its readyAt window. */
  isReady(account: SimAccount): boolean;
  /** Records a write's CloudTrail event, as EventBridge would receive it in the caller's account. */
  recordEvent(event: object): void;
  /** Issues temporary credentials for an assumed role and returns the session's access key id. */
  startSession(accountId: string, arn: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export function stringInput(call: Call, member: string): string | undefined {
  const value = call.input[member];
  return typeof value === 'string' ? value : undefined;
}

export function requiredInput(call: Call, member: string): string {
  const value = stringInput(call, member);
  if (value === undefined) throw new SimError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function unknownOperation(op: string): SimError {
  return new SimError('UnknownOperationException', `The simulator does not implement ${op}`);
}

export function isDelegatedAdmin(state: SimState, accountId: string, servicePrincipal?: string): boolean {
  return state.delegatedAdministrators.some((d) => d.accountId === accountId && (servicePrincipal === undefined || d.servicePrincipal === servicePrincipal));
}
