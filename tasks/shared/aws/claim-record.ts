import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * The claim records as Powertools idempotency stores them in the claim table. Powertools' public API takes a claim
 * (makeIdempotent, in run-claim.ts) but offers no call to read or release one, so run-claim.ts reads and deletes the
 * record itself, by the layout written here alone, as the idempotency documentation describes it:
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

/** The run whose plan a claim record holds; none while the claim is still being taken (no result yet) or without a record. */
export function claimHolderRunId(record: Record<string, AttributeValue> | undefined): string | undefined {
  // `data` is the claimed function's result, the holder's RunPlan, stored as a DynamoDB map.
  return record?.['data']?.M?.['runId']?.S;
}
