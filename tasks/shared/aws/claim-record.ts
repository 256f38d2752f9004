import { createHash } from 'node:crypto';
import { type AttributeValue, DeleteItemCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE } from './tables.ts';

/**
 * The claim records as Powertools idempotency stores them in the claim table, read and deleted directly. Powertools'
 * public API takes a claim (makeIdempotent, in run-claim.ts) but offers no call to read or release one, so releasing
 * goes to the table through this adapter alone, by the record layout the idempotency documentation describes:
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/ ("Required resources": the table's
 * partition key `id` and TTL attribute `expiration`; "Customizing the idempotency key prefix"; the record's `status`
 * and, once completed, the function's result in `data`).
 * - `id` is `<keyPrefix>#<hash>`: the hash of the JSON of the payload part that `eventKeyJmesPath` selects, with
 *   IdempotencyConfig's `hashFunction` (md5 by default), digested as base64. The tests hold this to the key
 *   Powertools itself writes (test/tasks/shared/aws/claim-record.test.ts), so an upgrade that changes it fails there.
 */
export const CLAIM_RECORD = {
  // A fixed prefix instead of the default (the function name): every function that releases a claim finds the key.
  keyPrefix: 'run-claim',
  eventKeyJmesPath: 'claimKey',
  hashFunction: 'md5',
} as const;

/** The `id` of the claim record for one claim key. */
export function claimRecordId(claimKey: string): string {
  const hash = createHash(CLAIM_RECORD.hashFunction).update(JSON.stringify(claimKey)).digest('base64');
  return `${CLAIM_RECORD.keyPrefix}#${hash}`;
}

/** The claim records of one claim table. */
export class ClaimRecords {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private key(claimKey: string): Record<string, AttributeValue> {
    return { [IDEMPOTENCY_TABLE.partitionKey]: { S: claimRecordId(claimKey) } };
  }

  /** The run whose plan holds the claim; none while the claim is still being taken (no result yet) or when there is no claim. */
  async holderRunId(claimKey: string): Promise<string | undefined> {
    const { Item } = await this.dynamodb.send(new GetItemCommand({ TableName: this.tableName, Key: this.key(claimKey), ConsistentRead: true }));
    // `data` is the claimed function's result, the holder's RunPlan, stored as a DynamoDB map.
    return Item?.['data']?.M?.['runId']?.S;
  }

  /** Deletes the claim, so that the next event with the same key starts a run again. */
  async delete(claimKey: string): Promise<void> {
    await this.dynamodb.send(new DeleteItemCommand({ TableName: this.tableName, Key: this.key(claimKey) }));
  }
}
