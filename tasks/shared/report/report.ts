import { CONTACT_TYPES, type ContactType } from '../rules/contacts.ts';
import { accountResult, failureReason, type StateError } from '../rules/account-result.ts';
import {
  type AccountResult,
  type Action,
  type GuardedDrift,
  type GuardrailCoverage,
  isWrite,
  receivedText,
  type Refusal,
  REFUSAL_OUTCOME,
  type Report,
  type RunPlan,
  type RunWarning,
  type TargetAccount,
  type TypeCounts,
  type WorkList,
} from '../rules/model.ts';

/** The report before delivery: everything but how it was sent. */
export type RunReport = Omit<Report, 'delivery'>;

export interface RunRecords {
  readonly plan: RunPlan;
  readonly work: WorkList;
  /** Every account planned, chunk by chunk (chunk n at index n); empty when the plan could not be read. */
  readonly chunks: readonly (readonly TargetAccount[])[];
  readonly results: readonly AccountResult[];
  /** Results the run table would not take, carried in the chunks' output instead (ResultNotStored). */
  readonly unstored?: readonly AccountResult[];
  /** Chunks whose child could not load them (ChunkNotLoaded) or failed, by chunk number, with the error. */
  readonly notLoaded?: Readonly<Record<number, StateError>>;
  /** Set when the Map itself failed: some chunks may have recorded nothing. */
  readonly mapError?: StateError;
  /** Set when the input was refused: no account was reached. */
  readonly refusal?: Refusal;
  /** The types the configured guardrail locks; absent without a guardrail. */
  readonly lockedTypes?: readonly ContactType[];
  /** Why the stored results could not be read, when they could not. */
  readonly resultsUnread?: string;
  /** What the run could not read or write in its own tables, even after retries, and why: the report says so. */
  readonly bookkeepingErrors?: readonly string[];
}

// The report travels as state output (256 KiB at most); the run table keeps every entry.
const MAX_ENTRIES = 100;

const COUNTER: Record<Action, keyof TypeCounts> = {
  ASSIGN: 'assigned',
  UPDATE: 'updated',
  DELETE: 'deleted',
  UNCHANGED: 'unchanged',
  SKIP: 'skipped',
  FAILED: 'failed',
};

/** Why an account planned in `chunk` has no result. */
function missingReason({ notLoaded, mapError, resultsUnread }: RunRecords, chunk: number): string {
  const loadError = notLoaded?.[chunk];
  if (loadError) return `its chunk's execution could not finish it: ${failureReason(loadError)}`;
  if (mapError) return failureReason(mapError);
  if (resultsUnread) return `its result could not be read: ${resultsUnread}`;
  return 'its chunk ended before the account was recorded';
}

/** An account planned but without a result: FAILED, with why. */
function unrecorded(plan: RunPlan, account: TargetAccount, why: string): AccountResult {
  return accountResult({ runId: plan.runId, dryRun: plan.dryRun, account, error: { Error: 'NoResult', Cause: `no result recorded: ${why}` } });
}

/**
 * Every account planned, each with its result: a stored one, else one its chunk carried (not stored), else FAILED
 * with the reason it has none.
 */
export function everyResult(records: RunRecords): AccountResult[] {
  const { plan, chunks, results, unstored = [] } = records;
  const all = new Map<string, AccountResult>();
  for (const result of [...unstored, ...results]) all.set(result.accountId, result);
  chunks.forEach((accounts, chunk) => {
    for (const account of accounts) if (!all.has(account.id)) all.set(account.id, unrecorded(plan, account, missingReason(records, chunk)));
  });
  return [...all.values()];
}

/**
 * How many of the run's accounts the guardrail binds, and those of them whose locked types differed anyway: with the
 * SCP attached nobody but the enforcer and the exempt principals can change them, so each is worth a look.
 */
