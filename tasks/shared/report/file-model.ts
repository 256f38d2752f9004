import { CONTACT_TYPES, type ContactType, type DesiredSource } from '../rules/contacts.ts';
import type { AccountResult, GuardedDrift, Refusal, RunWarning, Trigger } from '../rules/model.ts';
import { guardedDrift } from './report.ts';

/**
 * The compliance record of one run: one entry per account in scope and managed type, never capped, and never a
 * contact's values (AWS marks all four fields sensitive). The JSON, CSV and HTML files are views of this model.
 */

/** What a run did, or found, for one account and type. */
export const OUTCOMES = ['COMPLIANT', 'ASSIGNED', 'UPDATED', 'DELETED', 'DRIFT', 'SKIPPED', 'FAILED'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportEntry {
  readonly accountId: string;
  readonly accountName: string;
  /** OU ids from the root down; empty for an account directly under the root. */
  readonly ouPath: readonly string[];
  readonly type: ContactType;
  readonly source: DesiredSource;
  readonly outcome: Outcome;
  /** The fields that differed from the desired contact (UPDATED, DRIFT, SKIPPED under fill-missing). */
  readonly fields: readonly string[];
  /** Why: for SKIPPED and FAILED always, for DRIFT what would be written. */
  readonly reason?: string;
  /** With a guardrail configured: whether its SCP binds the account. */
  readonly guarded?: boolean;
}

export type OutcomeCounts = Record<Outcome, number>;

export interface RunSummary {
  readonly runId: string;
  readonly trigger: Trigger;
  /** When the report was made (ISO 8601, UTC): the end of the run. */
  readonly reportedAt: string;
  /** The configured mode; a dry run in enforce mode is still `dryRun`. */
  readonly mode: 'enforce' | 'audit';
  readonly dryRun: boolean;
  /** The input was refused: no entries, and the files say why and what arrived. */
  readonly refusal?: Refusal;
  /** What the operator should know about how the run chose its accounts (report.json and report.html). */
  readonly warnings?: readonly RunWarning[];
  /** SHA-256 of the effective configuration (configHash): which configuration this run enforced. */
  readonly configHash: string;
  /** The managed types, in report order. */
  readonly types: readonly ContactType[];
  readonly accounts: number;
  /** Each account in exactly one of these, worst first: any FAILED, else any change, else any DRIFT, else compliant. */
  readonly accountsFailed: number;
  readonly accountsChanged: number;
  readonly accountsDrifted: number;
  readonly accountsCompliant: number;
  /** Accounts in the organization left out by exclusions: never called, so not entries. */
  readonly excluded: number;
  readonly counts: Partial<Record<ContactType, OutcomeCounts>>;
  readonly totals: OutcomeCounts;
  /** With a guardrail configured: the types it locks, the accounts it binds of all, and every guarded account that drifted. */
  readonly guardrail?: { readonly lockedTypes: readonly ContactType[]; readonly guarded: number; readonly accounts: number; readonly drifted: readonly GuardedDrift[] };
}

export interface ComplianceReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly run: RunSummary;
  readonly entries: readonly ReportEntry[];
}

export interface ComplianceInput {
  readonly run: Pick<RunSummary, 'runId' | 'trigger' | 'reportedAt' | 'mode' | 'dryRun' | 'refusal' | 'warnings' | 'configHash' | 'excluded'>;
  /** The managed types (the configuration's `contacts` keys). */
  readonly types: readonly ContactType[];
  /** Every account's result, accounts without a recorded result included (report.ts, everyResult). */
  readonly results: readonly AccountResult[];
  /** The types the configured guardrail locks; absent without a guardrail. */
  readonly lockedTypes?: readonly ContactType[];
}

export const emptyCounts = (): OutcomeCounts => ({ COMPLIANT: 0, ASSIGNED: 0, UPDATED: 0, DELETED: 0, DRIFT: 0, SKIPPED: 0, FAILED: 0 });

type TypeOutcome = AccountResult['types'][ContactType];

