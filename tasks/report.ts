import type { Context } from 'aws-lambda';
import { describeError } from '#shared/aws/account-api';
import { failureMessage, type StateError } from '#shared/rules/account-result';
import { loadConfig } from '#shared/rules/config';
import { configHash } from '#shared/rules/config-hash';
import { CONTACT_TYPES } from '#shared/rules/contacts';
import { ENV, requiredEnv } from '#shared/aws/env';
import { lockedTypes } from '#shared/rules/guardrail';
import { type AccountResult, coversWholeOrganization, type Refusal, type Report, type ReportFilesOutcome, type RunPlan, type WorkList } from '#shared/rules/model';
import { postToSlack, publishToTopic } from '#shared/aws/notify';
import { emitMetrics, type MetricSet, REFUSED_INPUTS_METRIC, RUN_METRICS, WARNING_METRICS } from '#shared/aws/metrics';
import { logger } from '#shared/aws/powertools';
import { buildReport, everyResult, formatSubject, formatSummary, isUneventful, type RunRecords, type RunReport } from '#shared/report/report';
import { buildComplianceReport, type ComplianceReport, renderReportFiles } from '#shared/report/files';
import { storeReportFiles } from '#shared/aws/report-store';
import { releaseUnfinishedAccountRun } from '#shared/aws/run-claim';
import { listChunks, listResults, putReport } from '#shared/aws/run-table';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));
const managedTypes = CONTACT_TYPES.filter((type) => config.contacts[type]);
const guardrailTypes = config.guardrail && lockedTypes(config);
const hash = configHash(config);
// Both channels and the bucket are optional: a run against a real organization from a laptop delivers nothing.
const topicArn = process.env[ENV.TOPIC_ARN];
const slackSecretName = process.env[ENV.SLACK_SECRET_NAME];
const reportBucket = process.env[ENV.REPORT_BUCKET];

interface ReportInput {
  readonly plan: RunPlan;
  /** Absent when the input was refused before any account was listed. */
  readonly work?: WorkList;
  readonly mapError?: StateError;
  /** ListAccounts' MalformedInputError, caught (the state machine routes no other error here): an account id outside the organization. */
  readonly error?: StateError;
  /** Each chunk's child output, in chunk order; absent when the Map failed or never ran. */
  readonly outcomes?: readonly (ChunkOutcome | null)[];
  /**
   * Set by Report's Catch (state ReportWithoutBookkeeping): the run table or the claim table stayed unavailable
   * through Report's retries. This pass reads what it can, and reports what it could not instead of failing.
   */
  readonly bookkeepingError?: StateError;
}

/**
 * What one chunk's child execution returned: the results the run table would not take, or why the chunk did not
 * load; a child that failed (timed out past its 5 minutes) stands as its Error and Cause.
 */
type ChunkOutcome = { readonly unrecorded: readonly AccountResult[] } | { readonly chunk: number; readonly loadError: StateError } | StateError;

/** The chunk outputs (chunk n at index n), as the report's records take them. */
function fromChunkOutcomes(outcomes: ReportInput['outcomes'] = []): Pick<RunRecords, 'unstored' | 'notLoaded'> {
  const unstored = outcomes.flatMap((outcome) => (outcome && 'unrecorded' in outcome ? outcome.unrecorded : []));
  const notLoaded = Object.fromEntries(
    outcomes.flatMap((outcome, chunk) => {
      if (outcome && 'loadError' in outcome) return [[outcome.chunk, outcome.loadError]];
      return outcome && 'Error' in outcome ? [[chunk, outcome]] : [];
    }),
  );
  return { unstored, notLoaded };
}

/**
 * A read that fails throws RunTableError, which the state machine retries. In the last pass (ReportWithoutBookkeeping)
 * the failure is noted instead, and the report is built from what could be read.
 */
