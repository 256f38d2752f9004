import type { Context } from 'aws-lambda';
import { describeError } from '#shared/rules/errors';
import { failureMessage, type StateError } from '#shared/rules/account-result';
import { loadConfig } from '#shared/rules/config';
import { configHash } from '#shared/rules/config-hash';
import { CONTACT_TYPES } from '#shared/rules/contacts';
import { ENV, requiredEnv } from '#shared/aws/env';
import { lockedTypes } from '#shared/rules/guardrail';
import { type AccountResult, coversWholeOrganization, type Refusal, type Report, type ReportFilesOutcome, type RunPlan, type WorkList } from '#shared/rules/model';
import { sendReportMessage } from '#shared/aws/notify';
import { emitRunMetrics } from '#shared/aws/metrics';
import { logger } from '#shared/aws/powertools';
import { buildReportModel, type ReportModel } from '#shared/report/model';
import type { RunRecords } from '#shared/report/records';
import { digestOf, isUneventful, type ReportDigest } from '#shared/report/digest';
import { formatMessage, formatSubject } from '#shared/report/text';
import { storeReportModel } from '#shared/aws/report-store';
import { releaseUnfinishedAccountRun } from '#shared/aws/run-claim';
import { listChunks, listResults, putReport, readOuNames } from '#shared/aws/run-table';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));
const managedTypes = CONTACT_TYPES.filter((type) => config.contacts[type]);
const guardrailTypes = config.guardrail && lockedTypes(config);
const hash = configHash(config);
// Both channels and the bucket are optional: a run against a real organization from a laptop delivers nothing.
const channels = { topicArn: process.env[ENV.TOPIC_ARN], slackSecretName: process.env[ENV.SLACK_SECRET_NAME] };
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
 * What one chunk's child execution returned: one entry per account, `{}` once its result is stored and the result
 * itself where the run table would not take it; or why the chunk did not load; a child that failed (timed out past
 * its 5 minutes) stands as its Error and Cause.
 */
type ChunkOutcome = readonly (AccountResult | Record<string, never>)[] | { readonly chunk: number; readonly loadError: StateError } | StateError;

const isAccountResult = (entry: AccountResult | Record<string, never>): entry is AccountResult => 'accountId' in entry;

/** The chunk outputs (chunk n at index n), as the report's records take them. */
function fromChunkOutcomes(outcomes: ReportInput['outcomes'] = []): Pick<RunRecords, 'unstored' | 'notLoaded'> {
  const unstored = outcomes.flatMap((outcome) => (Array.isArray(outcome) ? outcome.filter(isAccountResult) : []));
  const notLoaded = Object.fromEntries(
    outcomes.flatMap((outcome, chunk) => {
      if (!outcome || Array.isArray(outcome)) return [];
      if ('loadError' in outcome) return [[outcome.chunk, outcome.loadError]];
      return 'Error' in outcome ? [[chunk, outcome]] : [];
    }),
  );
  return { unstored, notLoaded };
}

/**
 * A read that fails throws RunTableError, which the state machine retries. In the last pass (ReportWithoutBookkeeping)
 * the failure is noted instead, and the report is built from what could be read.
 */
async function readOrNote<T>(what: string, read: () => Promise<T>, lastPass: boolean, notes: string[]): Promise<T | undefined> {
  if (!lastPass) return read();
  try {
    return await read();
  } catch (error) {
    notes.push(`could not read ${what}: ${describeError(error)}`);
    return undefined;
  }
}

/** Why the input was refused, by ResolveTargets (in the plan) or by ListAccounts (caught); undefined for a run. */
const refusalIn = ({ plan, error }: ReportInput): Refusal | undefined => plan.refusal ?? (error && { message: failureMessage(error) });

// A refused run listed no account: nothing waits in the run table.
const NO_WORK = { accountCount: 0, excludedCount: 0, chunks: [], maxConcurrency: 0 } as const;

