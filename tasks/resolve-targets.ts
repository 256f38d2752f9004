import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { loadConfig } from '#shared/config';
import { ENV, requiredEnv } from '#shared/env';
import type { RunPlan } from '#shared/model';
import { logger } from '#shared/powertools';
import { claimRun } from '#shared/run-claim';
import { parseRunInput, type RunInput } from '#shared/run-input';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));

/**
 * The claim key decides which deliveries are one run:
 * - a new account, `account:<id>`: Control Tower's CreateManagedAccount and the Organizations CreateAccountResult
 *   it causes name the same account, so whichever arrives second finds the claim taken and is skipped;
 * - the schedule, `schedule:<event id>`: EventBridge may deliver an event more than once, always with the same id;
 * - the console or CLI, `execution:<name>`: an operator's run is never mistaken for a duplicate.
 */
function claimKeyOf(run: RunInput, executionName: string): string {
  switch (run.trigger) {
    case 'control-tower':
    case 'organizations':
      return `account:${run.accountId ?? 'unknown'}`;
    case 'schedule':
      return `schedule:${run.eventId}`;
    case 'manual':
      return `execution:${executionName}`;
  }
}

/** A new-account event targets only its account; absent means the whole organization. */
function targetedAccounts(run: RunInput): readonly string[] | undefined {
  if (run.trigger === 'manual') return run.accountIds;
  if (run.trigger === 'schedule') return undefined;
  return run.accountId ? [run.accountId] : undefined;
}

function planOf(run: RunInput, executionName: string): RunPlan {
  const accountIds = targetedAccounts(run);
  return {
    status: 'RUN',
    runId: executionName,
    trigger: run.trigger,
    dryRun: (run.trigger === 'manual' && run.dryRun) || config.mode === 'audit',
    ...(accountIds && { accountIds }),
    claimKey: claimKeyOf(run, executionName),
  };
}

const skipped = (plan: RunPlan, reason: string): RunPlan => ({ ...plan, status: 'SKIPPED', reason });

async function claim(plan: RunPlan, context: Context): Promise<RunPlan> {
  try {
    const holder = await claimRun(plan.claimKey, plan, context);
    // The same execution may invoke this task again (a Lambda retry): its own claim is no duplicate.
    return holder.runId === plan.runId ? holder : skipped(plan, `duplicate of run ${holder.runId}`);
  } catch (error) {
    if (error instanceof IdempotencyAlreadyInProgressError) return skipped(plan, `another run is claiming ${plan.claimKey}`);
    throw error;
  }
}

export const handler = async ({ input, executionName }: { input: unknown; executionName: string }, context: Context): Promise<RunPlan> => {
  logger.addContext(context);
  const run = parseRunInput(input);
  const plan = planOf(run, executionName);
  const result = 'state' in run && run.state !== 'SUCCEEDED' ? skipped(plan, `account creation ended ${run.state}`) : await claim(plan, context);
  logger.info('Run resolved', { runId: result.runId, trigger: result.trigger, status: result.status, reason: result.reason, dryRun: result.dryRun });
  return result;
};
