import { PublishCommand } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AccountResult, Report, RunPlan, TargetAccount } from '#shared/rules/model';
import { accounts, claims, documents, lambdaContext, loadReport, plan, results, sns, storeRun, unchanged, useReportBench, work } from './report-support.ts';

useReportBench();

describe("the report in the run's own records: the REPORT item and the run's claim", () => {
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
