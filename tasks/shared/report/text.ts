import { CONTACT_TYPES, type ContactType } from '../rules/contacts.ts';
import type { ChangeOutcome, Refusal, ReportFilesOutcome, RunWarning, TypeCounts } from '../rules/model.ts';
import { changeCount, type ReportDigest } from './digest.ts';
import { ouPathText } from './ou-names.ts';
import { receivedText, REFUSAL_OUTCOME } from './refusal.ts';

/**
 * The plain-text views of the report's digest: the SNS message and its subject, the Slack message, and what
 * `npm start` prints.
 */

/** A message subject: SNS allows fewer than 100 characters. https://docs.aws.amazon.com/sns/latest/api/API_Publish.html */
export function formatSubject(report: ReportDigest): string {
  const subject = report.refusal
    ? `Alternate contacts: input refused, trigger ${report.trigger} [${report.runId}]`
    : `Alternate contacts: ${changeCount(report)} changes, ${report.accountsFailed} failed accounts${report.dryRun ? ' (dry run)' : ''} [${report.runId}]`;
  // Plain ASCII: older SNS rules and some e-mail consumers take nothing else in a subject.
  return subject.length < 100 ? subject : `${subject.slice(0, 96)}...`;
}

function typeBlock(type: ContactType, counts: TypeCounts): string[] {
  const processed = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return [
    type,
    `  Accounts processed: ${processed}`,
    `  Assigned: ${counts.assigned}`,
    `  Updated: ${counts.updated}`,
    // Only where something was (or would be) deleted: most runs manage no type under the delete policy.
    ...(counts.deleted > 0 ? [`  Deleted: ${counts.deleted}`] : []),
    `  Unchanged: ${counts.unchanged}`,
    `  Skipped: ${counts.skipped}`,
    `  Failed: ${counts.failed}`,
  ];
}

// A change line names what is done to the contact, in the imperative the summary has always used.
const CHANGE_VERB: Record<ChangeOutcome, string> = { ASSIGNED: 'ASSIGN', UPDATED: 'UPDATE', DELETED: 'DELETE' };

const account = (entry: { accountId: string; accountName: string }) => `${entry.accountId} (${entry.accountName})`;

/** An account where it sits: `100000000003 (gamma) under Root / Workloads (ou-…)`. */
const placed = (report: ReportDigest, entry: { accountId: string; accountName: string; ouPath: readonly string[] }) =>
  `${account(entry)} under ${ouPathText(entry.ouPath, report.ouNames ?? {})}`;

/** A refused input leads the summary: why, what arrived, and what happened (nothing). */
const refusalLines = (refusal: Refusal) => [`Input refused: ${refusal.message}`, `Received: ${receivedText(refusal)}`, REFUSAL_OUTCOME, ''];

/** Each warning once, ahead of the counts, so a glance at the message sees it. */
const warningLines = (warnings: readonly RunWarning[] = []) => warnings.flatMap((warning) => [`Warning: ${warning.message}`, '']);

const more = (count: number, what: string) => (count > 0 ? [`  ... and ${count} more ${what} (all are in the run table)`] : []);

function guardrailDriftLines(report: ReportDigest): string[] {
  const guardrail = report.guardrail;
  if (!guardrail || guardrail.drifted.length === 0) return [];
  return [
    '',
    'Guarded accounts that drifted anyway (only the enforcer and the exempt principals may change these; check who did, and where the guardrail is attached):',
    ...guardrail.drifted.map((d) => `  ${placed(report, d)}: ${d.types.join(', ')}`),
    ...(guardrail.omitted > 0 ? [`  ... and ${guardrail.omitted} more guarded accounts`] : []),
  ];
}

/** The plain-text summary: a header, one block per type (SECURITY first), then the changes and the failures. */
export function formatSummary(report: ReportDigest): string {
  const skippedCount = report.skippedAccounts.length + report.omitted.skippedAccounts;
  const header =
    `Alternate contacts run ${report.runId}, trigger ${report.trigger}${report.dryRun ? ', DRY RUN' : ''}: ` +
    `${report.accountsProcessed} ${report.accountsProcessed === 1 ? 'account' : 'accounts'}, ${report.accountsFailed} failed, ${report.excluded} excluded` +
    (skippedCount > 0 ? `, ${skippedCount} skipped` : '');
  const blocks = CONTACT_TYPES.flatMap((type) => {
    const counts = report.counts[type];
    return counts ? ['', ...typeBlock(type, counts)] : [];
  });
  const changes = report.changes.map(
    (c) => `  ${CHANGE_VERB[c.outcome]} ${c.type} ${account(c)}${c.fields ? ` (${c.fields.join(', ')})` : ''}${c.applied ? '' : ' (not applied: dry run)'}`,
  );
  const failures = report.failures.map((f) => `  ${placed(report, { ...f, ouPath: report.ouPaths?.[f.accountId] ?? [] })}${f.type ? `, ${f.type}` : ''}: ${f.reason}`);
  const guardrail = report.guardrail;
  const skipped = report.skippedAccounts.map((s) => `  ${account(s)}: ${s.reason}`);
  return [
    ...(report.refusal ? refusalLines(report.refusal) : []),
    ...warningLines(report.warnings),
    header,
    ...(guardrail ? [`Guardrail: ${guardrail.guarded} of ${guardrail.accounts} accounts guarded (the SCP locks ${guardrail.lockedTypes.join(', ')})`] : []),
    ...(report.ouNamesNote ? [`Note: ${report.ouNamesNote}`] : []),
    ...(report.bookkeepingErrors ? ['', 'Run records NOT complete (the outcomes below are what could be read):', ...report.bookkeepingErrors.map((line) => `  ${line}`)] : []),
    ...blocks,
    ...(changes.length > 0 ? ['', 'Changes:', ...changes, ...more(report.omitted.changes, 'changes')] : []),
    ...(failures.length > 0 ? ['', 'Failures:', ...failures, ...more(report.omitted.failures, 'failures')] : []),
    ...guardrailDriftLines(report),
    ...(skipped.length > 0 ? ['', 'Skipped accounts:', ...skipped, ...(report.omitted.skippedAccounts > 0 ? [`  ... and ${report.omitted.skippedAccounts} more skipped accounts`] : [])] : []),
  ].join('\n');
}

/** Where the report files are, or why they are not there: the messages' last lines. */
function filesLines(files: ReportFilesOutcome): string[] {
  if (files.status === 'STORED') return ['', `Full report (every account and type): ${files.location}report.html (also .csv, .json)`, `Open it: ${files.consoleUrl}`];
  if (files.status === 'FAILED') return ['', `Report files NOT stored: ${files.error}`];
  return [];
}

/** The SNS and Slack message: the summary, then where the files are. */
export const formatMessage = (report: ReportDigest, files: ReportFilesOutcome): string => [formatSummary(report), ...filesLines(files)].join('\n');
