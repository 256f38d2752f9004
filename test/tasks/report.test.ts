import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CopyObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockSdkClient } from '../sdk-mock.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountResult, Report, RunPlan, TargetAccount, WorkList } from '#shared/rules/model';
import { ENV } from '#shared/aws/env';
import { BASE_CONFIG, CONTACTS, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

const documents = mockSdkClient(DynamoDBDocumentClient);
const sns = mockSdkClient(SNSClient);
const secrets = mockSdkClient(SecretsManagerClient);
const s3 = mockSdkClient(S3Client);
const { items: claims } = mockIdempotencyTable();

const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/very-secret-token';
const SLACK_SECRET = 'alternate-contacts/slack-webhook';
const TOPIC = 'arn:aws:sns:us-east-1:333333333333:alternate-contacts-report';

const desired = { SECURITY: { contact: CONTACTS.SECURITY, policy: 'enforce' as const }, BILLING: { contact: CONTACTS.BILLING, policy: 'fill-missing' as const } };
const target = (id: string, name: string): TargetAccount => ({ id, name, context: 'organization', desired, recentlyJoined: false, ouPath: [], sources: {} });
const result = (id: string, name: string, types: AccountResult['types'], status: AccountResult['status'] = 'OK'): AccountResult => ({
  accountId: id,
  accountName: name,
  status,
  dryRun: false,
  types,
  ouPath: [],
  sources: {},
});

const plan: RunPlan = { status: 'RUN', runId: 'nightly-1', trigger: 'schedule', dryRun: false, claimKey: 'schedule:1' };
const work: WorkList = { runId: 'nightly-1', accountCount: 4, excludedCount: 1, chunks: [0], maxConcurrency: 5 };
const accounts = [target('100000000001', 'alpha'), target('100000000002', 'beta'), target('100000000003', 'gamma'), target('100000000004', 'delta')];
const results = [
  result('100000000001', 'alpha', { SECURITY: { action: 'ASSIGN', applied: true }, BILLING: { action: 'UNCHANGED', applied: false } }),
  result('100000000002', 'beta', { SECURITY: { action: 'UPDATE', fields: ['email'], applied: true }, BILLING: { action: 'SKIP', fields: ['name'], reason: 'policy fill-missing leaves an existing contact alone', applied: false } }),
  result('100000000003', 'gamma', { SECURITY: { action: 'UNCHANGED', applied: false }, BILLING: { action: 'FAILED', reason: 'AccessDeniedError: not authorized', applied: false } }, 'FAILED'),
];
const unchanged = [result('100000000001', 'alpha', { SECURITY: { action: 'UNCHANGED', applied: false }, BILLING: { action: 'UNCHANGED', applied: false } })];

function storeRun(chunks: readonly TargetAccount[][], stored: readonly AccountResult[]) {
  documents.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'CHUNK#' } }).resolves({ Items: chunks.map((chunk) => ({ accounts: chunk })) });
  documents.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'ACCOUNT#' } }).resolves({ Items: stored.map((r) => ({ result: r })) });
}

const loadReport = (env: Record<string, string | undefined> = {}) =>
  loadTask(() => import('../../tasks/report.ts'), BASE_CONFIG, { [ENV.TOPIC_ARN]: TOPIC, [ENV.SLACK_SECRET_NAME]: SLACK_SECRET, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env });

const fetchMock = vi.fn<typeof fetch>();
const published = () => sns.commandCalls(PublishCommand)[0]?.args[0].input;

beforeEach(() => {
  documents.reset();
  sns.reset();
  secrets.reset();
  claims.clear();
  documents.on(PutCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: '1' });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: WEBHOOK });
  fetchMock.mockReset().mockResolvedValue(new Response('ok'));
  vi.stubGlobal('fetch', fetchMock);
  storeRun([accounts], results);
});

afterEach(() => vi.unstubAllGlobals());