export function guardrailCoverage(results: readonly AccountResult[], lockedTypes: readonly ContactType[]): GuardrailCoverage {
  const guarded = results.filter((result) => result.guarded).length;
  const drifted = guardedDrift(results, lockedTypes);
  return { lockedTypes, guarded, accounts: results.length, drifted: drifted.slice(0, MAX_ENTRIES), omitted: Math.max(0, drifted.length - MAX_ENTRIES) };
}

/** Every guarded account whose locked types differed (a write was due), with those types. */
export function guardedDrift(results: readonly AccountResult[], lockedTypes: readonly ContactType[]): GuardedDrift[] {
  return results.filter((result) => result.guarded).flatMap(({ accountId, accountName, types }) => {
    const differing = lockedTypes.filter((type) => {
      const action = types[type]?.action;
      return action !== undefined && isWrite(action);
    });
    return differing.length > 0 ? [{ accountId, accountName, types: differing }] : [];
  });
}

/** Planned accounts the report cannot name, because the plan itself could not be read. */
const unnamedAccounts = ({ chunks, work, refusal }: RunRecords, named: number) => (refusal || chunks.length > 0 ? 0 : Math.max(0, work.accountCount - named));

export function buildReport(records: RunRecords): RunReport {
  const { plan, work, refusal } = records;
  const all = everyResult(records);
  const unnamed = unnamedAccounts(records, all.length);

  const skippedAccounts = (work.skippedAccounts ?? []).slice(0, MAX_ENTRIES);
  const counts: Partial<Record<ContactType, TypeCounts>> = {};
  const changes: Report['changes'][number][] = [];
  const failures: Report['failures'][number][] = [];
  for (const result of all) {
    const { accountId, accountName } = result;
    if (result.error) failures.push({ accountId, accountName, reason: result.error });
    for (const type of CONTACT_TYPES) {
      const outcome = result.types[type];
      if (!outcome) continue;
      const typeCounts = (counts[type] ??= { assigned: 0, updated: 0, deleted: 0, unchanged: 0, skipped: 0, failed: 0 });
      typeCounts[COUNTER[outcome.action]]++;
      if (isWrite(outcome.action)) {
        changes.push({ accountId, accountName, type, action: outcome.action, applied: outcome.applied, ...(outcome.fields && { fields: outcome.fields }) });
      } else if (outcome.action === 'FAILED' && !result.error) {
        failures.push({ accountId, accountName, type, reason: outcome.reason ?? 'failed' });
      }
    }
  }

  return {
    runId: plan.runId,
    trigger: plan.trigger,
    dryRun: plan.dryRun,
    ...(refusal && { refusal }),
    ...(work.warnings && { warnings: work.warnings }),
    accountsProcessed: all.length + unnamed,
    accountsFailed: all.filter((result) => result.status === 'FAILED').length + unnamed,
    excluded: work.excludedCount,
    counts,
    changes: changes.slice(0, MAX_ENTRIES),
    failures: failures.slice(0, MAX_ENTRIES),
    skippedAccounts,
    ...(records.lockedTypes && { guardrail: guardrailCoverage(all, records.lockedTypes) }),
    omitted: {
      changes: Math.max(0, changes.length - MAX_ENTRIES),
      failures: Math.max(0, failures.length - MAX_ENTRIES),
      skippedAccounts: (work.skippedCount ?? skippedAccounts.length) - skippedAccounts.length,
    },
    ...(records.bookkeepingErrors && records.bookkeepingErrors.length > 0 && {
      bookkeepingErrors: [...records.bookkeepingErrors, ...(unnamed > 0 ? [`${unnamed} planned accounts cannot be named: each is counted FAILED`] : [])],
    }),
  };
}

const changeCount = (report: RunReport) => Object.values(report.counts).reduce((sum, c) => sum + c.assigned + c.updated + c.deleted, 0);

