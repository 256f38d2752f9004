import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, requiredEnv } from './env.ts';
import { ChunkNotFoundError, RunTableError } from '../rules/errors.ts';
import type { AccountResult, OuNames, Report, TargetAccount } from '../rules/model.ts';
import { RUN_TABLE } from './tables.ts';

/** The run table (tables.ts): items expire after 90 days through its TTL attribute. */
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
const OU_NAMES_PREFIX = 'OUNAMES#';
// An OU id is at most 68 characters and a name 128, so 1,000 names stay well under DynamoDB's 400 KB item.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html
const OU_NAMES_PER_ITEM = 1_000;

const chunkItem = (chunk: number) => `${CHUNK_PREFIX}${String(chunk).padStart(6, '0')}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every run table request, with DynamoDB's error (after the SDK's own retries) turned into RunTableError: the state
 * machine retries that name, and then records the account or delivers the report with it as the reason.
 */
async function onTable<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof RunTableError) throw error;
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    throw new RunTableError(`run table: ${what} failed: ${name}: ${message}`, { cause: error });
  }
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };
const { partitionKey, sortKey, timeToLive } = RUN_TABLE;

/** One run table item: the keys and the expiry, plus what it holds. */
const runItem = (runId: string, item: string, content: Record<string, unknown>) => ({
  [partitionKey]: runId,
  [sortKey]: item,
  ...content,
  [timeToLive]: Math.floor(Date.now() / 1000) + RETENTION_SECONDS,
});

/** Stores the plan's chunks (chunk n holds chunks[n]); items DynamoDB leaves unprocessed are sent again with backoff. */
export async function writeChunks(runId: string, chunks: readonly (readonly TargetAccount[])[]): Promise<void> {
  const requests: WriteRequest[] = chunks.map((accounts, chunk) => ({
    PutRequest: { Item: runItem(runId, chunkItem(chunk), { accounts }) },
  }));
  for (let start = 0; start < requests.length; start += BATCH_SIZE) {
    await writeBatch(requests.slice(start, start + BATCH_SIZE));
  }
}

async function writeBatch(requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 0; attempt < BATCH_ATTEMPTS; attempt++) {
    if (attempt > 0) await pause(50 * 2 ** attempt);
    const { UnprocessedItems } = await onTable('writing the plan', () => documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })));
    pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    if (pending.length === 0) return;
  }
  throw new RunTableError(`${pending.length} run table items stayed unprocessed after ${BATCH_ATTEMPTS} attempts`);
}

/** The accounts of one chunk of the plan; throws ChunkNotFoundError when the run table has no such chunk. */
export async function loadChunk(runId: string, chunk: number): Promise<TargetAccount[]> {
  const { Item } = await onTable(`reading chunk ${chunk}`, () =>
    documents.send(new GetCommand({ TableName: tableName, Key: { [partitionKey]: runId, [sortKey]: chunkItem(chunk) }, ConsistentRead: true })),
  );
  if (!Item) throw new ChunkNotFoundError(`Run ${runId} has no chunk ${chunk}`);
  return Item['accounts'] as TargetAccount[];
}

export async function putResult(runId: string, result: AccountResult): Promise<void> {
  await onTable(`storing the result of ${result.accountId}`, () =>
    documents.send(new PutCommand({ TableName: tableName, Item: runItem(runId, `${ACCOUNT_PREFIX}${result.accountId}`, { result }) })),
  );
}

export async function putReport(runId: string, report: Report): Promise<void> {
  await onTable('storing the report', () => documents.send(new PutCommand({ TableName: tableName, Item: runItem(runId, REPORT_ITEM, { report }) })));
}

export async function listResults(runId: string): Promise<AccountResult[]> {
  return (await onTable('reading the results', () => queryItems(runId, ACCOUNT_PREFIX))).map((item) => item['result'] as AccountResult);
}

/** Every chunk of the run, in chunk order. */
export async function listChunks(runId: string): Promise<TargetAccount[][]> {
  return (await onTable('reading the plan', () => queryItems(runId, CHUNK_PREFIX))).map((item) => item['accounts'] as TargetAccount[]);
}

/** Stores the run's OU names beside its plan, in items of at most 1,000 names; the first also holds what was unread. */
export async function writeOuNames(runId: string, { names, unread }: OuNames): Promise<void> {
  const entries = Object.entries(names);
  if (entries.length === 0 && !unread) return;
  for (let start = 0, page = 0; start < entries.length || page === 0; start += OU_NAMES_PER_ITEM, page++) {
    const item = runItem(runId, `${OU_NAMES_PREFIX}${String(page).padStart(6, '0')}`, { names: Object.fromEntries(entries.slice(start, start + OU_NAMES_PER_ITEM)), ...(page === 0 && unread && { unread }) });
    await onTable('storing the OU names', () => documents.send(new PutCommand({ TableName: tableName, Item: item })));
  }
}

/** The run's OU names; none when the run stored none. */
export async function readOuNames(runId: string): Promise<OuNames> {
  const items = await onTable('reading the OU names', () => queryItems(runId, OU_NAMES_PREFIX));
  const unread = items[0]?.['unread'] as OuNames['unread'];
  return { names: Object.assign({}, ...items.map((item) => item['names'] as Record<string, string>)), ...(unread && { unread }) };
}

async function queryItems(runId: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: documents },
    {
      TableName: tableName,
      // `item` is a DynamoDB reserved word, so both keys go through placeholders.
      KeyConditionExpression: '#run = :runId AND begins_with(#item, :prefix)',
      ExpressionAttributeNames: { '#run': partitionKey, '#item': sortKey },
      ExpressionAttributeValues: { ':runId': runId, ':prefix': prefix },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}