describe('report', () => {
  it('summarizes per type, SECURITY first, then the changes and the failures', async () => {
    const { handler } = await loadReport();

    await handler({ plan, work }, lambdaContext);

    expect(published()?.Message).toBe(
      [
        'Alternate contacts run nightly-1, trigger schedule: 4 accounts, 2 failed, 1 excluded',
        '',
        'SECURITY',
        '  Accounts processed: 4',
        '  Assigned: 1',
        '  Updated: 1',
        '  Unchanged: 1',
        '  Skipped: 0',
        '  Failed: 1',
        '',
        'BILLING',
        '  Accounts processed: 4',
        '  Assigned: 0',
        '  Updated: 0',
        '  Unchanged: 1',
        '  Skipped: 1',
        '  Failed: 2',
        '',
        'Changes:',
        '  ASSIGN SECURITY 100000000001 (alpha)',
        '  UPDATE SECURITY 100000000002 (beta) (email)',
        '',
        'Failures:',
        '  100000000003 (gamma) BILLING: AccessDeniedError: not authorized',
        '  100000000004 (delta): no result recorded: its chunk ended before the account was recorded',
      ].join('\n'),
    );
  });

  it('marks a dry run in the header and its changes as not applied', async () => {
    const { handler } = await loadReport();
    storeRun([[accounts[0] as TargetAccount]], [result('100000000001', 'alpha', { SECURITY: { action: 'ASSIGN', applied: false } })]);

    await handler({ plan: { ...plan, dryRun: true }, work }, lambdaContext);

    expect(published()?.Message).toContain('trigger schedule, DRY RUN:');
    expect(published()?.Message).toContain('  ASSIGN SECURITY 100000000001 (alpha) (not applied: dry run)');
  });

  it('reports accounts the failed Map never recorded, with the Map error as reason', async () => {
    const { handler } = await loadReport();

    const report = await handler({ plan, work, mapError: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'too many child executions failed' } }, lambdaContext);

    expect(report.failures).toContainEqual({ accountId: '100000000004', accountName: 'delta', reason: 'no result recorded: too many child executions failed' });
    expect(report.counts.SECURITY?.failed).toBe(1);
  });

  it('keeps at most 100 changes and counts the rest as omitted', async () => {
    const { handler } = await loadReport();
    const many = Array.from({ length: 130 }, (_, i) => result(String(500000000000 + i), `a${i}`, { SECURITY: { action: 'ASSIGN', applied: true } }));
    storeRun([], many);

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.changes).toHaveLength(100);
    expect(report.omitted).toEqual({ changes: 30, failures: 0, skippedAccounts: 0 });
    expect(published()?.Message).toContain('  ... and 30 more changes (all are in the run table)');
  });

  it('lists skipped accounts with their reasons, in the report and its summary', async () => {
    const { handler } = await loadReport();
    const skippedAccounts = [{ accountId: '555500000001', accountName: 'legacy-billing', reason: 'account is SUSPENDED, not ACTIVE' }];

    const report = await handler({ plan, work: { ...work, skippedAccounts, skippedCount: 1 } }, lambdaContext);

    expect(report.skippedAccounts).toEqual(skippedAccounts);
    expect(published()?.Message).toContain('4 accounts, 2 failed, 1 excluded, 1 skipped');
    expect(published()?.Message).toContain('Skipped accounts:\n  555500000001 (legacy-billing): account is SUSPENDED, not ACTIVE');
  });

  it('keeps the SNS subject under 100 characters', async () => {
    const { handler } = await loadReport();

    await handler({ plan: { ...plan, runId: 'x'.repeat(80) }, work }, lambdaContext);

    expect(published()?.Subject?.length).toBeLessThan(100);
    expect(published()?.Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('posts the summary to the Slack webhook as JSON text', async () => {
    const { handler } = await loadReport();

    const report = await handler({ plan, work }, lambdaContext);

    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe(WEBHOOK);
    expect(JSON.parse(String(init?.body))).toEqual({ text: published()?.Message });
    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SENT' });
    expect(published()?.TopicArn).toBe(TOPIC);
  });

  it('reads the webhook secret once per container', async () => {
    const { handler } = await loadReport();

    await handler({ plan, work }, lambdaContext);
    await handler({ plan, work }, lambdaContext);

    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SLACK_SECRET });
  });

  it('skips Slack when no webhook secret is configured', async () => {
    const { handler } = await loadReport({ [ENV.SLACK_SECRET_NAME]: undefined });

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SKIPPED' });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('skips Slack while the webhook secret has no value yet, and reads it again next run', async () => {
    secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", $metadata: {} }));
    const { handler } = await loadReport();

    const report = await handler({ plan, work }, lambdaContext);
    await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SKIPPED' });
    expect(fetchMock).not.toHaveBeenCalled();
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('skips SNS when no topic is configured', async () => {
    const { handler } = await loadReport({ [ENV.TOPIC_ARN]: undefined });

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SKIPPED', slack: 'SENT' });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('records an SNS outage in the delivery and still stores the report', async () => {
    const { handler } = await loadReport();
    sns.on(PublishCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' }));

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'FAILED', slack: 'SENT', errors: ['sns: InternalErrorException: Service unavailable'] });
    expect(documents).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ item: 'REPORT', report }) });
  });

  it('records a Slack outage in the delivery', async () => {
    const { handler } = await loadReport();
    fetchMock.mockResolvedValue(new Response('no_service', { status: 503 }));

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'FAILED', errors: ['slack: Error: Slack answered HTTP 503'] });
  });

  it('never lets the webhook URL reach a log line or the report', async () => {
    const output: string[] = [];
    const capture = (chunk: string | Uint8Array) => (output.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const { handler } = await loadReport({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });
    fetchMock.mockRejectedValue(new TypeError(`Failed to parse URL from ${WEBHOOK}`));

    const report = await handler({ plan, work }, lambdaContext);
    vi.restoreAllMocks();

    expect(output.join('')).toContain('Run reported');
    expect(output.join('')).not.toContain(WEBHOOK);
    expect(JSON.stringify(report)).not.toContain(WEBHOOK);
    expect(report.delivery.errors).toEqual(['slack: TypeError: Failed to parse URL from [webhook]']);
  });

  it('stays quiet after a scheduled run that changed and failed nothing', async () => {
    const { handler } = await loadReport();
    storeRun([[accounts[0] as TargetAccount]], unchanged);

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SKIPPED', slack: 'SKIPPED' });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('still notifies about an uneventful run an operator started', async () => {
    const { handler } = await loadReport();
    storeRun([[accounts[0] as TargetAccount]], unchanged);

    await handler({ plan: { ...plan, trigger: 'manual' }, work }, lambdaContext);

    expect(sns).toHaveReceivedCommand(PublishCommand);
  });

  it('emits the FailedAccounts metric in the embedded metric format', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    const { handler } = await loadReport({ POWERTOOLS_METRICS_DISABLED: undefined });

    await handler({ plan, work }, lambdaContext);
    vi.restoreAllMocks();
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';

    const metric = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => '_aws' in line);
    const count = (Name: string) => ({ Name, Unit: 'Count' });
    expect(metric).toMatchObject({
      FailedAccounts: 2,
      ChangedAccounts: 2,
      CompliantAccounts: 0,
      DriftAccounts: 0,
      Runs: 1,
      Trigger: 'schedule',
      Status: 'ACCOUNTS_FAILED',
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'AlternateContactsEnforcer', Dimensions: [[]], Metrics: ['CompliantAccounts', 'ChangedAccounts', 'DriftAccounts', 'FailedAccounts'].map(count) },
          { Namespace: 'AlternateContactsEnforcer', Dimensions: [['Trigger', 'Status']], Metrics: [count('Runs')] },
        ],
      },
    });
  });

  describe('report files', () => {
    const BUCKET = 'alternate-contacts-reports-333333333333';
    const loadWithBucket = () => loadReport({ [ENV.REPORT_BUCKET]: BUCKET });
    const keys = (calls: { args: [{ input: { Key?: string } }] }[]) => calls.map((call) => call.args[0].input.Key).sort();

    beforeEach(() => {
      s3.reset();
      s3.on(PutObjectCommand).resolves({});
      s3.on(CopyObjectCommand).resolves({});
    });

    it("writes report.json, .csv and .html under the run's dated folder, copies them to latest/, and says where in the messages", async () => {
      const { handler } = await loadWithBucket();

      const report = await handler({ plan, work }, lambdaContext);

      const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
      const prefix = `reports/${day}/nightly-1/`;
      expect(keys(s3.commandCalls(PutObjectCommand))).toEqual([`${prefix}report.csv`, `${prefix}report.html`, `${prefix}report.json`]);
      expect(keys(s3.commandCalls(CopyObjectCommand))).toEqual(['latest/report.csv', 'latest/report.html', 'latest/report.json']);
      expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, { Bucket: BUCKET, Key: 'latest/report.csv', CopySource: `${BUCKET}/${prefix}report.csv` });
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${prefix}report.csv`, ContentType: 'text/csv; charset=utf-8; header=present' });
      expect(report.files).toMatchObject({ status: 'STORED', location: `s3://${BUCKET}/${prefix}`, latest: `s3://${BUCKET}/latest/` });
      expect(published()?.Message).toContain(`Full report (every account and type): s3://${BUCKET}/${prefix}report.html`);
      expect(JSON.parse(fetchMock.mock.calls[0]?.[1]?.body as string).text).toContain(`s3://${BUCKET}/${prefix}report.html`);
    });

    it("keeps latest/ for whole-organization runs: a run for one new account writes only its own folder", async () => {
      const { handler } = await loadWithBucket();

      const report = await handler({ plan: { ...plan, trigger: 'organizations', accountIds: ['100000000001'] }, work }, lambdaContext);

      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);
      expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
      expect(report.files).toMatchObject({ status: 'STORED' });
      expect(report.files).not.toHaveProperty('latest');
    });

    it('covers every planned account and managed type in report.json, the unrecorded one as FAILED', async () => {
      const { handler } = await loadWithBucket();

      await handler({ plan, work }, lambdaContext);

      const json = s3.commandCalls(PutObjectCommand).find((call) => call.args[0].input.Key?.endsWith('.json'))?.args[0].input.Body as string;
      const entries = (JSON.parse(json) as { entries: { accountId: string; type: string; outcome: string }[] }).entries;
      expect(entries).toHaveLength(accounts.length * 3);
      expect(entries.filter((e) => e.accountId === '100000000004').map((e) => e.outcome)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    });

    it('still reports, and names the problem, when the bucket cannot be written', async () => {
      s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
      const { handler } = await loadWithBucket();

      const report = await handler({ plan, work }, lambdaContext);

      expect(report.files).toEqual({ status: 'FAILED', error: 'AccessDenied: Access Denied' });
      expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SENT' });
      expect(published()?.Message).toContain('Report files NOT stored: AccessDenied: Access Denied');
    });

    it('stores nothing and says nothing of files when no bucket is configured', async () => {
      const { handler } = await loadReport({ [ENV.REPORT_BUCKET]: undefined });

      const report = await handler({ plan, work }, lambdaContext);

      expect(report.files).toEqual({ status: 'SKIPPED' });
      expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
      expect(published()?.Message).not.toContain('report.html');
    });
  });

  it('sends the report once, and still returns it, when storing it fails', async () => {
    documents.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const { handler } = await loadReport();

    const report = await handler({ plan, work }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SENT' });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('releases the claim of a new-account run that did not finish every account', async () => {
    const { claimRun } = await import('#shared/aws/run-claim');
    const newAccountPlan: RunPlan = { ...plan, trigger: 'organizations', accountIds: ['100000000003'], claimKey: 'account:100000000003' };
    await claimRun(newAccountPlan.claimKey, newAccountPlan, lambdaContext);
    storeRun([[accounts[2] as TargetAccount]], [results[2] as AccountResult]);
    const { handler } = await loadReport();

    await handler({ plan: newAccountPlan, work }, lambdaContext);

    expect(claims.size).toBe(0);
  });

  it('keeps the claim of a new-account run that finished every account', async () => {
    const { claimRun } = await import('#shared/aws/run-claim');
    const newAccountPlan: RunPlan = { ...plan, trigger: 'control-tower', accountIds: ['100000000001'], claimKey: 'account:100000000001' };
    await claimRun(newAccountPlan.claimKey, newAccountPlan, lambdaContext);
    storeRun([[accounts[0] as TargetAccount]], unchanged);
    const { handler } = await loadReport();

    await handler({ plan: newAccountPlan, work }, lambdaContext);

    expect(claims.size).toBe(1);
  });

  it("stores the report as the run's REPORT item", async () => {
    const { handler } = await loadReport();

    const report: Report = await handler({ plan, work }, lambdaContext);

    expect(documents).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ runId: 'nightly-1', item: 'REPORT', report }) });
  });
});

