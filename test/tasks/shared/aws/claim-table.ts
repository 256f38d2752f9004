import { type AttributeValue, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockIdempotencyTable } from '../../support.ts';

/**
 * The stand-in idempotency table of the task tests, which also keeps the holder items run-claim writes beside each
 * claim and answers GetItem: enough to release a claim by the run that holds it.
 */
export function mockClaimTable() {
  const { dynamodb, items } = mockIdempotencyTable();
  const idOf = (key: Record<string, AttributeValue>) => key['id']?.S ?? '';
  dynamodb.on(UpdateItemCommand).callsFake(({ Key, ExpressionAttributeValues: values }: { Key: Record<string, AttributeValue>; ExpressionAttributeValues: Record<string, AttributeValue> }) => {
    const id = idOf(Key);
    if (id.startsWith('run-claim-holder#')) items.set(id, { ...Key, claimKey: values[':claimKey']!, expiration: values[':expiry']! });
    else if (items.has(id)) Object.assign(items.get(id)!, { status: values[':status'], expiration: values[':expiry'], data: values[':response_data'] });
    return {};
  });
  dynamodb.on(GetItemCommand).callsFake(({ Key }: { Key: Record<string, AttributeValue> }) => ({ Item: items.get(idOf(Key)) }));
  return { dynamodb, items };
}
