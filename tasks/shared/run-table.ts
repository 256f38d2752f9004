import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, requiredEnv } from './env.ts';
import { TransientError } from './errors.ts';
import type { AccountResult, Report, TargetAccount } from './model.ts';

/**
 * The run table: one partition per run (`runId`), one item per chunk of planned accounts, per account result and for
 * the report. Items expire after 90 days through the `expiresAt` TTL attribute.
 */
const tableName = requiredEnv(ENV.RUN_TABLE);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

const RETENTION_SECONDS = 90 * 24 * 60 * 60;
// BatchWriteItem takes at most 25 items per request.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
const BATCH_SIZE = 25;
const BATCH_ATTEMPTS = 8;

const CHUNK_PREFIX = 'CHUNK#';
const ACCOUNT_PREFIX = 'ACCOUNT#';
const REPORT_ITEM = 'REPORT';

const chunkItem = (chunk: number) => `${CHUNK_PREFIX}${String(chunk).padStart(6, '0')}`;
const expiresAt = () => Math.floor(Date.now() / 1000) + RETENTION_SECONDS;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

/** Stores the plan's chunks (chunk n holds chunks[n]); items DynamoDB leaves unprocessed are sent again with backoff. */
export async function writeChunks(runId: string, chunks: readonly (readonly TargetAccount[])[]): Promise<void> {
  const requests: WriteRequest[] = chunks.map((accounts, chunk) => ({
    PutRequest: { Item: { runId, item: chunkItem(chunk), accounts, expiresAt: expiresAt() } },
  }));
  for (let start = 0; start < requests.length; start += BATCH_SIZE) {
    await writeBatch(requests.slice(start, start + BATCH_SIZE));
  }
}

async function writeBatch(requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
    if (attempt > 0) await pause(50 * 2 ** attempt);
    const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    if (pending.length === 0) return;
  }
  throw new TransientError(`${pending.length} run table items stayed unprocessed after ${BATCH_ATTEMPTS} attempts`);
}

export async function loadChunk(runId: string, chunk: number): Promise<TargetAccount[]> {
  const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { runId, item: chunkItem(chunk) }, ConsistentRead: true }));
  if (!Item) throw new Error(`Run ${runId} has no chunk ${chunk}`);
  return Item['accounts'] as TargetAccount[];
}

export async function putResult(runId: string, result: AccountResult): Promise<void> {
  await documents.send(
    new PutCommand({ TableName: tableName, Item: { runId, item: `${ACCOUNT_PREFIX}${result.accountId}`, result, expiresAt: expiresAt() } }),
  );
}

export async function putReport(runId: string, report: Report): Promise<void> {
  await documents.send(new PutCommand({ TableName: tableName, Item: { runId, item: REPORT_ITEM, report, expiresAt: expiresAt() } }));
}

export async function listResults(runId: string): Promise<AccountResult[]> {
  return (await queryItems(runId, ACCOUNT_PREFIX)).map((item) => item['result'] as AccountResult);
}

/** Every chunk of the run, in chunk order. */
export async function listChunks(runId: string): Promise<TargetAccount[][]> {
  return (await queryItems(runId, CHUNK_PREFIX)).map((item) => item['accounts'] as TargetAccount[]);
}

async function queryItems(runId: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: documents },
    {
      TableName: tableName,
      KeyConditionExpression: 'runId = :runId AND begins_with(#item, :prefix)',
      ExpressionAttributeNames: { '#item': 'item' },
      ExpressionAttributeValues: { ':runId': runId, ':prefix': prefix },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}