/** True when the run changed nothing (nor would have, in a dry run) and failed nothing; a refused input or a warning never is. */
export function isUneventful(report: RunReport): boolean {
  return !report.refusal && !report.warnings && changeCount(report) === 0 && report.accountsFailed === 0;
}

/** A message subject: SNS allows fewer than 100 characters. https://docs.aws.amazon.com/sns/latest/api/API_Publish.html */
export function formatSubject(report: RunReport): string {
  const subject = report.refusal
    ? `Alternate contacts: input refused, trigger ${report.trigger} [${report.runId}]`
    : `Alternate contacts: ${changeCount(report)} changes, ${report.accountsFailed} failed accounts${report.dryRun ? ' (dry run)' : ''} [${report.runId}]`;
  // Plain ASCII: older SNS rules and some e-mail consumers take nothing else in a subject.
  return subject.length < 100 ? subject : `${subject.slice(0, 96)}...`;
}

function typeBlock(type: ContactType, counts: TypeCounts): string[] {
  const processed = counts.assigned + counts.updated + counts.deleted + counts.unchanged + counts.skipped + counts.failed;
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

const account = (entry: { accountId: string; accountName: string }) => `${entry.accountId} (${entry.accountName})`;

/** A refused input leads the summary: why, what arrived, and what happened (nothing). */
const refusalLines = (refusal: Refusal) => [
  `Input refused: ${refusal.message}`,
  `Received: ${receivedText(refusal)}`,
  REFUSAL_OUTCOME,
  '',
];

/** Each warning once, ahead of the counts, so a glance at the message sees it. */
const warningLines = (warnings: readonly RunWarning[] = []) => warnings.flatMap((warning) => [`Warning: ${warning.message}`, '']);

/** The plain-text summary: a header, one block per type (SECURITY first), then the changes and the failures. */
export function formatSummary(report: RunReport): string {
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
    (c) => `  ${c.action} ${c.type} ${account(c)}${c.fields ? ` (${c.fields.join(', ')})` : ''}${c.applied ? '' : ' (not applied: dry run)'}`,
  );
  const failures = report.failures.map((f) => `  ${account(f)}${f.type ? ` ${f.type}` : ''}: ${f.reason}`);
  const guardrail = report.guardrail;
  const skipped = report.skippedAccounts.map((s) => `  ${account(s)}: ${s.reason}`);
  const more = (count: number, what: string) => (count > 0 ? [`  ... and ${count} more ${what} (all are in the run table)`] : []);
  return [
    ...(report.refusal ? refusalLines(report.refusal) : []),
    ...warningLines(report.warnings),
    header,
    ...(guardrail ? [`Guardrail: ${guardrail.guarded} of ${guardrail.accounts} accounts guarded (the SCP locks ${guardrail.lockedTypes.join(', ')})`] : []),
    ...(report.bookkeepingErrors ? ['', 'Run records NOT complete (the outcomes below are what could be read):', ...report.bookkeepingErrors.map((line) => `  ${line}`)] : []),
    ...blocks,
    ...(changes.length > 0 ? ['', 'Changes:', ...changes, ...more(report.omitted.changes, 'changes')] : []),
    ...(failures.length > 0 ? ['', 'Failures:', ...failures, ...more(report.omitted.failures, 'failures')] : []),
    ...(guardrail && guardrail.drifted.length > 0
      ? [
          '',
          'Guarded accounts that drifted anyway (only the enforcer and the exempt principals may change these; check who did, and where the guardrail is attached):',
          ...guardrail.drifted.map((d) => `  ${account(d)}: ${d.types.join(', ')}`),
          ...(guardrail.omitted > 0 ? [`  ... and ${guardrail.omitted} more guarded accounts`] : []),
        ]
      : []),
    ...(skipped.length > 0 ? ['', 'Skipped accounts:', ...skipped, ...(report.omitted.skippedAccounts > 0 ? [`  ... and ${report.omitted.skippedAccounts} more skipped accounts`] : [])] : []),
  ].join('\n');
}
