import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { credentialsFor, type Simulator, startSimulator } from '../../simulator/index.ts';
import { EXAMPLE_CONFIG } from '../local-run/harness.ts';

const BUCKET = 'alternate-contacts-reports-local';
let sim: Simulator;
const clientOf = (accountId: string) => new S3Client({ endpoint: sim.url, region: 'us-east-1', credentials: credentialsFor(accountId) });

beforeAll(async () => {
  sim = await startSimulator({ state: { ...defaultOrganization(EXAMPLE_CONFIG), buckets: { [BUCKET]: MANAGEMENT_ACCOUNT_ID } } });
});
afterAll(() => sim.close());

describe('the simulated S3, through the real S3 client', () => {
  it('stores an object, copies it, and returns the copy byte for byte with its type and metadata', async () => {
    const s3 = clientOf(MANAGEMENT_ACCOUNT_ID);
    const body = '\uFEFFrun_id,account_name\r\nrun 1,"Zürich, prod"\r\n';

    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/2026/11/24/run 1/report.csv', Body: body, ContentType: 'text/csv; charset=utf-8', Metadata: { 'run-id': 'run 1' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'latest/report.csv', CopySource: `${BUCKET}/${encodeURI('reports/2026/11/24/run 1/report.csv')}` }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'latest/report.csv' }));

    expect(copied.CopyObjectResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await got.Body?.transformToString()).toBe(body);
    expect(got.ContentType).toBe('text/csv; charset=utf-8');
    expect(got.Metadata).toEqual({ 'run-id': 'run 1' });
  });

  it.each([
    ['a missing bucket', MANAGEMENT_ACCOUNT_ID, new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }), 'NoSuchBucket', 404],
    ['a missing key', MANAGEMENT_ACCOUNT_ID, new GetObjectCommand({ Bucket: BUCKET, Key: 'nothing/here' }), 'NoSuchKey', 404],
    ['a copy of a missing key', MANAGEMENT_ACCOUNT_ID, new CopyObjectCommand({ Bucket: BUCKET, Key: 'latest/x', CopySource: `${BUCKET}/nothing` }), 'NoSuchKey', 404],
    ["another account's bucket", SECURITY_ACCOUNT_ID, new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' }), 'AccessDenied', 403],
    ['a body that does not match its checksum', MANAGEMENT_ACCOUNT_ID, new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', ChecksumCRC32: 'AAAAAA==' }), 'BadDigest', 400],
  ])('refuses %s as S3 does', async (_case, accountId, command, name, status) => {
    const error = await clientOf(accountId).send(command as PutObjectCommand).catch((e: unknown) => e);
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: status } });
  });
});
