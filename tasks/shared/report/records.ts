import type { ContactType } from '../rules/contacts.ts';
import { accountResult, failureReason, type StateError } from '../rules/account-result.ts';
import type { AccountResult, OuNames, Refusal, RunPlan, TargetAccount, WorkList } from '../rules/model.ts';

/** Everything the run left behind for its report: the plan, the stored results, and what went wrong on the way. */
export interface RunRecords {
  readonly plan: RunPlan;
  readonly work: WorkList;
  /** Every account planned, chunk by chunk (chunk n at index n); empty when the plan could not be read. */
  readonly chunks: readonly (readonly TargetAccount[])[];
  readonly results: readonly AccountResult[];
  /** Results the run table would not take, carried in the chunks' output instead (ResultNotStored). */
  readonly unstored?: readonly AccountResult[];
  /** Chunks whose child could not load them (ChunkNotLoaded) or failed, by chunk number, with the error. */
  readonly notLoaded?: Readonly<Record<number, StateError>>;
  /** Set when the Map itself failed: some chunks may have recorded nothing. */
  readonly mapError?: StateError;
  /** Set when the input was refused: no account was reached. */
  readonly refusal?: Refusal;
  /** The types the configured guardrail locks; absent without a guardrail. */
  readonly lockedTypes?: readonly ContactType[];
  /** Why the stored results could not be read, when they could not. */
  readonly resultsUnread?: string;
  /** What the run could not read or write in its own tables, even after retries, and why: the report says so. */
  readonly bookkeepingErrors?: readonly string[];
  /** The names of the OUs above the run's accounts; absent when they could not be read (the views show ids). */
  readonly ouNames?: OuNames;
}

/** Why an account planned in `chunk` has no result. */
function missingReason({ notLoaded, mapError, resultsUnread }: RunRecords, chunk: number): string {
  const loadError = notLoaded?.[chunk];
  if (loadError) return `its chunk's execution could not finish it: ${failureReason(loadError)}`;
  if (mapError) return failureReason(mapError);
  if (resultsUnread) return `its result could not be read: ${resultsUnread}`;
  return 'its chunk ended before the account was recorded';
}

/** An account planned but without a result: FAILED, with why. */
function unrecorded(plan: RunPlan, account: TargetAccount, why: string): AccountResult {
  return accountResult({ runId: plan.runId, dryRun: plan.dryRun, account, error: { Error: 'NoResult', Cause: `no result recorded: ${why}` } });
}

/**
 * Every account planned, each with its result: a stored one, else one its chunk carried (not stored), else FAILED
 * with the reason it has none.
 */
export function everyResult(records: RunRecords): AccountResult[] {
  const { plan, chunks, results, unstored = [] } = records;
  const all = new Map<string, AccountResult>();
  for (const result of [...unstored, ...results]) all.set(result.accountId, result);
  chunks.forEach((accounts, chunk) => {
    for (const account of accounts) if (!all.has(account.id)) all.set(account.id, unrecorded(plan, account, missingReason(records, chunk)));
  });
  return [...all.values()];
}

/** Planned accounts the report cannot name, because the plan itself could not be read. */
export const unnamedAccounts = ({ chunks, work, refusal }: RunRecords, named: number): number =>
  refusal || chunks.length > 0 ? 0 : Math.max(0, work.accountCount - named);
