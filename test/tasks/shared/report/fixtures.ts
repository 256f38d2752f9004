import type { ContactType } from '#shared/rules/contacts';
import type { AccountResult, RunPlan } from '#shared/rules/model';
import { buildReportModel, type ReportModel } from '#shared/report/model';
import type { RunRecords } from '#shared/report/records';

/** Report models built from results alone, as the Report task builds them from a run's records. */

export const OU = 'ou-ab12-cd34ef56';
export const REPORTED_AT = '2026-11-24T03:00:00.000Z';
export const plan: RunPlan = { status: 'RUN', runId: 'nightly-1', trigger: 'schedule', dryRun: false, claimKey: 'schedule:1' };

export const result = (accountId: string, accountName: string, types: AccountResult['types'], extra: Partial<AccountResult> = {}): AccountResult => ({
  accountId,
  accountName,
  status: Object.values(types).some((t) => t.action === 'FAILED') || extra.error ? 'FAILED' : 'OK',
  dryRun: false,
  types,
  ouPath: [OU],
  sources: { SECURITY: { layer: 'default' }, BILLING: { layer: 'account' }, OPERATIONS: { layer: 'ou', id: OU } },
  ...extra,
});

/** The model of these results, every one of them planned and stored; `records` adds or replaces parts of the run's records. */
export function modelOf(results: readonly AccountResult[], types: readonly ContactType[] = ['SECURITY'], records: Partial<RunRecords> = {}): ReportModel {
  const work = { runId: plan.runId, accountCount: results.length, excludedCount: 2, chunks: [0], maxConcurrency: 2 };
  return buildReportModel({
    records: { plan, work, chunks: [], results, ...records },
    types,
    reportedAt: REPORTED_AT,
    mode: 'enforce',
    configHash: 'a'.repeat(64),
  });
}
