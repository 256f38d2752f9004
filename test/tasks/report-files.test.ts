import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENV } from '#shared/aws/env';
import { accounts, BUCKET, fetchMock, lambdaContext, loadReport, plan, published, s3, useReportBench, work } from './report-support.ts';

useReportBench();

describe('report files', () => {
  const loadWithBucket = () => loadReport({ [ENV.REPORT_BUCKET]: BUCKET });
  const keys = (calls: { args: [{ input: { Key?: string } }] }[]) => calls.map((call) => call.args[0].input.Key).sort();

  beforeEach(() => {
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
