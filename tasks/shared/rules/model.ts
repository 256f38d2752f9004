import type { Contact, ContactType, DesiredContacts, DesiredSources } from './contacts.ts';

/**
 * The data contract between the tasks and statemachine/enforcer.asl.json.
 * Every shape here crosses a state boundary, so each is kept small: at 10,000 accounts the
 * parent execution only ever carries chunk numbers, never the accounts themselves.
 */

export type Trigger = 'control-tower' | 'organizations' | 'account-joined' | 'account-moved' | 'contact-changed' | 'tag-change' | 'schedule' | 'deploy' | 'manual';

/**
 * An input refused as malformed (MalformedInputError): why, and what arrived. Never the input itself, which may hold
 * anything, a contact's values among it; only the envelope's names, each a short string.
 */
export interface Refusal {
  /** The error's message: the field's path and the rule it breaks. */
  readonly message: string;
  readonly source?: string;
  readonly detailType?: string;
  /** The EventBridge event's `id`. */
  readonly eventId?: string;
  /** `detail.eventName` of a CloudTrail event. */
  readonly eventName?: string;
}

/**
 * An account-joined event whose account id is not where the parser assumes it: the run reconciles the accounts whose
 * Organizations JoinedTimestamp lies between `from` and `to` instead (tasks/shared/events/triggers/account-joined.ts).
 */
export interface JoinedAccountSearch {
  /** CloudTrail's eventID (else the EventBridge id), where it is a plain id: the warning names the event by it. */
  readonly eventId?: string;
  readonly joinedMethod: string;
  /** The event's `joinedTime`, which AWS documents: the run's claim (resolve-targets). */
  readonly joinedTime: string;
  /** The window around joinedTime, inclusive, ISO 8601. */
  readonly from: string;
  readonly to: string;
  /** The key names `serviceEventDetails` carried (never their values), so the operator can report the event's shape. */
  readonly detailKeys: readonly string[];
}

/**
 * Something the run did other than its input asked, that the operator should act on. The report says it once, in
 * every view, and the Report task counts it in the metric its code names (tasks/shared/aws/metrics.ts).
 */
export interface RunWarning {
  readonly code: 'JoinedAccountIdMissing';
  readonly message: string;
}

/** resolve-targets → the rest of the run. */
export interface RunPlan {
  /** REFUSED: the input is malformed; the run reports the refusal, then fails, and reaches no account. */
  readonly status: 'RUN' | 'SKIPPED' | 'REFUSED';
  /** The execution name: every record of this run is stored under it. */
  readonly runId: string;
  readonly trigger: Trigger;
  /** Why nothing runs (FAILED event state, duplicate delivery, ...). */
  readonly reason?: string;
  /** True for `{"dryRun": true}` and whenever the configured mode is audit. */
  readonly dryRun: boolean;
  /** Only these accounts; absent, with no joinedSearch either, means the whole organization. */
  readonly accountIds?: readonly string[];
  /** Only the accounts that joined in this window: list-accounts finds them. */
  readonly joinedSearch?: JoinedAccountSearch;
  /** The Powertools idempotency key that claimed this run; released by report when a new account could not finish. */
  readonly claimKey: string;
  /** Set when status is REFUSED. */
  readonly refusal?: Refusal;
}

/** True when the run covers every account of the organization, so its report files may replace latest/. */
export const coversWholeOrganization = (plan: RunPlan): boolean => !plan.accountIds && !plan.joinedSearch;

/** How an account is called. */
export type CallContext =
  /** A member account, called from the enforcer with AccountId (organization context). */
  | 'organization'
  /** The enforcer's own account: standalone context, no AccountId. */
  | 'self'
  /** The management account seen from a delegated administrator: standalone context through the management role. */
  | 'management';

/** One account to reconcile, as list-accounts stores it in a chunk. */
export interface TargetAccount {
  readonly id: string;
  readonly name: string;
  readonly context: CallContext;
  readonly desired: DesiredContacts;
  /**
   * Joined the organization within the last hour (Organizations JoinedTimestamp). Such an account may answer
   * AccessDenied for some minutes, which then means "not ready" (retryable), not a missing permission.
   */
  readonly recentlyJoined: boolean;
  /** The OU ids above the account, root first; for the report files (a few ids, so the payload stays small). */
  readonly ouPath: readonly string[];
  /** Which configuration layer set each managed type, ignored types included; for the report files. */
  readonly sources: DesiredSources;
  /** With a guardrail configured: whether its SCP binds the account (from the OU path). Absent without one. */
  readonly guarded?: boolean;
}

/**
 * An account the run found but left alone, and why: for example a SUSPENDED or PENDING_CLOSURE account, which
 * the Account API cannot change. Never an excluded account: excluding is the operator's own choice, counted apart.
 */