function outcomeOf(outcome: NonNullable<TypeOutcome>): Pick<ReportEntry, 'outcome' | 'fields' | 'reason'> {
  const fields = outcome.fields ?? [];
  switch (outcome.action) {
    case 'UNCHANGED':
      return { outcome: 'COMPLIANT', fields };
    case 'ASSIGN':
      return outcome.applied ? { outcome: 'ASSIGNED', fields } : { outcome: 'DRIFT', fields, reason: 'no contact set; a write would assign it' };
    case 'UPDATE':
      return outcome.applied ? { outcome: 'UPDATED', fields } : { outcome: 'DRIFT', fields, reason: 'differs; a write would update it' };
    case 'DELETE':
      return outcome.applied ? { outcome: 'DELETED', fields } : { outcome: 'DRIFT', fields, reason: 'set while the policy is delete; a write would delete it' };
    case 'SKIP':
      return { outcome: 'SKIPPED', fields, reason: outcome.reason ?? 'skipped' };
    case 'FAILED':
      return { outcome: 'FAILED', fields, reason: outcome.reason ?? 'failed' };
  }
}

/** The entry of one managed type, with the account's guardrail coverage when a guardrail is configured. */
function entryOf(result: AccountResult, type: ContactType): ReportEntry {
  return { ...typeEntryOf(result, type), ...(result.guarded !== undefined && { guarded: result.guarded }) };
}

/** The entry's outcome; a type the account's resolved policy ignores is SKIPPED, never read. */
function typeEntryOf(result: AccountResult, type: ContactType): ReportEntry {
  const { accountId, accountName, ouPath } = result;
  const source = result.sources[type] ?? { layer: 'default' };
  const outcome = result.types[type];
  if (outcome) return { accountId, accountName, ouPath, type, source, ...outcomeOf(outcome) };
  if (result.error) return { accountId, accountName, ouPath, type, source, outcome: 'FAILED', fields: [], reason: result.error };
  return { accountId, accountName, ouPath, type, source, outcome: 'SKIPPED', fields: [], reason: 'policy ignore: never read' };
}

type AccountStatus = 'compliant' | 'drift' | 'changed' | 'failed';
const STATUS_RANK: readonly AccountStatus[] = ['compliant', 'drift', 'changed', 'failed'];
const STATUS_OF: Record<Outcome, AccountStatus> = {
  COMPLIANT: 'compliant',
  SKIPPED: 'compliant',
  DRIFT: 'drift',
  ASSIGNED: 'changed',
  UPDATED: 'changed',
  DELETED: 'changed',
  FAILED: 'failed',
};

const byOuThenAccount = (a: AccountResult, b: AccountResult) =>
  a.ouPath.join('/').localeCompare(b.ouPath.join('/')) || a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId);

export function buildComplianceReport({ run, types, results, lockedTypes }: ComplianceInput): ComplianceReport {
  const ordered = CONTACT_TYPES.filter((type) => types.includes(type));
  const entries = [...results].sort(byOuThenAccount).flatMap((result) => ordered.map((type) => entryOf(result, type)));
  const counts: Partial<Record<ContactType, OutcomeCounts>> = Object.fromEntries(ordered.map((type) => [type, emptyCounts()]));
  const totals = emptyCounts();
  for (const entry of entries) {
    counts[entry.type]![entry.outcome]++;
    totals[entry.outcome]++;
  }
  const accountStatus = new Map<string, AccountStatus>();
  for (const entry of entries) {
    const now = accountStatus.get(entry.accountId) ?? 'compliant';
    const next = STATUS_OF[entry.outcome];
    accountStatus.set(entry.accountId, STATUS_RANK.indexOf(next) > STATUS_RANK.indexOf(now) ? next : now);
  }
  const accountsIn = (status: AccountStatus) => [...accountStatus.values()].filter((s) => s === status).length;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    run: {
      ...run,
      types: ordered,
      accounts: results.length,
      accountsFailed: accountsIn('failed'),
      accountsChanged: accountsIn('changed'),
      accountsDrifted: accountsIn('drift'),
      accountsCompliant: accountsIn('compliant'),
      counts,
      totals,
      ...(lockedTypes && {
        guardrail: { lockedTypes, guarded: results.filter((result) => result.guarded).length, accounts: results.length, drifted: guardedDrift(results, lockedTypes) },
      }),
    },
    entries,
  };
}

/** How a source reads in the CSV and the page: `default`, `ou:ou-ab12-cd34ef56`, `account`. */
export function sourceLabel(source: DesiredSource): string {
  return source.layer === 'ou' ? `ou:${source.id}` : source.layer;
}

/** The OU path as the page groups it: `Root / ou-… / ou-…`. */
export const ouLabel = (ouPath: readonly string[]): string => ['Root', ...ouPath].join(' / ');
