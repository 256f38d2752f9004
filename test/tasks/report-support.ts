import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, vi } from 'vitest';
import type { AccountResult, OuNames, RunPlan, TargetAccount, WorkList } from '#shared/rules/model';
import { ENV } from '#shared/aws/env';
import { mockSdkClient } from '../sdk-mock.ts';
import { BASE_CONFIG, CONTACTS, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

/** The Report task's test bench: its AWS clients mocked, a run of four accounts in the run table, and the Slack webhook. */

export const documents = mockSdkClient(DynamoDBDocumentClient);
export const sns = mockSdkClient(SNSClient);
export const secrets = mockSdkClient(SecretsManagerClient);
export const s3 = mockSdkClient(S3Client);
export const { items: claims } = mockIdempotencyTable();

export const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/very-secret-token';
export const SLACK_SECRET = 'alternate-contacts/slack-webhook';
export const TOPIC = 'arn:aws:sns:us-east-1:333333333333:alternate-contacts-report';
export const BUCKET = 'alternate-contacts-reports-333333333333';

const desired = { SECURITY: { contact: CONTACTS.SECURITY, policy: 'enforce' as const }, BILLING: { contact: CONTACTS.BILLING, policy: 'fill-missing' as const } };
export const target = (id: string, name: string, ouPath: readonly string[] = []): TargetAccount => ({ id, name, context: 'organization', desired, recentlyJoined: false, ouPath, sources: {} });
export const result = (id: string, name: string, types: AccountResult['types'], status: AccountResult['status'] = 'OK', ouPath: readonly string[] = []): AccountResult => ({
  accountId: id,
  accountName: name,
  status,
  dryRun: false,
  types,
  ouPath,
  sources: {},
});

export const plan: RunPlan = { status: 'RUN', runId: 'nightly-1', trigger: 'schedule', dryRun: false, claimKey: 'schedule:1' };
export const work: WorkList = { runId: 'nightly-1', accountCount: 4, excludedCount: 1, chunks: [0], maxConcurrency: 5 };
export const accounts = [target('100000000001', 'alpha'), target('100000000002', 'beta'), target('100000000003', 'gamma'), target('100000000004', 'delta')];
export const results = [
  result('100000000001', 'alpha', { SECURITY: { action: 'ASSIGN', applied: true }, BILLING: { action: 'UNCHANGED', applied: false } }),
  result('100000000002', 'beta', { SECURITY: { action: 'UPDATE', fields: ['email'], applied: true }, BILLING: { action: 'SKIP', fields: ['name'], reason: 'policy fill-missing leaves an existing contact alone', applied: false } }),
  result('100000000003', 'gamma', { SECURITY: { action: 'UNCHANGED', applied: false }, BILLING: { action: 'FAILED', reason: 'AccessDeniedError: not authorized', applied: false } }, 'FAILED'),
];
export const unchanged = [result('100000000001', 'alpha', { SECURITY: { action: 'UNCHANGED', applied: false }, BILLING: { action: 'UNCHANGED', applied: false } })];

/** The run table as list-accounts and record-result left it: the plan's chunks, the results, and the OU names. */
export function storeRun(chunks: readonly TargetAccount[][], stored: readonly AccountResult[], ouNames?: OuNames) {
  documents.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'CHUNK#' } }).resolves({ Items: chunks.map((chunk) => ({ accounts: chunk })) });
  documents.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'ACCOUNT#' } }).resolves({ Items: stored.map((r) => ({ result: r })) });
  documents.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'OUNAMES#' } }).resolves({ Items: ouNames ? [ouNames] : [] });
}

export const loadReport = (env: Record<string, string | undefined> = {}) =>
  loadTask(() => import('../../tasks/report.ts'), BASE_CONFIG, { [ENV.TOPIC_ARN]: TOPIC, [ENV.SLACK_SECRET_NAME]: SLACK_SECRET, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env });

export const fetchMock = vi.fn<typeof fetch>();
export const published = () => sns.commandCalls(PublishCommand)[0]?.args[0].input;
/** The text posted to Slack. */
export const slackText = () => (JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body)) as { text: string }).text;
/** The body of a report file the run stored. */
export const storedFile = (name: string) => s3.commandCalls(PutObjectCommand).find((call) => call.args[0].input.Key?.endsWith(name))?.args[0].input.Body as string;

export { lambdaContext };

/** Fresh mocks before each test: the run of four accounts stored, every channel answering. */
export function useReportBench(): void {
  beforeEach(() => {
    documents.reset();
    sns.reset();
    secrets.reset();
    s3.reset();
    claims.clear();
    documents.on(PutCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: '1' });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: WEBHOOK });
    fetchMock.mockReset().mockResolvedValue(new Response('ok'));
    vi.stubGlobal('fetch', fetchMock);
    storeRun([accounts], results);
  });

  afterEach(() => vi.unstubAllGlobals());
}
