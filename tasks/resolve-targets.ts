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

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));

/**
 * The claim key decides which deliveries are one run:
 * - a new account, `account:<id>@<parent>`: Control Tower's CreateManagedAccount and the Organizations
 *   CreateAccountResult before it name the same account, so the second finds the claim taken and is skipped.
 *   The account's parent is part of the key because Control Tower creates the account in the root and moves it to
 *   its OU before CreateManagedAccount: once moved, OU overrides may want other contacts, and the second event runs.
 *   AccountJoinedOrganization and MoveAccount share it: a CREATED account's joined event is a duplicate of its
 *   CreateAccountResult, and a move claims the account at its new parent, read from Organizations rather than the
 *   event's word (two moves that end in the same place are one run; a move and the creation events before it,
 *   at another parent, never block each other);
 * - a contact edit, `contact:<id>@<start of its 2-minute bucket>`: edits to one account within one bucket are one run,
 *   so a burst shorter than 2 minutes (three types changed in the console) touches at most two buckets, two runs.
 *   CloudTrail delivers a call minutes after it is made, longer than a bucket, so a bucket's run reads the account
 *   after the bucket's edits; any later edit is another bucket's run, and the nightly run is the safety net;
 * - the schedule, `schedule:<schedule ARN>@<scheduled time>`: one firing, whichever delivery or retry carries it
 *   (Scheduler's execution id changes with every attempt);
 * - a deploy, `deploy:<configuration hash>`: one run per configuration, however often CloudFormation asks;
 * - the console or CLI, `execution:<name>`: an operator's run is never mistaken for a duplicate;
 * - an AccountJoinedOrganization event without its account id, `joined:<joinedTime, UTC>`: its run searches the
 *   accounts that joined around that moment, so the moment is the run. A redelivery finds the claim taken, and so
 *   does the event of a second account that joined in the same second, which that window covered too. It names no
 *   account, so it cannot share the account key: the accounts it finds may already have been reconciled by their
 *   CreateAccountResult run, and this run then reads them and writes nothing.
 */
async function claimKeyOf(run: RunInput, executionName: string): Promise<string> {
  switch (run.trigger) {
    case 'control-tower':
    case 'organizations':
    case 'account-joined':
    case 'account-moved':
      if ('joinedSearch' in run) return `joined:${new Date(run.joinedSearch.joinedTime).toISOString()}`;
      return run.accountId ? `account:${run.accountId}@${await parentIdOf(run.accountId)}` : 'account:unknown';
    case 'contact-changed':
      return `contact:${run.accountId}@${new Date(Math.floor(Date.parse(run.eventTime) / CONTACT_BUCKET_MS) * CONTACT_BUCKET_MS).toISOString()}`;
    case 'schedule':
      return `schedule:${run.firing}`;
    case 'deploy':
      return `deploy:${run.configHash}`;
    case 'manual':
      return `execution:${executionName}`;
    // One tag change: EventBridge keeps an event's CloudTrail eventID on every delivery of it.
    case 'tag-change':
      return `tags:${run.eventId}`;
  }
}

const CONTACT_BUCKET_MS = 2 * 60_000;

/** An account event targets only its account; absent means the whole organization, unless the plan has a joinedSearch. */
function targetedAccounts(run: RunInput): readonly string[] | undefined {
  if (run.trigger === 'manual') return run.accountIds;
  if (run.trigger === 'schedule' || run.trigger === 'deploy') return undefined;
  return run.accountId ? [run.accountId] : undefined;
}

// The config switch of each event trigger; a rule switched off is not deployed, and an event that arrives anyway runs nothing.
const SWITCHES: Partial<Record<RunInput['trigger'], keyof typeof config.triggers>> = {
  'control-tower': 'controlTower',
  organizations: 'organizations',
  'account-joined': 'accountJoined',
  'account-moved': 'accountMoved',
  'contact-changed': 'contactChanged',
  deploy: 'deploy',
  // Tag changes arrive through the Organizations rule (infra: deployed only when the configuration uses tags).
  'tag-change': 'organizations',
};

// The roles the put task writes as (the management role too, in the delegated topology): their events are its own.
const writers = new Set((process.env[ENV.WRITER_ARNS] ?? '').split(',').filter(Boolean));

/** Why an input starts no run, or undefined when it does. */
function skipReason(run: RunInput): string | undefined {
  const key = SWITCHES[run.trigger];
  if (key && config.triggers[key] === false) return `the ${run.trigger} trigger is switched off in the configuration (triggers.${key})`;
  if ('state' in run && run.state !== 'SUCCEEDED') return `account creation ended ${run.state}`;
  if ('callFailed' in run && run.callFailed) return `the call failed with ${run.callFailed}, so nothing changed`;
  if ('actor' in run && run.actor && writers.has(run.actor)) return `the enforcer's own write (${run.actor})`;
  if (run.trigger === 'tag-change' && !run.accountId) return `tags changed on ${run.resourceId}, not an account: no account's contacts depend on them`;
  return undefined;
}

/**
 * A run writes nothing when the operator asked for a dry run, in audit mode, and when a new stack's deploy started it:
 * nobody has read a report of this organization yet, so only `triggers.firstDeploy: enforce` lets that run write.
 */
function isDryRun(run: RunInput): boolean {
  if (config.mode === 'audit') return true;
  if (run.trigger === 'manual') return run.dryRun;
  return run.trigger === 'deploy' && run.firstDeploy && config.triggers.firstDeploy !== 'enforce';
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
