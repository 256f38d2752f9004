import type { Context } from 'aws-lambda';
import { executionEndedEvent, type ExecutionEndedEvent } from '#shared/events/execution-ended';
import type { RunPlan } from '#shared/rules/model';
import { logger } from '#shared/aws/powertools';
import { releaseClaimOfRun, releaseUnfinishedAccountRun } from '#shared/aws/run-claim';

interface FailedListing {
  readonly plan: RunPlan;
}

/**
 * Two callers, one purpose: no claim outlives its run.
 * - The state machine, when listing the accounts failed: a new account's next event must not be skipped.
 * - EventBridge, when an execution failed, timed out or was aborted (infra/constructs/claim-release.ts), or the local
 *   runner for a run it finds dead: whatever that run still holds is released, whatever its trigger, so the next
 *   delivery of its event runs.
 */
export const handler = async (input: FailedListing | ExecutionEndedEvent, context: Context): Promise<void> => {
  logger.addContext(context);
  if (!('detail' in input)) {
    const { plan } = input as FailedListing;
    await releaseUnfinishedAccountRun(plan);
    logger.info('Claim released after a failed run', { runId: plan.runId, trigger: plan.trigger });
    return;
  }
  const { detail } = executionEndedEvent.parse(input);
  const released = await releaseClaimOfRun(detail.name);
  logger.info('Run ended without success', { runId: detail.name, status: detail.status, released: released ?? 'nothing held' });
};
