import { IdempotencyConfig, IdempotencyPersistenceLayerError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { CLAIM_RECORD, claimHolderRunId, claimRecordId } from './claim-record.ts';
import { ENV, requiredEnv } from './env.ts';
import { ClaimTableError } from '../rules/errors.ts';
import type { RunPlan } from '../rules/model.ts';
import { CLAIM_SECONDS } from '../rules/run-limits.ts';
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

// Beside each claim, the run that holds it: an execution that ends without releasing its claim (failed, timed out,
// aborted) is known by its name alone, and release-claim finds the key through this item.
const HOLDER_PREFIX = 'run-claim-holder#';

const tableName = requiredEnv(ENV.IDEMPOTENCY_TABLE);
const persistenceStore = new DynamoDBPersistenceLayer({ tableName, keyAttr: IDEMPOTENCY_TABLE.partitionKey, expiryAttr: IDEMPOTENCY_TABLE.timeToLive });
const dynamodb = new DynamoDBClient({});
const { keyPrefix, eventKeyJmesPath, hashFunction } = CLAIM_RECORD;
const config = new IdempotencyConfig({ eventKeyJmesPath, hashFunction, expiresAfterSeconds: CLAIM_SECONDS });

const claim = makeIdempotent(async ({ plan }: Claim): Promise<RunPlan> => plan, { persistenceStore, config, keyPrefix });

/** The claim table could not be read or written (throttled, unavailable): the state machine retries ClaimTableError. */
async function onClaimTable<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const isTableError = error instanceof IdempotencyPersistenceLayerError || (error instanceof Error && '$metadata' in error);
    if (!isTableError) throw error;
    throw new ClaimTableError(`claim table: ${what} failed: ${error.name}: ${error.message}`, { cause: error });
  }
}

const holderItemId = (runId: string) => `${HOLDER_PREFIX}${runId}`;
const itemKey = (id: string) => ({ [IDEMPOTENCY_TABLE.partitionKey]: { S: id } });

/** One item of the claim table, a claim record or a holder item, by its `id`. */
async function readItem(what: string, id: string) {
  const { Item } = await onClaimTable(what, () => dynamodb.send(new GetItemCommand({ TableName: tableName, Key: itemKey(id), ConsistentRead: true })));
  return Item;
}

async function deleteItem(what: string, id: string): Promise<void> {
  await onClaimTable(what, () => dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: itemKey(id) })));
}

/**
 * Claims the key for this plan and returns the plan that holds the claim: this one, or an earlier run's.
 * Throws IdempotencyAlreadyInProgressError while another invocation is claiming the same key.
 */
export async function claimRun(claimKey: string, plan: RunPlan, context: Context): Promise<RunPlan> {
  // The in-progress lock lasts as long as this invocation can, so a timed-out claim does not block the key.
  config.registerLambdaContext(context);
  const holder = await onClaimTable(`claiming ${claimKey}`, () => claim({ claimKey, plan }));
  if (holder.runId === plan.runId) {
    const expiry = String(Math.floor(Date.now() / 1000) + CLAIM_SECONDS);
    const update = new UpdateItemCommand({
      TableName: tableName,
      Key: itemKey(holderItemId(plan.runId)),
      UpdateExpression: 'SET claimKey = :claimKey, #expiry = :expiry',
      ExpressionAttributeNames: { '#expiry': IDEMPOTENCY_TABLE.timeToLive },
      ExpressionAttributeValues: { ':claimKey': { S: claimKey }, ':expiry': { N: expiry } },
    });
    await onClaimTable(`recording the holder of ${claimKey}`, () => dynamodb.send(update));
  }
  return holder;
}

/** Deletes the claim, so that the next event with the same key starts a run again. */
export async function releaseClaim(claimKey: string): Promise<void> {
  await deleteItem(`releasing ${claimKey}`, claimRecordId(claimKey));
}

/**
 * Releases whatever claim the run still holds: the run ended (failed, timed out, aborted) without reaching the
 * state that releases it. A claim that another run holds by now is left alone, and so is a claim still being taken
 * (its in-progress lock lapses with the claiming invocation). Returns the key released, if any.
 */
export async function releaseClaimOfRun(runId: string): Promise<string | undefined> {
  const claimKey = (await readItem(`reading the claim of ${runId}`, holderItemId(runId)))?.['claimKey']?.S;
  if (!claimKey) return undefined;
  const heldBy = claimHolderRunId(await readItem(`reading ${claimKey}`, claimRecordId(claimKey)));
  if (heldBy === runId) await releaseClaim(claimKey);
  await deleteItem(`forgetting the claim of ${runId}`, holderItemId(runId));
  return heldBy === runId ? claimKey : undefined;
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