describe('report of a refused input', () => {
  const MESSAGE = 'detail.serviceEventDetails.joinedMethod: must be INVITED or CREATED';
  const refusal = { message: MESSAGE, source: 'aws.organizations', detailType: 'AWS Service Event via CloudTrail', eventId: '3b8f1c2d', eventName: 'AccountJoinedOrganization' };
  const refused: RunPlan = { status: 'REFUSED', runId: 'joined-1', trigger: 'account-joined', dryRun: false, claimKey: 'none', refusal };
  const BUCKET = 'alternate-contacts-reports-333333333333';
  const stored = (name: string) => s3.commandCalls(PutObjectCommand).find((call) => call.args[0].input.Key?.endsWith(name))?.args[0].input.Body as string;

  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
  });

  it('leads the summary with the refusal and what arrived, in SNS and Slack, under a subject that says so', async () => {
    const { handler } = await loadReport();

    await handler({ plan: refused }, lambdaContext);

    expect(published()?.Subject).toBe('Alternate contacts: input refused, trigger account-joined [joined-1]');
    expect(published()?.Message?.split('\n').slice(0, 5)).toEqual([
      `Input refused: ${MESSAGE}`,
      'Received: source aws.organizations, detail-type AWS Service Event via CloudTrail, event id 3b8f1c2d, eventName AccountJoinedOrganization',
      'No account was read or written. The execution fails with MalformedInputError, so its alarm fires.',
      '',
      'Alternate contacts run joined-1, trigger account-joined: 0 accounts, 0 failed, 0 excluded',
    ]);
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toEqual({ text: published()?.Message });
  });

  it('is never quiet, not even for a scheduled event under quietWhenUnchanged', async () => {
    const { handler } = await loadReport();

    const report = await handler({ plan: { ...refused, trigger: 'schedule' } }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SENT' });
  });

  it('returns and stores the refusal in the report, with no account, reading no result and freeing no claim', async () => {
    claims.set('none', {});
    const { handler } = await loadReport();

    const report = await handler({ plan: refused }, lambdaContext);

    expect(report).toMatchObject({ runId: 'joined-1', trigger: 'account-joined', refusal, accountsProcessed: 0, accountsFailed: 0, counts: {}, changes: [], failures: [] });
    expect(documents).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ item: 'REPORT', report }) });
    expect(documents).not.toHaveReceivedCommand(QueryCommand);
    expect(claims.size).toBe(1);
  });

  it("reports a refusal ListAccounts raised (a console input's account outside the organization) with the error's own message", async () => {
    const { handler } = await loadReport();
    const cause = JSON.stringify({ errorType: 'MalformedInputError', errorMessage: 'accountIds: 999999999999 is not an account of this organization', trace: [] });

    const report = await handler({ plan: { ...plan, trigger: 'manual', accountIds: ['999999999999'] }, error: { Error: 'MalformedInputError', Cause: cause } }, lambdaContext);

    expect(report.refusal).toEqual({ message: 'accountIds: 999999999999 is not an account of this organization' });
    expect(published()?.Message).toMatch(/^Input refused: accountIds: 999999999999 is not an account of this organization\nReceived: no source, detail-type or event id \(console input\)\n/);
  });

  it("stores the files under the run's folder, never in latest/, with the refusal in report.json's run and at the top of report.html", async () => {
    const { handler } = await loadReport({ [ENV.REPORT_BUCKET]: BUCKET });

    const report = await handler({ plan: { ...refused, trigger: 'manual' } }, lambdaContext);

    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect(report.files).toMatchObject({ status: 'STORED' });
    expect(report.files).not.toHaveProperty('latest');
    const json = JSON.parse(stored('report.json')) as { run: { refusal: unknown; accounts: number }; entries: unknown[] };
    expect(json.run).toMatchObject({ refusal, accounts: 0 });
    expect(json.entries).toEqual([]);
    expect(stored('report.csv').trim().split('\r\n')).toHaveLength(1);
    const html = stored('report.html');
    expect(html.indexOf('Input refused')).toBeLessThan(html.indexOf('Per type'));
    expect(html).toContain(MESSAGE);
  });

  it('counts the run as REFUSED by its trigger, and the refusal in RefusedInputs, with no account metric', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    const { handler } = await loadReport({ POWERTOOLS_METRICS_DISABLED: undefined });

    await handler({ plan: refused }, lambdaContext);
    vi.restoreAllMocks();
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';

    const metric = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => '_aws' in line);
    expect(metric).toMatchObject({ Runs: 1, Trigger: 'account-joined', Status: 'REFUSED', RefusedInputs: 1 });
    expect(metric).not.toHaveProperty('FailedAccounts');
    expect(metric).not.toHaveProperty('CompliantAccounts');
  });
});