async function readOrNote<T>(what: string, read: () => Promise<T[]>, lastPass: boolean, notes: string[]): Promise<T[] | undefined> {
  if (!lastPass) return read();
  try {
    return await read();
  } catch (error) {
    notes.push(`could not read ${what}: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * A run for an account that failed, or was not active yet, must be done by its next event: its claim is released. In
 * the last pass a claim table that still fails is noted (the claim then lapses with its lifetime) rather than thrown.
 */
async function releaseIfUnfinished(plan: RunPlan, unfinished: boolean, lastPass: boolean): Promise<string | undefined> {
  if (!unfinished) return undefined;
  try {
    await releaseUnfinishedAccountRun(plan);
    return undefined;
  } catch (error) {
    if (!lastPass) throw error;
    return `could not release the claim ${plan.claimKey}, so its next event is skipped until the claim lapses: ${describeError(error)}`;
  }
}

/** Why the input was refused, by ResolveTargets (in the plan) or by ListAccounts (caught); undefined for a run. */
const refusalIn = ({ plan, error }: ReportInput): Refusal | undefined => plan.refusal ?? (error && { message: failureMessage(error) });

function complianceReport(plan: RunPlan, work: WorkList, results: readonly AccountResult[], refusal: Refusal | undefined): ComplianceReport {
  const run = {
    runId: plan.runId,
    trigger: plan.trigger,
    reportedAt: new Date().toISOString(),
    mode: config.mode,
    dryRun: plan.dryRun,
    ...(refusal && { refusal }),
    ...(work.warnings && { warnings: work.warnings }),
    configHash: hash,
    excluded: work.excludedCount,
  };
  return buildComplianceReport({ run, types: managedTypes, results, ...(guardrailTypes && { lockedTypes: guardrailTypes }) });
}

/**
 * A failure to store the files never stops the report: it is named in the report and in its messages instead.
 * latest/ shows the whole organization, so only a whole-organization run that was not refused replaces it.
 */
async function storeFiles(compliance: ComplianceReport, plan: RunPlan): Promise<ReportFilesOutcome> {
  if (!reportBucket) return { status: 'SKIPPED' };
  try {
    const { runId, reportedAt, refusal } = compliance.run;
    const stored = await storeReportFiles(reportBucket, { runId, reportedAt, updateLatest: coversWholeOrganization(plan) && !refusal }, renderReportFiles(compliance));
    const { bucket, prefix, latestPrefix, consoleUrl } = stored;
    return { status: 'STORED', location: `s3://${bucket}/${prefix}`, ...(latestPrefix && { latest: `s3://${bucket}/${latestPrefix}` }), consoleUrl };
  } catch (error) {
    logger.error('Report files not stored', { error: describeError(error) });
    return { status: 'FAILED', error: describeError(error) };
  }
}

function filesLine(files: ReportFilesOutcome): string[] {
  if (files.status === 'STORED') return ['', `Full report (every account and type): ${files.location}report.html (also .csv, .json)`, `Open it: ${files.consoleUrl}`];
  if (files.status === 'FAILED') return ['', `Report files NOT stored: ${files.error}`];
  return [];
}

/** Delivery never fails the run: each channel's outcome, and any error, is recorded in the report instead. */
async function deliver(report: RunReport, files: ReportFilesOutcome): Promise<Report['delivery']> {
  if (report.trigger === 'schedule' && config.notifications.quietWhenUnchanged && isUneventful(report) && files.status !== 'FAILED') {
    return { sns: 'SKIPPED', slack: 'SKIPPED' };
  }
  const text = [formatSummary(report), ...filesLine(files)].join('\n');
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

/** The Runs metric's Status: a refused input, a run that left an account failed, or one that did not. */
const runStatus = ({ refusal }: ComplianceReport['run'], accountsFailed: number) => (refusal ? 'REFUSED' : accountsFailed > 0 ? 'ACCOUNTS_FAILED' : 'SUCCEEDED');

/**
 * One EMF line per run: the dashboard's accounts per run, and the run itself by trigger and status. A refused run
 * looked at no account, so it counts the refusal instead: zeros would read as a dip in the accounts' graphs. Each
 * warning counts 1 in its own metric.
 */
function emitRunMetrics({ run }: ComplianceReport, accountsFailed: number): void {
  const values: MetricSet['values'] = run.refusal
    ? { [REFUSED_INPUTS_METRIC.metricName]: 1 }
    : {
        [RUN_METRICS.compliant]: run.accountsCompliant,
        [RUN_METRICS.changed]: run.accountsChanged,
        [RUN_METRICS.drift]: run.accountsDrifted,
        [RUN_METRICS.failed]: accountsFailed,
        ...Object.fromEntries((run.warnings ?? []).map((warning) => [WARNING_METRICS[warning.code].metricName, 1])),
      };
  emitMetrics([{ values }, { values: { [RUN_METRICS.runs]: 1 }, dimensions: { Trigger: run.trigger, Status: runStatus(run, accountsFailed) } }]);
}

// A refused run listed no account: nothing waits in the run table.
const NO_WORK = { accountCount: 0, excludedCount: 0, chunks: [], maxConcurrency: 0 } as const;

export const handler = async (input: ReportInput, context: Context): Promise<Report> => {
  logger.addContext(context);
  const { plan, mapError } = input;
  const lastPass = input.bookkeepingError !== undefined;
  const refusal = refusalIn(input);
  const work = input.work ?? { runId: plan.runId, ...NO_WORK };
  const notes: string[] = [];
  // A refused input reached no account: nothing waits in the run table.
  const [chunks, results] = refusal
    ? [[], []]
    : await Promise.all([readOrNote('the plan', () => listChunks(plan.runId), lastPass, notes), readOrNote('the results', () => listResults(plan.runId), lastPass, notes)]);
  const records: RunRecords = {
    plan,
    work,
    chunks: chunks ?? [],
    results: results ?? [],
    ...fromChunkOutcomes(input.outcomes),
    ...(mapError && { mapError }),
    ...(refusal && { refusal }),
    ...(results === undefined && { resultsUnread: notes.at(-1) }),
    bookkeepingErrors: notes,
    ...(guardrailTypes && { lockedTypes: guardrailTypes }),
  };
  const built = buildReport(records);
  const compliance = complianceReport(plan, work, everyResult(records), refusal);

  // A refused input reached no account: there is nothing for a next event to finish.
  const unfinished = !refusal && (built.accountsFailed > 0 || (work.notReadyCount ?? 0) > 0);
  const releaseNote = await releaseIfUnfinished(plan, unfinished, lastPass);
  const summary = releaseNote ? { ...built, bookkeepingErrors: [...(built.bookkeepingErrors ?? []), releaseNote] } : built;
  const files = await storeFiles(compliance, plan);

  // Delivery comes last: nothing after it may throw, or the state machine's Retry would send the report twice.
  const report: Report = { ...summary, files, delivery: await deliver(summary, files) };
  emitRunMetrics(compliance, report.accountsFailed);
  await putReport(plan.runId, report).catch((error: unknown) =>
    logger.error('Report not stored; it is the execution output, and every account result is in the run table', { error: describeError(error) }),
  );

  logger.info('Run reported', { runId: plan.runId, accounts: report.accountsProcessed, failed: report.accountsFailed, files: report.files, delivery: report.delivery });
  return report;
};
