import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockSdkClient } from '../../../sdk-mock.ts';
import { loadTask } from '../../support.ts';

const documents = mockSdkClient(DynamoDBDocumentClient);
const { loadChunk } = await loadTask(() => import('#shared/aws/run-table'));

beforeEach(() => documents.reset());

describe('run-table loadChunk', () => {
  it('returns the accounts the chunk holds', async () => {
    documents.on(GetCommand).resolves({ Item: { accounts: [{ accountId: '222222222222' }] } });

    expect(await loadChunk('run-1', 3)).toEqual([{ accountId: '222222222222' }]);
    expect(documents).toHaveReceivedCommandWith(GetCommand, { Key: { runId: 'run-1', item: 'CHUNK#000003' }, ConsistentRead: true });
  });

  it('throws ChunkNotFoundError, which no Retry repeats, for a chunk the run table does not hold', async () => {
    documents.on(GetCommand).resolves({});

    await expect(loadChunk('run-1', 3)).rejects.toMatchObject({ name: 'ChunkNotFoundError', retryable: false, message: 'Run run-1 has no chunk 3' });
  });

  it('throws RunTableError, which the state machine retries, when the table cannot be read', async () => {
    documents.on(GetCommand).rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));

    await expect(loadChunk('run-1', 3)).rejects.toMatchObject({ name: 'RunTableError', retryable: true });
  });
});
