import { describe, expect, it } from 'vitest';
import type { TargetAccount } from '#shared/rules/model';
import { accounts, lambdaContext, loadReport, plan, published, result, storeRun, useReportBench, work } from './report-support.ts';

useReportBench();

describe('the report summary (SNS, Slack and the execution output)', () => {
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
        // Every account's policy ignores OPERATIONS (their desired contacts leave it out): each is counted, as skipped.
        'OPERATIONS',
        '  Accounts processed: 4',
        '  Assigned: 0',
        '  Updated: 0',
        '  Unchanged: 0',
        '  Skipped: 3',
        '  Failed: 1',
        '',
        'Changes:',
        '  ASSIGN SECURITY 100000000001 (alpha)',
        '  UPDATE SECURITY 100000000002 (beta) (email)',
        '',
        'Failures:',
        '  100000000003 (gamma) under Root, BILLING: AccessDeniedError: not authorized',
        '  100000000004 (delta) under Root: no result recorded: its chunk ended before the account was recorded',
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
});