describe('report of a run with a warning (a joined event without its account id)', () => {
  const WARNING = { code: 'JoinedAccountIdMissing', message: 'AccountJoinedOrganization event 0c1d (INVITED, joinedTime 2026-11-21T14:07:40Z) has no detail.serviceEventDetails.accountId; <b>shape</b>' } as const;
  const joinedPlan: RunPlan = {
    status: 'RUN',
    runId: 'joined-1',
    trigger: 'account-joined',
    dryRun: false,
    joinedSearch: { eventId: '0c1d', joinedMethod: 'INVITED', joinedTime: '2026-11-21T14:07:40Z', from: '2026-11-21T13:52:40.000Z', to: '2026-11-21T14:22:40.000Z', detailKeys: [] },
    claimKey: 'joined:0c1d',
  };
  const joinedWork: WorkList = { runId: 'joined-1', accountCount: 1, excludedCount: 0, chunks: [0], maxConcurrency: 2, warnings: [WARNING] };
  const BUCKET = 'alternate-contacts-reports-333333333333';
  const stored = (name: string) => s3.commandCalls(PutObjectCommand).find((call) => call.args[0].input.Key?.endsWith(name))?.args[0].input.Body as string;

  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    storeRun([[accounts[0] as TargetAccount]], unchanged);
  });

  it('says the warning once, ahead of the counts, in SNS and Slack, and returns it in the report', async () => {
    const { handler } = await loadReport();

    const report = await handler({ plan: joinedPlan, work: joinedWork }, lambdaContext);

    const message = published()?.Message ?? '';
    expect(message.split('\n').slice(0, 3)).toEqual([`Warning: ${WARNING.message}`, '', 'Alternate contacts run joined-1, trigger account-joined: 1 account, 0 failed, 0 excluded']);
    expect(message.split(WARNING.message)).toHaveLength(2);
    expect(JSON.parse(String(fetchMock.mock.calls[0]?.[1]?.body))).toEqual({ text: message });
    expect(report.warnings).toEqual([WARNING]);
  });

  it('puts it in report.json\'s run and at the top of report.html, escaped, and never replaces latest/', async () => {
    const { handler } = await loadReport({ [ENV.REPORT_BUCKET]: BUCKET });

    const report = await handler({ plan: joinedPlan, work: joinedWork }, lambdaContext);

    expect(report.files).not.toHaveProperty('latest');
    expect(s3).not.toHaveReceivedCommand(CopyObjectCommand);
    expect((JSON.parse(stored('report.json')) as { run: unknown }).run).toMatchObject({ warnings: [WARNING] });
    const html = stored('report.html');
    expect(html.indexOf('<h2>Warning</h2>')).toBeGreaterThan(-1);
    expect(html.indexOf('<h2>Warning</h2>')).toBeLessThan(html.indexOf('Per type'));
    expect(html).toContain('has no detail.serviceEventDetails.accountId; &lt;b&gt;shape&lt;/b&gt;');
  });

  it('is never quiet, not even on a schedule under quietWhenUnchanged', async () => {
    const { handler } = await loadReport();

    const report = await handler({ plan: { ...joinedPlan, trigger: 'schedule' }, work: joinedWork }, lambdaContext);

    expect(report.delivery).toEqual({ sns: 'SENT', slack: 'SENT' });
  });

  it('counts 1 in JoinedEventsWithoutAccountId, next to the run\'s own metrics', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    const { handler } = await loadReport({ POWERTOOLS_METRICS_DISABLED: undefined });

    await handler({ plan: joinedPlan, work: joinedWork }, lambdaContext);
    vi.restoreAllMocks();
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';

    const metric = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => '_aws' in line);
    expect(metric).toMatchObject({ JoinedEventsWithoutAccountId: 1, CompliantAccounts: 1, Runs: 1, Trigger: 'account-joined', Status: 'SUCCEEDED' });
  });
});