export interface SkippedAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly reason: string;
}

/** list-accounts → the Map. The accounts themselves wait in the run table, in chunks. */
export interface WorkList {
  readonly runId: string;
  readonly accountCount: number;
  readonly excludedCount: number;
  /** Chunk numbers 0..n-1; each Map item loads one chunk. */
  readonly chunks: readonly number[];
  /** Map concurrency, from the config or derived from the Account API quota. */
  readonly maxConcurrency: number;
  /** Accounts found but not reconciled, at most 100 of them (the state payload stays small); absent when none. */
  readonly skippedAccounts?: readonly SkippedAccount[];
  /** How many accounts were skipped in all, listed or not. */
  readonly skippedCount?: number;
  /** Of those, the accounts skipped as not ready yet (PENDING_ACTIVATION): a new account's claim is then released. */
  readonly notReadyCount?: number;
  /** What the operator should know about how the accounts were chosen; absent when nothing. */
  readonly warnings?: readonly RunWarning[];
}

/** The Map state's ItemSelector output: one child execution's input. */
export interface ChunkRef {
  readonly runId: string;
  readonly chunk: number;
  readonly dryRun: boolean;
}

/** Where get-contacts and put-contacts send their calls; set by the state machine's management-account branch. */
export interface CallTarget {
  /** Organization context: the member account's id. */
  readonly accountId?: string;
  /** Standalone context in another account: the role to assume (the management account from a delegated admin). */
  readonly roleArn?: string;
}

export type CurrentContact =
  | { readonly status: 'FOUND'; readonly contact: Contact }
  | { readonly status: 'MISSING' }
  | { readonly status: 'ERROR'; readonly error: string };
export type CurrentContacts = Partial<Record<ContactType, CurrentContact>>;

export type Action = 'ASSIGN' | 'UPDATE' | 'DELETE' | 'UNCHANGED' | 'SKIP' | 'FAILED';
/** The actions that call the Account API to change a contact: the ones put-contacts carries out. */
export const WRITE_ACTIONS = ['ASSIGN', 'UPDATE', 'DELETE'] as const satisfies readonly Action[];
export type WriteAction = (typeof WRITE_ACTIONS)[number];
export const isWrite = (action: Action): action is WriteAction => (WRITE_ACTIONS as readonly Action[]).includes(action);
export interface TypeComparison {
  readonly action: Action;
  /** The fields that differ, for UPDATE (and for SKIP under fill-missing). */
  readonly fields?: readonly (keyof Contact)[];
  readonly reason?: string;
}
export type Comparison = Partial<Record<ContactType, TypeComparison>>;

export interface ComparisonResult {
  readonly actions: Comparison;
  /** True when at least one type is ASSIGN, UPDATE or DELETE: the Choice state's test. */
  readonly pending: boolean;
}

export type WriteOutcome = { readonly status: 'WRITTEN' } | { readonly status: 'FAILED'; readonly error: string };
export type Writes = Partial<Record<ContactType, WriteOutcome>>;

/** One account's stored result, written by record-result. */
export interface AccountResult {
  readonly accountId: string;
  readonly accountName: string;
  readonly status: 'OK' | 'FAILED';
  readonly dryRun: boolean;
  /** Per type: the action, and whether it was applied. */
  readonly types: Partial<Record<ContactType, TypeComparison & { readonly applied: boolean }>>;
  /** Why the whole account failed (an error the state machine caught). */
  readonly error?: string;
  /** Carried from the TargetAccount for the report files. */
  readonly ouPath: readonly string[];
  readonly sources: DesiredSources;
  readonly guarded?: boolean;
}

/**
 * The report's one outcome vocabulary: what a run did, or in a dry run would do, for one account and type. Every view
 * (the text summary, Slack, the execution output, report.json, .csv and .html) speaks it; a dry run's writes are the
 * same words, not applied.
 */
export const OUTCOMES = ['UNCHANGED', 'ASSIGNED', 'UPDATED', 'DELETED', 'SKIPPED', 'FAILED'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** The outcomes that change a contact (or would, in a dry run). */
export const CHANGE_OUTCOMES = ['ASSIGNED', 'UPDATED', 'DELETED'] as const satisfies readonly Outcome[];
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];
export const isChange = (outcome: Outcome): outcome is ChangeOutcome => (CHANGE_OUTCOMES as readonly Outcome[]).includes(outcome);
/** The outcome of each comparison action. */
export const OUTCOME_OF: Record<Action, Outcome> = { ASSIGN: 'ASSIGNED', UPDATE: 'UPDATED', DELETE: 'DELETED', UNCHANGED: 'UNCHANGED', SKIP: 'SKIPPED', FAILED: 'FAILED' };

