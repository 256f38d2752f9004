import type { Context } from 'aws-lambda';
import { type AccountTags, deletableTypes, isExcluded, loadConfig, resolveDesired, resolveSources } from '#shared/rules/config';
import { ENV, requiredEnv } from '#shared/aws/env';
import { ACCOUNT_JOINED_EVENT_NAME, accountsJoinedIn, joinedSearchWarning } from '#shared/events/triggers/account-joined';
import { isGuarded } from '#shared/rules/guardrail';
import type { CallContext, JoinedAccountSearch, RunPlan, RunWarning, SkippedAccount, TargetAccount, WorkList } from '#shared/rules/model';
import { describeAccounts, includedWithTags, listOrganizationAccounts, managementAccountId, type OrganizationAccount, OuNameBook } from '#shared/aws/organization';
import { type AccountOperation, maxConcurrencyFor } from '#shared/rules/pacing';
import { logger } from '#shared/aws/powertools';
import { writeChunks, writeOuNames } from '#shared/aws/run-table';

const config = loadConfig(requiredEnv(ENV.CONFIG_FILE));
const enforcerAccountId = requiredEnv(ENV.ENFORCER_ACCOUNT_ID);

const CHUNK_SIZE = 10;
// An account that joined within the hour may still answer AccessDenied while AWS finishes setting it up.
const RECENTLY_JOINED_MS = 60 * 60_000;
const operations: AccountOperation[] = ['GetAlternateContact', 'PutAlternateContact', ...(deletableTypes(config).length > 0 ? ['DeleteAlternateContact' as const] : [])];
const maxConcurrency = maxConcurrencyFor(Object.keys(config.contacts).length, operations, config.maxConcurrency);

/** The management account cannot name itself in AccountId and the enforcer's own account needs no AccountId. */
function callContext(accountId: string, managementId: string): CallContext {
  if (accountId === enforcerAccountId) return 'self';
  if (accountId === managementId) return 'management';
  return 'organization';
}

function toTarget(account: OrganizationAccount, tags: AccountTags, managementId: string, now: number): TargetAccount {
  return {
    id: account.id,
    name: account.name,
    context: callContext(account.id, managementId),
    desired: resolveDesired(config, account.id, account.ouPath, tags),
    recentlyJoined: account.joinedAt !== undefined && now - account.joinedAt.getTime() < RECENTLY_JOINED_MS,
    ouPath: account.ouPath,
    sources: resolveSources(config, account.id, account.ouPath, tags),
    ...(config.guardrail && { guarded: isGuarded(config.guardrail, account, managementId) }),
  };
}

/**
 * Chunks of 10, except that each recently joined account gets a chunk of its own: its not-ready retries may use
 * most of the 5 minutes an Express child execution has, and must not push the accounts after it past that limit.
 */
function chunked(targets: readonly TargetAccount[]): TargetAccount[][] {
  const settled = targets.filter((target) => !target.recentlyJoined);
  const chunks = targets.filter((target) => target.recentlyJoined).map((target) => [target]);
  for (let start = 0; start < settled.length; start += CHUNK_SIZE) chunks.push(settled.slice(start, start + CHUNK_SIZE));
  return chunks;
}

// The state payload carries at most this many skipped accounts; the count covers them all.
const MAX_SKIPPED_LISTED = 100;

/**
 * Only ACTIVE accounts can be reconciled; any other state is reported with the account, never dropped silently.
 * SUSPENDED, PENDING_CLOSURE and CLOSED accounts are never called: the Account API cannot change them.
 */
const skippedFor = (account: OrganizationAccount): SkippedAccount => ({
  accountId: account.id,
  accountName: account.name,
  reason:
    account.state === PENDING_ACTIVATION
      ? 'account is PENDING_ACTIVATION: not ready yet (sign-up not finished); its next event or the nightly run reconciles it'
      : `account is ${account.state}, not ACTIVE`,
});

// An account whose sign-up is not finished. A run started by its creation waits for it, within this budget and the
// function's own time: sign-up usually completes in minutes.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html
const PENDING_ACTIVATION = 'PENDING_ACTIVATION';
const ACTIVATION_WAIT = { budgetMs: 5 * 60_000, firstPauseMs: 5_000, maxPauseMs: 30_000, returnMarginMs: 60_000 };

