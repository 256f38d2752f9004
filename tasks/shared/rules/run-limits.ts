import { ACCOUNT_API_QUOTAS } from './pacing.ts';

/**
 * How long a run may last, and so how long its claim must hold. One place for both: the state machine's
 * TimeoutSeconds (statemachine/enforcer.asl.json, kept equal by test/infra/run-limits.test.ts), the claim's lifetime
 * (run-claim.ts) and the local engine's limits all read from here.
 */

/** The largest organization the enforcer is built and measured for (README, "Measured scale"). */
export const MAX_ORGANIZATION_ACCOUNTS = 10_000;

// A first run at the quota floor: every account needs 3 Gets (10/s, so 3N/10 s) and, in the worst case, 3 Puts
// (5/s, so 3N/5 s); the Puts set the floor. https://docs.aws.amazon.com/accounts/latest/reference/quotas.html
const TYPES = 3;
const FIRST_RUN_FLOOR_SECONDS = Math.max(
  (MAX_ORGANIZATION_ACCOUNTS * TYPES) / ACCOUNT_API_QUOTAS.GetAlternateContact.perSecond,
  (MAX_ORGANIZATION_ACCOUNTS * TYPES) / ACCOUNT_API_QUOTAS.PutAlternateContact.perSecond,
);

/**
 * The parent execution's TimeoutSeconds: twice the floor of a first run of the largest organization (the bench
 * measured 1.03 × the floor at 10,000 accounts), so a throttling storm still finishes, and a stuck run ends
 * (ExecutionsTimedOut alarm) within hours instead of living a year, Standard's own limit.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const RUN_TIMEOUT_SECONDS = 2 * FIRST_RUN_FLOOR_SECONDS;

/**
 * A claim outlives any run that holds it, so no duplicate delivery starts a second run while the first goes on; and
 * an hour more, so a delivery shortly after the run ended (Control Tower's second event, about 20 minutes after the
 * first) is still a duplicate. A run that dies releases its claim at once (release-claim.ts).
 */
export const CLAIM_SECONDS = RUN_TIMEOUT_SECONDS + 60 * 60;

/** A state's input or output, and an execution's input, is at most 256 KiB. https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;

/** An Express child execution (one chunk) lasts at most 5 minutes. https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html */
export const EXPRESS_EXECUTION_SECONDS = 5 * 60;
