import { CONTACT_TYPES, type ContactType, type DesiredSource } from '../rules/contacts.ts';
import {
  type AccountResult,
  type GuardedDrift,
  isChange,
  type Outcome,
  OUTCOME_OF,
  type ReportChange,
  type ReportFailure,
  type Refusal,
  type RunWarning,
  type SkippedAccount,
  type Trigger,
  type TypeCounts,
} from '../rules/model.ts';
import { everyResult, type RunRecords, unnamedAccounts } from './records.ts';
import { ouNamesNote } from './ou-names.ts';

/**
 * The report of one run, built once from the run's records: one entry per account in scope and managed type, never
 * capped, never a contact's values (AWS marks all four fields sensitive), in one outcome vocabulary (OUTCOMES).
 * Every view renders from it: report.json, .csv and .html directly; the text summary, Slack and the execution output
 * from its digest (digest.ts), which caps the lists.
 */

/** 2: one outcome vocabulary (UNCHANGED for COMPLIANT, the change itself for DRIFT, `applied`), and OU names. */
export const REPORT_SCHEMA_VERSION = 2;

export interface ReportEntry {
  readonly accountId: string;
  readonly accountName: string;
  /** OU ids from the root down; empty for an account directly under the root. Named by the run's `ouNames`. */
  readonly ouPath: readonly string[];
  readonly type: ContactType;
  readonly source: DesiredSource;
  readonly outcome: Outcome;
  /** For ASSIGNED, UPDATED and DELETED: false in a dry run or audit mode, where nothing is written. */
  readonly applied?: boolean;
  /** The fields that differed from the desired contact (UPDATED, SKIPPED under fill-missing). */
  readonly fields: readonly string[];
  /** Why: for SKIPPED and FAILED always, for a change not applied what a write would do. */
  readonly reason?: string;
  /** With a guardrail configured: whether its SCP binds the account. */
  readonly guarded?: boolean;
}

export interface RunSummary {
  readonly runId: string;
  readonly trigger: Trigger;
  /** When the report was made (ISO 8601, UTC): the end of the run. */
  readonly reportedAt: string;
  /** The configured mode; a dry run in enforce mode is still `dryRun`. */
  readonly mode: 'enforce' | 'audit';
  readonly dryRun: boolean;
  /** The input was refused: no entries, and the views say why and what arrived. */
  readonly refusal?: Refusal;
  /** What the operator should know about how the run chose its accounts. */
  readonly warnings?: readonly RunWarning[];
  /** SHA-256 of the effective configuration (configHash): which configuration this run enforced. */
  readonly configHash: string;
  /** The managed types, in report order. */
  readonly types: readonly ContactType[];
  /** Accounts in scope, planned accounts the report cannot name included. */
  readonly accounts: number;
  /** Each account in exactly one of these, worst first: FAILED, else a change applied, else one not applied, else compliant. */
  readonly accountsFailed: number;
  readonly accountsChanged: number;
  readonly accountsDrifted: number;
  readonly accountsCompliant: number;
  /** Accounts in the organization left out by exclusions: never called, so not entries. */
  readonly excluded: number;
  /** Per managed type with at least one entry. */
  readonly counts: Partial<Record<ContactType, TypeCounts>>;
  readonly totals: TypeCounts;
  /** With a guardrail configured: the types it locks, the accounts it binds of all, and every guarded account that drifted. */
  readonly guardrail?: { readonly lockedTypes: readonly ContactType[]; readonly guarded: number; readonly accounts: number; readonly drifted: readonly GuardedDrift[] };
  /** OU id → name for the OUs above the accounts; an OU missing here shows by its id. */
  readonly ouNames: Readonly<Record<string, string>>;
  /** Why some OU names are missing; absent when every name was read. */
  readonly ouNamesNote?: string;
}

/** A failure with where its account sits. */
export type PlacedFailure = ReportFailure & { readonly ouPath: readonly string[] };