/** Everything the run left in the run table and in the state, for the report. A refused input reached no account. */
async function readRecords(input: ReportInput, lastPass: boolean): Promise<RunRecords> {
  const { plan, mapError } = input;
  const refusal = refusalIn(input);
  const notes: string[] = [];
  const [chunks, results, ouNames] = refusal
    ? [[], [], undefined]
    : await Promise.all([
        readOrNote('the plan', () => listChunks(plan.runId), lastPass, notes),
        readOrNote('the results', () => listResults(plan.runId), lastPass, notes),
        // The names only dress the OU ids: a failure to read them never fails the report (ou-names.ts says so).
        readOuNames(plan.runId).catch((error: unknown) => ({ names: {}, unread: { ouIds: [], error: describeError(error) } })),
      ]);
  return {
    plan,
    work: input.work ?? { runId: plan.runId, ...NO_WORK },
    chunks: chunks ?? [],
    results: results ?? [],
    ...fromChunkOutcomes(input.outcomes),
    ...(mapError && { mapError }),
    ...(refusal && { refusal }),
    ...(results === undefined && { resultsUnread: notes.find((note) => note.startsWith('could not read the results')) }),
    bookkeepingErrors: notes,
    ...(guardrailTypes && { lockedTypes: guardrailTypes }),
    ...(ouNames && { ouNames }),
  };
}

/**
 * A run for an account that failed, or was not active yet, must be done by its next event: its claim is released. In
 * the last pass a claim table that still fails is noted (the claim then lapses with its lifetime) rather than thrown.
 * A refused input reached no account: there is nothing for a next event to finish.
 */
async function releaseClaimIfUnfinished({ run }: ReportModel, plan: RunPlan, work: WorkList, lastPass: boolean): Promise<string[]> {
  const unfinished = !run.refusal && (run.accountsFailed > 0 || (work.notReadyCount ?? 0) > 0);
  if (!unfinished) return [];
  try {
    await releaseUnfinishedAccountRun(plan);
    return [];
  } catch (error) {
    if (!lastPass) throw error;
    return [`could not release the claim ${plan.claimKey}, so its next event is skipped until the claim lapses: ${describeError(error)}`];
  }
}

/** The report files in S3; a failure is the outcome, never a thrown error. */
async function storeFiles(model: ReportModel, plan: RunPlan): Promise<ReportFilesOutcome> {
  if (!reportBucket) return { status: 'SKIPPED' };
  const files = await storeReportModel(reportBucket, model, coversWholeOrganization(plan));
  if (files.status === 'FAILED') logger.error('Report files not stored', { error: files.error });
  return files;
}

/** SNS and Slack; a scheduled run that changed and failed nothing stays quiet when so configured. */
async function sendMessages(digest: ReportDigest, files: ReportFilesOutcome): Promise<Report['delivery']> {
  if (digest.trigger === 'schedule' && config.notifications.quietWhenUnchanged && isUneventful(digest) && files.status !== 'FAILED') {
    return { sns: 'SKIPPED', slack: 'SKIPPED' };
  }
  return sendReportMessage(channels, formatSubject(digest), formatMessage(digest, files));
}

/** The run table's REPORT item; the report is also the execution output, so a failure here is logged, not thrown. */
const storeReport = (report: Report) =>
  putReport(report.runId, report).catch((error: unknown) =>
    logger.error('Report not stored; it is the execution output, and every account result is in the run table', { error: describeError(error) }),
  );

export const handler = async (input: ReportInput, context: Context): Promise<Report> => {
  logger.addContext(context);
  const lastPass = input.bookkeepingError !== undefined;
  const records = await readRecords(input, lastPass);
  const model = buildReportModel({ records, types: managedTypes, reportedAt: new Date().toISOString(), mode: config.mode, configHash: hash });

  const claimNotes = await releaseClaimIfUnfinished(model, input.plan, records.work, lastPass);
  const files = await storeFiles(model, input.plan);
  const digest = digestOf(model, claimNotes);
  // Delivery comes last: nothing after it may throw, or the state machine's Retry would send the report twice.
  const report: Report = { ...digest, files, delivery: await sendMessages(digest, files) };
  emitRunMetrics(model.run);
  await storeReport(report);

  logger.info('Run reported', { runId: report.runId, accounts: report.accountsProcessed, failed: report.accountsFailed, files: report.files, delivery: report.delivery });
  return report;
};
