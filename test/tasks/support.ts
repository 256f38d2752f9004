import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockSdkClient } from '../sdk-mock.ts';
import { vi } from 'vitest';
import type { ConfigInput } from '#shared/rules/config';
import type { DesiredContacts } from '#shared/rules/contacts';
import { ENV } from '#shared/aws/env';

/** Shared setup for the task tests: environment, configuration files, Lambda context, a stand-in idempotency table. */

export const ENFORCER_ACCOUNT_ID = '333333333333';
export const MANAGEMENT_ACCOUNT_ID = '111111111111';

Object.assign(process.env, {
  [ENV.RUN_TABLE]: 'run-table',
  [ENV.IDEMPOTENCY_TABLE]: 'idempotency-table',
  [ENV.ENFORCER_ACCOUNT_ID]: ENFORCER_ACCOUNT_ID,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

export const CONTACTS = {
  SECURITY: { name: 'Security Operations Center', title: 'Security Team', email: 'security@example.com', phone: '+1 555 0100' },
  BILLING: { name: 'Cloud FinOps', title: 'Billing Team', email: 'finops@example.com', phone: '+1 555 0101' },
  OPERATIONS: { name: 'Platform Operations', title: 'Operations Team', email: 'platform-ops@example.com', phone: '+1 555 0102' },
} as const;

/** Every type managed, BILLING under fill-missing: the example configuration's shape. */
export const DESIRED: DesiredContacts = {
  SECURITY: { contact: CONTACTS.SECURITY, policy: 'enforce' },
  BILLING: { contact: CONTACTS.BILLING, policy: 'fill-missing' },
  OPERATIONS: { contact: CONTACTS.OPERATIONS, policy: 'enforce' },
};

export const BASE_CONFIG = {
  contacts: { SECURITY: CONTACTS.SECURITY, BILLING: CONTACTS.BILLING, OPERATIONS: CONTACTS.OPERATIONS },
} satisfies ConfigInput;

const configDir = mkdtempSync(join(tmpdir(), 'enforcer-config-'));
let configFiles = 0;

/**
 * Imports a task afresh with this configuration: tasks read their configuration and environment at module load,
 * as in Lambda. SDK packages are not reloaded, so `mockClient` mocks stay in force.
 */
export async function loadTask<M>(importTask: () => Promise<M>, config: ConfigInput = BASE_CONFIG, env: Record<string, string | undefined> = {}): Promise<M> {
  const file = join(configDir, `config-${configFiles++}.json`);
  writeFileSync(file, JSON.stringify(config));
  process.env[ENV.CONFIG_FILE] = file;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.resetModules();
  return importTask();
}

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'enforcer-task',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:333333333333:function:enforcer-task',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/enforcer-task',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/**
 * The Powertools idempotency table behind a mocked DynamoDB client: a conditional put fails on an existing key
 * and returns the stored item, as DynamoDB does with ReturnValuesOnConditionCheckFailure ALL_OLD.
 */
export function mockIdempotencyTable() {
  const dynamodb = mockSdkClient(DynamoDBClient);
  const items = new Map<string, Record<string, AttributeValue>>();
  const keyOf = (key: Record<string, AttributeValue> | undefined) => key?.['id']?.S ?? '';
  dynamodb.on(PutItemCommand).callsFake(({ Item }: { Item: Record<string, AttributeValue> }) => {
    const existing = items.get(keyOf(Item));
    if (existing) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: existing });
    items.set(keyOf(Item), Item);
    return {};
  });
  dynamodb.on(UpdateItemCommand).callsFake(({ Key, ExpressionAttributeValues: values }: { Key: Record<string, AttributeValue>; ExpressionAttributeValues: Record<string, AttributeValue> }) => {
    const item = items.get(keyOf(Key));
    if (item) Object.assign(item, { status: values[':status'], expiration: values[':expiry'], data: values[':response_data'] });
    return {};
  });
  dynamodb.on(DeleteItemCommand).callsFake(({ Key }: { Key: Record<string, AttributeValue> }) => {
    items.delete(keyOf(Key));
    return {};
  });
  return { dynamodb, items };
}