/** How many entries of a type (or of all types) had each outcome, keyed by the outcome in lower case. */
export type TypeCounts = Record<Lowercase<Outcome>, number>;

/** OU id → name for the OUs above the run's accounts: list-accounts reads them once per run, into the run table. */
export interface OuNames {
  readonly names: Readonly<Record<string, string>>;
  /** OUs whose name could not be read, and why: the report shows their ids alone. */
  readonly unread?: { readonly ouIds: readonly string[]; readonly error: string };
}

/** An account the guardrail binds whose locked contacts still differed: an edit it should have stopped. */
export interface GuardedDrift {
  readonly accountId: string;
  readonly accountName: string;
  readonly ouPath: readonly string[];
  readonly types: readonly ContactType[];
}

/** What the contact guardrail covered in a run; only when the configuration has one. */
export interface GuardrailCoverage {
  /** The types its SCP locks. */
  readonly lockedTypes: readonly ContactType[];
  /** Accounts of the run it binds, of `accounts` in all: "N of M accounts guarded". */
  readonly guarded: number;
  readonly accounts: number;
  /** Guarded accounts whose locked types were found to differ (at most 100 listed; `omitted` counts the rest). */
  readonly drifted: readonly GuardedDrift[];
  readonly omitted: number;
}

export type ReportFilesOutcome =
  /** `latest` is set when the run replaced latest/ (whole-organization runs only). */
  | { readonly status: 'STORED'; readonly location: string; readonly latest?: string; readonly consoleUrl: string }
  | { readonly status: 'SKIPPED' }
  | { readonly status: 'FAILED'; readonly error: string };

/** A contact the run changed, or would change in a dry run (`applied` false). */
export interface ReportChange {
  readonly accountId: string;
  readonly accountName: string;
  readonly type: ContactType;
  readonly outcome: ChangeOutcome;
  readonly fields?: readonly string[];
  readonly applied: boolean;
}

/** A failed account (no `type`: the account as a whole) or a failed type of an account. */
export interface ReportFailure {
  readonly accountId: string;
  readonly accountName: string;
  readonly type?: ContactType;
  readonly reason: string;
}

/**
 * The report's digest: the Report task's output, the run table's REPORT item and `npm start -- --report-json`'s file.
 * It is the report model (tasks/shared/report/model.ts) with its lists capped, so it stays under the state payload
 * limit; the text summary renders from it, so the CLI can print it from the execution output.
 */
export interface Report {
  readonly runId: string;
  readonly trigger: Trigger;
  readonly dryRun: boolean;
  /** Set when the input was refused: no account was read or written, and the execution fails after this report. */
  readonly refusal?: Refusal;
  /** Each said once, before the counts; absent when none. */
  readonly warnings?: readonly RunWarning[];
  readonly accountsProcessed: number;
  readonly accountsFailed: number;
  readonly excluded: number;
  /** Per managed type, over every account in scope; a type without accounts has no key. */
  readonly counts: Partial<Record<ContactType, TypeCounts>>;
  readonly changes: readonly ReportChange[];
  readonly failures: readonly ReportFailure[];
  /** Accounts found but not reconciled, each with its reason (a SUSPENDED or PENDING_CLOSURE account, ...). */
  readonly skippedAccounts: readonly SkippedAccount[];
  /** Entries beyond 100 per list, left out to stay under the state payload limit; all are in the run table. */
  readonly omitted: { readonly changes: number; readonly failures: number; readonly skippedAccounts: number };
  /** With a guardrail configured: how many accounts it binds, and which of them drifted anyway. */
  readonly guardrail?: GuardrailCoverage;
  /**
   * What the run could not read or write in its own tables (the run table, the claim table) even after retries, and
   * why; absent when nothing was lost. The report is then built from what could be read.
   */
  readonly bookkeepingErrors?: readonly string[];
  /** Where each account in `failures` sits (OU ids, root first), and the names of those OUs; absent when none. */
  readonly ouPaths?: Readonly<Record<string, readonly string[]>>;
  readonly ouNames?: Readonly<Record<string, string>>;
  /** Why some OU names are missing (the views show those OUs by id); absent when every name was read. */
  readonly ouNamesNote?: string;
  /** Where the run's report files are (report.json, report.csv, report.html), or why they are not there. */
  readonly files?: ReportFilesOutcome;
  readonly delivery: { readonly sns: 'SENT' | 'SKIPPED' | 'FAILED'; readonly slack: 'SENT' | 'SKIPPED' | 'FAILED'; readonly errors?: readonly string[] };
}