export interface ReportModel {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly run: RunSummary;
  /** Ordered by OU path, then account name and id; managed types in report order. */
  readonly entries: readonly ReportEntry[];
  /** Every change and every failure, in the order the results were read. */
  readonly changes: readonly ReportChange[];
  readonly failures: readonly PlacedFailure[];
  /** Accounts found but not reconciled (at most 100 listed), and how many in all. */
  readonly skippedAccounts: readonly SkippedAccount[];
  readonly skippedCount: number;
  /** What the run could not read or write in its own tables; absent when nothing was lost. */
  readonly bookkeepingErrors?: readonly string[];
}

export interface ReportModelInput {
  readonly records: RunRecords;
  /** The managed types (the configuration's `contacts` keys). */
  readonly types: readonly ContactType[];
  readonly reportedAt: string;
  readonly mode: RunSummary['mode'];
  readonly configHash: string;
}

const emptyCounts = (): TypeCounts => ({ assigned: 0, updated: 0, deleted: 0, unchanged: 0, skipped: 0, failed: 0 });
export const countKey = (outcome: Outcome) => outcome.toLowerCase() as Lowercase<Outcome>;

type TypeOutcome = NonNullable<AccountResult['types'][ContactType]>;

// What a write would have done, for a change a dry run or audit mode found and left alone.
const NOT_APPLIED: Record<string, string> = {
  ASSIGNED: 'no contact set; a write would assign it',
  UPDATED: 'differs; a write would update it',
  DELETED: 'set while the policy is delete; a write would delete it',
};

function outcomeOf(typeOutcome: TypeOutcome): Pick<ReportEntry, 'outcome' | 'applied' | 'fields' | 'reason'> {
  const outcome = OUTCOME_OF[typeOutcome.action];
  const fields = typeOutcome.fields ?? [];
  if (isChange(outcome)) return typeOutcome.applied ? { outcome, applied: true, fields } : { outcome, applied: false, fields, reason: NOT_APPLIED[outcome] };
  if (outcome === 'SKIPPED' || outcome === 'FAILED') return { outcome, fields, reason: typeOutcome.reason ?? outcome.toLowerCase() };
  return { outcome, fields };
}

/** The entry of one managed type; a type the account's resolved policy ignores is SKIPPED, never read. */
function entryOf(result: AccountResult, type: ContactType): ReportEntry {
  const { accountId, accountName, ouPath } = result;
  const base = { accountId, accountName, ouPath, type, source: result.sources[type] ?? { layer: 'default' as const } };
  const typeOutcome = result.types[type];
  const outcome: Pick<ReportEntry, 'outcome' | 'applied' | 'fields' | 'reason'> = typeOutcome
    ? outcomeOf(typeOutcome)
    : result.error
      ? { outcome: 'FAILED', fields: [], reason: result.error }
      : { outcome: 'SKIPPED', fields: [], reason: 'policy ignore: never read' };
  return { ...base, ...outcome, ...(result.guarded !== undefined && { guarded: result.guarded }) };
}

type AccountStatus = 'accountsCompliant' | 'accountsDrifted' | 'accountsChanged' | 'accountsFailed';

function accountStatus(result: AccountResult, entries: readonly ReportEntry[]): AccountStatus {
  if (result.status === 'FAILED') return 'accountsFailed';
  if (entries.some((entry) => entry.applied === true)) return 'accountsChanged';
  return entries.some((entry) => entry.applied === false) ? 'accountsDrifted' : 'accountsCompliant';
}

