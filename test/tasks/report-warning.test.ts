import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunPlan, TargetAccount, WorkList } from '#shared/rules/model';
import { ENV } from '#shared/aws/env';
import { accounts, fetchMock, lambdaContext, loadReport, published, s3, storeRun, unchanged, useReportBench } from './report-support.ts';

useReportBench();

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
