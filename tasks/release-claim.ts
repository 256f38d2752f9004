import type { Context } from 'aws-lambda';
import type { RunPlan } from '#shared/model';
import { logger } from '#shared/powertools';
import { releaseUnfinishedAccountRun } from '#shared/run-claim';

/** The run failed before reaching its accounts (listing them failed): a new account's next event must not be skipped. */
export const handler = async ({ plan }: { plan: RunPlan }, context: Context): Promise<void> => {
  logger.addContext(context);
  await releaseUnfinishedAccountRun(plan);
  logger.info('Claim released after a failed run', { runId: plan.runId, trigger: plan.trigger });
};
