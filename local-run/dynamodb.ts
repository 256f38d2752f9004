import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, ListTablesCommand, paginateScan, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { IDEMPOTENCY_TABLE, RUN_TABLE } from '#shared/aws/tables';

/** The two tables the stack creates, with the same keys and TTL attributes. */
export const TABLES = {
  run: { name: 'alternate-contacts-runs', keys: [[RUN_TABLE.partitionKey, 'HASH'], [RUN_TABLE.sortKey, 'RANGE']], ttl: RUN_TABLE.timeToLive },
  idempotency: { name: 'alternate-contacts-idempotency', keys: [[IDEMPOTENCY_TABLE.partitionKey, 'HASH']], ttl: IDEMPOTENCY_TABLE.timeToLive },
} as const;

/** One request as it crosses the wire: the operation (`PutItem`), the table it names, and its JSON body. */
export interface DynamoRequest {
  readonly operation: string;
  readonly table: string;
  readonly body: string;
}

/**
 * What goes wrong with a request: DynamoDB answers 500 (`unavailable`) or throttles it (`throttled`), both before
 * it is applied, or applies it and the response never arrives (`lose-response`): the connection drops.
 */
export type DynamoFault = 'unavailable' | 'throttled' | 'lose-response';

// DynamoDB's JSON error bodies. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
const ERRORS = {
  unavailable: { status: 500, type: 'InternalServerError', message: 'Internal server error' },
  throttled: { status: 400, type: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
} as const;

/**
 * An embedded DynamoDB-compatible server (dynalite): Powertools idempotency and the run table talk to it through
 * the real DynamoDB client. In memory, or in a LevelDB folder so state survives between runs. The clients reach it
 * through a small proxy, its wire layer, where a test injects faults (injectFaults) without touching the task code.
 */
export async function startDynamo(path?: string) {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend = (server.address() as AddressInfo).port;
  let faultOf: ((request: DynamoRequest) => DynamoFault | undefined) | undefined;

  const wire = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const text = faultOf ? body.toString('utf8') : '';
      const table = text ? ((JSON.parse(text) as { TableName?: string }).TableName ?? '') : '';
      const fault = faultOf?.({ operation, table, body: text });
      if (fault === 'unavailable' || fault === 'throttled') {
        const { status, type, message } = ERRORS[fault];
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }));
        return;
      }
      const upstream = forward({ host: '127.0.0.1', port: backend, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        if (fault === 'lose-response') {
          answer.resume();
          answer.on('end', () => response.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => wire.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(wire.address() as AddressInfo).port}`;
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
    /** Every request from now on passes `faults` first; undefined lets every request through again. */
    injectFaults(faults: ((request: DynamoRequest) => DynamoFault | undefined) | undefined) {
      faultOf = faults;
    },
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
      wire.closeAllConnections();
      await new Promise<void>((resolve) => wire.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type LocalDynamo = Awaited<ReturnType<typeof startDynamo>>;
