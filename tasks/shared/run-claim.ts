import { IdempotencyConfig, IdempotencyPersistenceLayerError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { ENV, requiredEnv } from './env.ts';
import { TransientError } from './errors.ts';
import type { RunPlan } from './model.ts';
import { IDEMPOTENCY_TABLE } from './tables.ts';

/**
 * A run claims its trigger (the claim key) once, with Powertools idempotency: a second delivery of the same event
 * gets the first run's plan back instead of starting a second run.
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 */
interface Claim {
  readonly claimKey: string;
  readonly plan: RunPlan;
}

// A fixed prefix instead of the default (the function name): report computes the same key to release a claim.
const KEY_PREFIX = 'run-claim';
// Longer than any run lasts, and short enough that the nightly schedule's ids never pile up.
const CLAIM_SECONDS = 6 * 60 * 60;

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: requiredEnv(ENV.IDEMPOTENCY_TABLE),
  keyAttr: IDEMPOTENCY_TABLE.partitionKey,
  expiryAttr: IDEMPOTENCY_TABLE.timeToLive,
});
const config = new IdempotencyConfig({ eventKeyJmesPath: 'claimKey', expiresAfterSeconds: CLAIM_SECONDS });

const claim = makeIdempotent(async ({ plan }: Claim): Promise<RunPlan> => plan, { persistenceStore, config, keyPrefix: KEY_PREFIX });

/**
 * Claims the key for this plan and returns the plan that holds the claim: this one, or an earlier run's.
 * Throws IdempotencyAlreadyInProgressError while another invocation is claiming the same key.
 */
export async function claimRun(claimKey: string, plan: RunPlan, context: Context): Promise<RunPlan> {
  // The in-progress lock lasts as long as this invocation can, so a timed-out claim does not block the key.
  config.registerLambdaContext(context);
  try {
    return await claim({ claimKey, plan });
  } catch (error) {
    // The store could not be read or written (throttled, unavailable): the state machine retries TransientError.
    if (error instanceof IdempotencyPersistenceLayerError) throw new TransientError(error.message, { cause: error });
    throw error;
  }
}

/** Deletes the claim, so that the next event with the same key starts a run again. */
export async function releaseClaim(claimKey: string): Promise<void> {
  persistenceStore.configure({ config, keyPrefix: KEY_PREFIX });
  await persistenceStore.deleteRecord({ claimKey });
}

/** Triggers that name one account: a run of theirs that did not finish frees the claim for the next such event. */
const ACCOUNT_TRIGGERS: ReadonlySet<RunPlan['trigger']> = new Set(['control-tower', 'organizations', 'account-joined', 'account-moved', 'contact-changed']);

/**
 * An account event's run that did not finish its account frees the claim: Control Tower's second event for a new
 * account, or the next edit of a contact, may then get it done. Schedule, deploy and console runs keep theirs; the
 * next night, or the operator, runs again anyway.
 */
export async function releaseUnfinishedAccountRun(plan: RunPlan): Promise<void> {
  if (ACCOUNT_TRIGGERS.has(plan.trigger)) await releaseClaim(plan.claimKey);
}
