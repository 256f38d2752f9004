import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunPlan } from '#shared/rules/model';
import { ENV } from '#shared/aws/env';
import { claims, documents, fetchMock, lambdaContext, loadReport, plan, published, s3, useReportBench } from './report-support.ts';

useReportBench();

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
