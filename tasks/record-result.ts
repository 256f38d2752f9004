import type { Context } from 'aws-lambda';
import { accountResult, type IterationState } from '#shared/account-result';
import { logger } from '#shared/powertools';
import { putResult } from '#shared/run-table';

export const handler = async (state: IterationState, context: Context): Promise<void> => {
  logger.addContext(context);
  const result = accountResult(state);
  await putResult(state.runId, result);
  logger.info('Account reconciled', { accountId: result.accountId, status: result.status, dryRun: result.dryRun, error: result.error });
};