/**
 * The named accounts again, after waiting for those still PENDING_ACTIVATION to become ACTIVE (DescribeAccount, with
 * backoff). Only a run for named accounts waits: a whole-organization run leaves a pending account to the next one.
 */
async function awaitActivation(found: OrganizationAccount[], remainingMs: () => number, book: OuNameBook): Promise<OrganizationAccount[]> {
  const deadline = Date.now() + Math.min(ACTIVATION_WAIT.budgetMs, remainingMs() - ACTIVATION_WAIT.returnMarginMs);
  let accounts = found;
  for (let pause = ACTIVATION_WAIT.firstPauseMs; ; pause = Math.min(pause * 2, ACTIVATION_WAIT.maxPauseMs)) {
    const pending = accounts.filter((account) => account.state === PENDING_ACTIVATION);
    if (pending.length === 0 || Date.now() + pause > deadline) return accounts;
    // The global timer: a local run scales it with its simulated clock (simulator/clock.ts).
    await new Promise((resolve) => setTimeout(resolve, pause));
    const again = new Map((await describeAccounts(pending.map((account) => account.id), book)).map((account) => [account.id, account]));
    accounts = accounts.map((account) => again.get(account.id) ?? account);
  }
}

/**
 * The accounts that joined in a search's window, found in one organization listing (its accounts carry
 * JoinedTimestamp, as a nightly run's do), and the warning that says so.
 */
async function joinedAccounts(search: JoinedAccountSearch, managementId: string, book: OuNameBook): Promise<{ accounts: OrganizationAccount[]; warning: RunWarning }> {
  const { found, beyondLimit } = accountsJoinedIn(await listOrganizationAccounts(book), search, managementId);
  logger.info(`${ACCOUNT_JOINED_EVENT_NAME} without its account id: reconciling the accounts that joined in the window`, { ...search, found: found.map((account) => account.id), beyondLimit });
  return { accounts: found, warning: joinedSearchWarning(search, found, beyondLimit) };
}

export const handler = async ({ plan }: { plan: RunPlan }, context: Context): Promise<WorkList> => {
  logger.addContext(context);
  const managementId = await managementAccountId();
  const remainingMs = () => context.getRemainingTimeInMillis();
  // The report names OUs, not only their ids: the names are read here, once per run, and wait in the run table.
  const ouNames = new OuNameBook();
  const searched = plan.joinedSearch && (await joinedAccounts(plan.joinedSearch, managementId, ouNames));
  const found = searched
    ? await awaitActivation(searched.accounts, remainingMs, ouNames)
    : plan.accountIds
      ? await awaitActivation(await describeAccounts(plan.accountIds, ouNames), remainingMs, ouNames)
      : await listOrganizationAccounts(ouNames);
  const active = found.filter((account) => account.state === 'ACTIVE');
  const included = await includedWithTags(config, active);
  const skipped = found.filter((account) => account.state !== 'ACTIVE' && !isExcluded(config, account.id, account.ouPath)).map(skippedFor);
  const notReady = found.filter((account) => account.state === PENDING_ACTIVATION && !isExcluded(config, account.id, account.ouPath)).length;
  const now = Date.now();
  const targets = included.map(({ account, tags }) => toTarget(account, tags, managementId, now));

  const chunks = chunked(targets);
  await writeChunks(plan.runId, chunks);
  await writeOuNames(plan.runId, ouNames.namesOf(targets.flatMap((target) => target.ouPath)));

  const excludedCount = active.length - included.length;
  logger.info('Accounts planned', { accounts: targets.length, excluded: excludedCount, skipped: skipped.length, chunks: chunks.length });
  return {
    runId: plan.runId,
    accountCount: targets.length,
    excludedCount,
    chunks: chunks.map((_, chunk) => chunk),
    maxConcurrency,
    ...(skipped.length > 0 && { skippedAccounts: skipped.slice(0, MAX_SKIPPED_LISTED), skippedCount: skipped.length }),
    ...(notReady > 0 && { notReadyCount: notReady }),
    ...(searched && { warnings: [searched.warning] }),
  };
};
