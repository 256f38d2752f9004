import type { Context } from 'aws-lambda';
import { accountResult, failureReason, type IterationState, type StateError } from '#shared/rules/account-result';
import type { AccountResult } from '#shared/rules/model';
import { logger } from '#shared/aws/powertools';
import { putResult } from '#shared/aws/run-table';

interface RecordInput extends IterationState {
  /** Set by RecordResult's Catch (state ResultNotStored): the run table would not take the result. */
  readonly storeError?: StateError;
}

/**
 * RecordResult stores the account's result and returns an empty object. ResultNotStored, after the store failed for good,
 * returns the result instead, FAILED with the store error as its reason and its real outcome per type: the chunk's
 * output carries it to Report, and the chunk goes on with its next account.
 */
export const handler = async (state: RecordInput, context: Context): Promise<AccountResult | Record<string, never>> => {
  logger.addContext(context);
  const result = accountResult(state);
  if (state.storeError) {
    const reason = `result not stored: ${failureReason(state.storeError)}`;
    const unstored: AccountResult = { ...result, status: 'FAILED', error: result.error ? `${result.error}; ${reason}` : reason };
    logger.error('Account result not stored; Report gets it from the chunk output', { accountId: result.accountId, reason });
    return unstored;
  }
  await putResult(state.runId, result);
  logger.info('Account reconciled', { accountId: result.accountId, status: result.status, dryRun: result.dryRun, error: result.error });
  // An object, not null: Report tells a stored account's {} from an unstored result by its accountId.
  return {};
};