/** Every change and failure of one result: a failed account once, with its error; else each failed type. */
function listsOf(result: AccountResult): { changes: ReportChange[]; failures: PlacedFailure[] } {
  const { accountId, accountName, ouPath } = result;
  const changes: ReportChange[] = [];
  const failures: PlacedFailure[] = result.error ? [{ accountId, accountName, ouPath, reason: result.error }] : [];
  for (const type of CONTACT_TYPES) {
    const typeOutcome = result.types[type];
    if (!typeOutcome) continue;
    const outcome = OUTCOME_OF[typeOutcome.action];
    if (isChange(outcome)) changes.push({ accountId, accountName, type, outcome, applied: typeOutcome.applied, ...(typeOutcome.fields && { fields: typeOutcome.fields }) });
    else if (outcome === 'FAILED' && !result.error) failures.push({ accountId, accountName, ouPath, type, reason: typeOutcome.reason ?? 'failed' });
  }
  return { changes, failures };
}

/** Every guarded account whose locked types differed (a write was due), with those types. */
function guardedDrift(results: readonly AccountResult[], lockedTypes: readonly ContactType[]): GuardedDrift[] {
  return results.filter((result) => result.guarded).flatMap(({ accountId, accountName, ouPath, types }) => {
    const differing = lockedTypes.filter((type) => {
      const action = types[type]?.action;
      return action !== undefined && isChange(OUTCOME_OF[action]);
    });
    return differing.length > 0 ? [{ accountId, accountName, ouPath, types: differing }] : [];
  });
}

const byOuThenAccount = (names: Readonly<Record<string, string>>) => (a: AccountResult, b: AccountResult) => {
  const path = (result: AccountResult) => result.ouPath.map((ouId) => names[ouId] ?? ouId).join('/');
  return path(a).localeCompare(path(b)) || a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId);
};

export function buildReportModel({ records, types, reportedAt, mode, configHash }: ReportModelInput): ReportModel {
  const { plan, work, refusal, lockedTypes, ouNames = { names: {} } } = records;
  const results = everyResult(records);
  const unnamed = unnamedAccounts(records, results.length);
  const ordered = CONTACT_TYPES.filter((type) => types.includes(type));
  const statuses: Record<AccountStatus, number> = { accountsFailed: unnamed, accountsChanged: 0, accountsDrifted: 0, accountsCompliant: 0 };
  const entries = [...results].sort(byOuThenAccount(ouNames.names)).flatMap((result) => {
    const own = ordered.map((type) => entryOf(result, type));
    statuses[accountStatus(result, own)]++;
    return own;
  });
  const counts: Partial<Record<ContactType, TypeCounts>> = {};
  const totals = emptyCounts();
  for (const entry of entries) {
    (counts[entry.type] ??= emptyCounts())[countKey(entry.outcome)]++;
    totals[countKey(entry.outcome)]++;
  }
  const lists = results.map(listsOf);
  const skippedAccounts = work.skippedAccounts ?? [];
  const bookkeepingErrors = records.bookkeepingErrors ?? [];
  const note = ouNamesNote(ouNames);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    run: {
      runId: plan.runId,
      trigger: plan.trigger,
      reportedAt,
      mode,
      dryRun: plan.dryRun,
      ...(refusal && { refusal }),
      ...(work.warnings && { warnings: work.warnings }),
      configHash,
      types: ordered,
      accounts: results.length + unnamed,
      ...statuses,
      excluded: work.excludedCount,
      counts,
      totals,
      ...(lockedTypes && {
        guardrail: { lockedTypes, guarded: results.filter((result) => result.guarded).length, accounts: results.length, drifted: guardedDrift(results, lockedTypes) },
      }),
      ouNames: ouNames.names,
      ...(note && { ouNamesNote: note }),
    },
    entries,
    changes: lists.flatMap((list) => list.changes),
    failures: lists.flatMap((list) => list.failures),
    skippedAccounts,
    skippedCount: work.skippedCount ?? skippedAccounts.length,
    ...(bookkeepingErrors.length > 0 && {
      bookkeepingErrors: [...bookkeepingErrors, ...(unnamed > 0 ? [`${unnamed} planned accounts cannot be named: each is counted FAILED`] : [])],
    }),
  };
}
