/**
 * How a run shares the Account API's quota. The quota is counted per caller account, so every Express child and every
 * Lambda container of a run draws from the same buckets. Three mechanisms, each one a local rule that holds however
 * many containers run at once:
 * - few accounts in flight (maxConcurrencyFor): the parallel calls of the accounts in flight fit in every burst;
 * - one adaptive SDK client per operation (account-api.ts): each client slows down on its first throttle and probes
 *   back up, so containers share a bucket without talking to each other, and a Put throttle never slows the Gets;
 * - a call that already succeeded is never repeated (account-api.ts perType): the retries are per contact type.
 */

/** Documented rate and burst per caller account. https://docs.aws.amazon.com/accounts/latest/reference/quotas.html */
export const ACCOUNT_API_QUOTAS = {
  GetAlternateContact: { perSecond: 10, burst: 15 },
  PutAlternateContact: { perSecond: 5, burst: 8 },
  DeleteAlternateContact: { perSecond: 1, burst: 6 },
} as const satisfies Record<string, { perSecond: number; burst: number }>;

export type AccountOperation = keyof typeof ACCOUNT_API_QUOTAS;

/**
 * Accounts reconciled at once (the Distributed Map's MaxConcurrency). Each account in flight sends one call per managed
 * type at once, so accounts in flight × types stays within the smallest burst of the operations a run uses; the
 * refill rates then set the pace, kept by the adaptive clients.
 */
export function maxConcurrencyFor(managedTypes: number, operations: readonly AccountOperation[], configured?: number): number {
  if (configured !== undefined) return configured;
  const smallestBurst = Math.min(...operations.map((operation) => ACCOUNT_API_QUOTAS[operation].burst));
  return Math.max(1, Math.floor(smallestBurst / Math.max(1, managedTypes)));
}
