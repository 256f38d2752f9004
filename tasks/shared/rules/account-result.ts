import { z } from 'zod';
import type { ContactType } from './contacts.ts';
import { type AccountResult, type CallTarget, type ComparisonResult, type CurrentContacts, isWrite, type TargetAccount, type TypeComparison, type Writes } from './model.ts';

/** What a Catch puts at ResultPath: the error name and its cause. */
export interface StateError {
  readonly Error: string;
  readonly Cause?: string;
}

/** One Map iteration's whole state, as the state machine hands it to record-result; later stages may be absent. */
export interface IterationState {
  readonly runId: string;
  readonly dryRun: boolean;
  readonly account: TargetAccount;
  readonly target?: CallTarget;
  readonly current?: CurrentContacts;
  readonly comparison?: ComparisonResult;
  readonly writes?: Writes;
  readonly error?: StateError;
}

// A Lambda task's Cause is a JSON string; other states' Causes are plain text.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
const lambdaCause = z.object({ errorType: z.string(), errorMessage: z.string() });

function lambdaError(cause: string): z.infer<typeof lambdaCause> | undefined {
  try {
    const parsed = lambdaCause.safeParse(JSON.parse(cause));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: the Cause is the reason as it stands.
  }
  return undefined;
}

/** `Name: message` of a caught error. */
export function failureReason({ Error: name, Cause: cause }: StateError): string {
  if (!cause) return name;
  const error = lambdaError(cause);
  return error ? `${error.errorType}: ${error.errorMessage}` : cause;
}

/** The message alone of a caught error: the text it was thrown with. */
export function failureMessage({ Error: name, Cause: cause }: StateError): string {
  if (!cause) return name;
  return lambdaError(cause)?.errorMessage ?? cause;
}

type TypeOutcome = TypeComparison & { readonly applied: boolean };

function typeOutcome(state: IterationState, type: ContactType, errorReason: string | undefined): TypeOutcome {
  const compared = state.comparison?.actions[type];
  if (!compared) return { action: 'FAILED', reason: errorReason ?? 'not compared', applied: false };
  if (!isWrite(compared.action) || state.dryRun) return { ...compared, applied: false };
  const write = state.writes?.[type];
  if (write?.status === 'WRITTEN') return { ...compared, applied: true };
  const reason = write?.status === 'FAILED' ? write.error : (errorReason ?? 'not written');
  return { ...compared, action: 'FAILED', reason, applied: false };
}

/** The account's outcome per desired type: FAILED as a whole when an error was caught or any type failed. */
export function accountResult(state: IterationState): AccountResult {
  const error = state.error && failureReason(state.error);
  const types = Object.fromEntries(
    (Object.keys(state.account.desired) as ContactType[]).map((type) => [type, typeOutcome(state, type, error)]),
  );
  const failed = error !== undefined || Object.values(types).some(({ action }) => action === 'FAILED');
  return {
    accountId: state.account.id,
    accountName: state.account.name,
    status: failed ? 'FAILED' : 'OK',
    dryRun: state.dryRun,
    types,
    ...(error !== undefined && { error }),
    ouPath: state.account.ouPath,
    sources: state.account.sources,
    ...(state.account.guarded !== undefined && { guarded: state.account.guarded }),
  };
}
