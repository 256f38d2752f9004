import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, ListTablesCommand, paginateScan, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { IDEMPOTENCY_TABLE, RUN_TABLE } from '#shared/tables';

/** The two tables the stack creates, with the same keys and TTL attributes. */
export const TABLES = {
  run: { name: 'alternate-contacts-runs', keys: [[RUN_TABLE.partitionKey, 'HASH'], [RUN_TABLE.sortKey, 'RANGE']], ttl: RUN_TABLE.timeToLive },
  idempotency: { name: 'alternate-contacts-idempotency', keys: [[IDEMPOTENCY_TABLE.partitionKey, 'HASH']], ttl: IDEMPOTENCY_TABLE.timeToLive },
} as const;

/**
 * An embedded DynamoDB-compatible server (dynalite): Powertools idempotency and the run table talk to it through
 * the real DynamoDB client. In memory, or in a LevelDB folder so state survives between runs.
 */
export async function startDynamo(path?: string) {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const createTables = async () => {
    const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames);
    for (const table of Object.values(TABLES)) {
      if (existing.has(table.name)) continue;
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: table.keys.map(([AttributeName]) => ({ AttributeName, AttributeType: 'S' })),
          KeySchema: table.keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
        }),
      );
      // dynalite accepts TTL settings but never expires items; local runs are short enough for that not to matter.
      await client.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { AttributeName: table.ttl, Enabled: true } })).catch(() => undefined);
    }
  };
  await createTables();
  return {
    url,
    /** Forgets every run and idempotency record (`npm start -- --reset`, and between test scenarios). */
    async reset() {
      for (const table of Object.values(TABLES)) {
        // `item` is a DynamoDB reserved word: every key is named through a placeholder.
        const ExpressionAttributeNames = Object.fromEntries(table.keys.map(([name]) => [`#${name}`, name]));
        const ProjectionExpression = Object.keys(ExpressionAttributeNames).join(', ');
        for await (const page of paginateScan({ client }, { TableName: table.name, ProjectionExpression, ExpressionAttributeNames })) {
          for (const Key of page.Items ?? []) await client.send(new DeleteItemCommand({ TableName: table.name, Key }));
        }
      }
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
