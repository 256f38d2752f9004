import type { Context } from 'aws-lambda';
import { describeError } from '#shared/account-api';
import type { StateError } from '#shared/account-result';
import { loadConfig } from '#shared/config';
import { ENV, requiredEnv } from '#shared/env';
import type { Report, RunPlan, WorkList } from '#shared/model';
import { postToSlack, publishToTopic } from '#shared/notify';
import { emitCountMetric, FAILED_ACCOUNTS_METRIC } from '#shared/metrics';
import { logger } from '#shared/powertools';
import { buildReport, formatSubject, formatSummary, isUneventful, type RunReport } from '#shared/report';
import { releaseUnfinishedNewAccountRun } from '#shared/run-claim';
import { listChunks, listResults, putReport } from '#shared/run-table';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));
// Both channels are optional: a run against a real organization from a laptop delivers nothing.
const topicArn = process.env[ENV.TOPIC_ARN];
const slackSecretName = process.env[ENV.SLACK_SECRET_NAME];

interface ReportInput {
  readonly plan: RunPlan;
  readonly work: WorkList;
  readonly mapError?: StateError;
}

/** Delivery never fails the run: each channel's outcome, and any error, is recorded in the report instead. */
async function deliver(report: RunReport): Promise<Report['delivery']> {
  if (report.trigger === 'schedule' && config.notifications.quietWhenUnchanged && isUneventful(report)) {
    return { sns: 'SKIPPED', slack: 'SKIPPED' };
  }
  const text = formatSummary(report);
  const errors: string[] = [];
  const attempt = async (channel: string, send: () => Promise<'SENT' | 'SKIPPED'>) =>
    send().catch(
      (error: unknown) => {
        errors.push(`${channel}: ${describeError(error)}`);
        return 'FAILED' as const;
      },
    );
  const [sns, slack] = await Promise.all([
    topicArn ? attempt('sns', () => publishToTopic(topicArn, formatSubject(report), text)) : ('SKIPPED' as const),
    slackSecretName ? attempt('slack', () => postToSlack(slackSecretName, text)) : ('SKIPPED' as const),
  ]);
  return { sns, slack, ...(errors.length > 0 && { errors }) };
}

export const handler = async ({ plan, work, mapError }: ReportInput, context: Context): Promise<Report> => {
  logger.addContext(context);
  const [chunks, results] = await Promise.all([listChunks(plan.runId), listResults(plan.runId)]);
  const summary = buildReport({ plan, work, chunks, results, ...(mapError && { mapError }) });

  // A new account that failed, or was not active yet, must be done by its next event: its claim is released.
  if (summary.accountsFailed > 0 || (work.notReadyCount ?? 0) > 0) await releaseUnfinishedNewAccountRun(plan);

  // Delivery comes last: nothing after it may throw, or the state machine's Retry would send the report twice.
  const report: Report = { ...summary, delivery: await deliver(summary) };
  emitCountMetric(FAILED_ACCOUNTS_METRIC, report.accountsFailed);
  await putReport(plan.runId, report).catch((error: unknown) =>
    logger.error('Report not stored; it is the execution output, and every account result is in the run table', { error: describeError(error) }),
  );

  logger.info('Run reported', { runId: plan.runId, accounts: report.accountsProcessed, failed: report.accountsFailed, delivery: report.delivery });
  return report;
};
