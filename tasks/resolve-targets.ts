import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { loadConfig } from '#shared/rules/config';
import { ENV, requiredEnv } from '#shared/aws/env';
import type { RunPlan } from '#shared/rules/model';
import { MalformedInputError, TransientError } from '#shared/rules/errors';
import { parentIdOf } from '#shared/aws/organization';
import { logger } from '#shared/aws/powertools';
import { claimRun } from '#shared/aws/run-claim';
import { parseRunInput, refusalOf, type RunInput } from '#shared/events/run-input';
import { definitionOf } from '#shared/events/triggers/index';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));

/**
 * The claim key decides which deliveries are one run; each trigger's module says how its runs are claimed
 * (tasks/shared/events/triggers/).
 */
const claimKeyOf = (run: RunInput, executionName: string): Promise<string> =>
  Promise.resolve(definitionOf(run).claimKey(run, { executionName, parentIdOf }));

/** An account event targets only its account; absent means the whole organization, unless the plan has a joinedSearch. */
function targetedAccounts(run: RunInput): readonly string[] | undefined {
  if ('accountIds' in run) return run.accountIds;
  return 'accountId' in run && run.accountId ? [run.accountId] : undefined;
}

// The roles the put task writes as (the management role too, in the delegated topology): their events are its own.
const writers = new Set((process.env[ENV.WRITER_ARNS] ?? '').split(',').filter(Boolean));

/** Why an input starts no run, or undefined when it does. */
function skipReason(run: RunInput): string | undefined {
  const definition = definitionOf(run);
  // A rule switched off is not deployed, and an event that arrives anyway runs nothing.
  const key = definition.switch?.key;
  if (key && config.triggers[key] === false) return `the ${run.trigger} trigger is switched off in the configuration (triggers.${key})`;
  const reason = definition.skipReason?.(run);
  if (reason) return reason;
  if ('callFailed' in run && run.callFailed) return `the call failed with ${run.callFailed}, so nothing changed`;
  if ('actor' in run && run.actor && writers.has(run.actor)) return `the enforcer's own write (${run.actor})`;
  return undefined;
}

/**
 * A run writes nothing when the operator asked for a dry run, in audit mode, and when a new stack's deploy started it:
 * nobody has read a report of this organization yet, so only `triggers.firstDeploy: enforce` lets that run write.
 */
function isDryRun(run: RunInput): boolean {
  if (config.mode === 'audit') return true;
  if ('dryRun' in run) return run.dryRun;
  return 'firstDeploy' in run && run.firstDeploy && config.triggers.firstDeploy !== 'enforce';
}

function planOf(run: RunInput, executionName: string, claimKey: string): RunPlan {
  const accountIds = targetedAccounts(run);
  return {
    status: 'RUN',
    runId: executionName,
    trigger: run.trigger,
    dryRun: isDryRun(run),
    ...(accountIds && { accountIds }),
    ...('joinedSearch' in run && { joinedSearch: run.joinedSearch }),
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

/**
 * A malformed input, or an account event for an account outside the organization, is refused: no claim, no account
 * reached. The plan carries the refusal to Report, so SNS, Slack, the report files and the Runs metric show it, and
 * the state machine then fails the execution with MalformedInputError (the ExecutionsFailed alarm).
 */
function refused(input: unknown, executionName: string, error: MalformedInputError): RunPlan {
  const { trigger, refusal } = refusalOf(input, error.message);
  logger.error('Input refused; nothing runs', { error: refusal.message, trigger, source: refusal.source, eventId: refusal.eventId });
  return { status: 'REFUSED', runId: executionName, trigger, dryRun: config.mode === 'audit', claimKey: 'none', refusal };
}

async function resolve(input: unknown, executionName: string, context: Context): Promise<RunPlan> {
  const run = parseRunInput(input);
  const reason = skipReason(run);
  const plan = planOf(run, executionName, reason ? 'none' : await claimKeyOf(run, executionName));
  return reason ? skipped(plan, reason) : claim(claimedApartIfPreview(plan), context);
}

/**
 * A run that writes nothing (a dry run, audit mode) never takes the claim a writing run needs: it claims its own key,
 * so a preview of an event followed by the same event for real (or audit mode switched to enforce) still writes.
 */
const claimedApartIfPreview = (plan: RunPlan): RunPlan => (plan.dryRun ? { ...plan, claimKey: `preview:${plan.claimKey}` } : plan);

export const handler = async ({ input, executionName }: { input: unknown; executionName: string }, context: Context): Promise<RunPlan> => {
  logger.addContext(context);
  const result = await resolve(input, executionName, context).catch((error: unknown) => {
    if (error instanceof MalformedInputError) return refused(input, executionName, error);
    throw error;
  });
  logger.info('Run resolved', { runId: result.runId, trigger: result.trigger, status: result.status, reason: result.reason, dryRun: result.dryRun });
  return result;
};
