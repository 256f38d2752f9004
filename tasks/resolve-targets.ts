import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { loadConfig } from '#shared/config';
import { ENV, requiredEnv } from '#shared/env';
import type { RunPlan } from '#shared/model';
import { TransientError } from '#shared/errors';
import { parentIdOf } from '#shared/organization';
import { logger } from '#shared/powertools';
import { claimRun } from '#shared/run-claim';
import { parseRunInput, type RunInput } from '#shared/run-input';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));

/**
 * The claim key decides which deliveries are one run:
 * - a new account, `account:<id>@<parent>`: Control Tower's CreateManagedAccount and the Organizations
 *   CreateAccountResult before it name the same account, so the second finds the claim taken and is skipped.
 *   The account's parent is part of the key because Control Tower creates the account in the root and moves it to
 *   its OU before CreateManagedAccount: once moved, OU overrides may want other contacts, and the second event runs;
 * - the schedule, `schedule:<schedule ARN>@<scheduled time>`: one firing, whichever delivery or retry carries it
 *   (Scheduler's execution id changes with every attempt);
 * - the console or CLI, `execution:<name>`: an operator's run is never mistaken for a duplicate.
 */
async function claimKeyOf(run: RunInput, executionName: string): Promise<string> {
  switch (run.trigger) {
    case 'control-tower':
    case 'organizations':
      return run.accountId ? `account:${run.accountId}@${await parentIdOf(run.accountId)}` : 'account:unknown';
    case 'schedule':
      return `schedule:${run.firing}`;
    case 'manual':
      return `execution:${executionName}`;
    // One tag change: EventBridge keeps an event's CloudTrail eventID on every delivery of it.
    case 'tag-change':
      return `tags:${run.eventId}`;
  }
}

/** A new-account event targets only its account; absent means the whole organization. */
function targetedAccounts(run: RunInput): readonly string[] | undefined {
  if (run.trigger === 'manual') return run.accountIds;
  if (run.trigger === 'schedule') return undefined;
  return run.accountId ? [run.accountId] : undefined;
}

function planOf(run: RunInput, executionName: string, claimKey: string): RunPlan {
  const accountIds = targetedAccounts(run);
  return {
    status: 'RUN',
    runId: executionName,
    trigger: run.trigger,
    dryRun: (run.trigger === 'manual' && run.dryRun) || config.mode === 'audit',
    ...(accountIds && { accountIds }),
    claimKey,
  };
}

const skipped = (plan: RunPlan, reason: string): RunPlan => ({ ...plan, status: 'SKIPPED', reason });

async function claim(plan: RunPlan, context: Context): Promise<RunPlan> {
  try {
    const holder = await claimRun(plan.claimKey, plan, context);
    // The same execution may invoke this task again (a Lambda retry): its own claim is no duplicate.
    return holder.runId === plan.runId ? holder : skipped(plan, `duplicate of run ${holder.runId}`);
  } catch (error) {
    // Another invocation holds the claim right now: a duplicate delivery arriving at the same moment, or this very
    // execution's earlier attempt that died mid-claim. Retried, the first finds the claim taken and the second its own.
    if (error instanceof IdempotencyAlreadyInProgressError) throw new TransientError(`another invocation is claiming ${plan.claimKey}`, { cause: error });
    throw error;
  }
}

export const handler = async ({ input, executionName }: { input: unknown; executionName: string }, context: Context): Promise<RunPlan> => {
  logger.addContext(context);
  const run = parseRunInput(input);
  const failed = 'state' in run && run.state !== 'SUCCEEDED';
  const notAnAccount = run.trigger === 'tag-change' && !run.accountId;
  const plan = planOf(run, executionName, failed || notAnAccount ? 'none' : await claimKeyOf(run, executionName));
  const result = failed
    ? skipped(plan, `account creation ended ${run.state}`)
    : notAnAccount
      ? skipped(plan, `tags changed on ${run.resourceId}, not an account: no account's contacts depend on them`)
      : await claim(plan, context);
  logger.info('Run resolved', { runId: result.runId, trigger: result.trigger, status: result.status, reason: result.reason, dryRun: result.dryRun });
  return result;
};
