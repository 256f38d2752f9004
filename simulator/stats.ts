/** Call statistics, so tests can assert what was (and was not) called. */
export interface SimStats {
  /** Requests per operation, named as IAM names the action (`account:PutAlternateContact`); failed and throttled ones included. */
  readonly calls: Record<string, number>;
  /** Requests per calling account. */
  readonly byCaller: Record<string, number>;
  /** Requests per account acted on (AccountId, ChildId, an assumed role's account, or the caller in standalone context), per operation. */
  readonly byTarget: Record<string, Record<string, number>>;
  /** Account API requests in standalone context (no AccountId), per account acted on: how each account was reached. */
  readonly standalone: Record<string, number>;
  /** Requests refused with TooManyRequestsException, per operation. */
  readonly throttled: Record<string, number>;
  /** Error responses per error code, throttles included. */
  readonly errors: Record<string, number>;
  /** Requests per operation that the quota let through and the service answered, with success or an error. */
  readonly served: Record<string, number>;
  /**
   * Successful requests per operation that repeat an earlier successful one (same caller, target and input): for a
   * write, a redundant write; for a read, a re-read.
   */
  readonly repeated: Record<string, number>;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class StatsRecorder {
  private stats: SimStats = StatsRecorder.empty();
  private readonly succeededRequests = new Set<string>();

  private static empty(): SimStats {
    return { calls: {}, byCaller: {}, byTarget: {}, standalone: {}, throttled: {}, errors: {}, served: {}, repeated: {} };
  }

  call(operation: string, caller: string | undefined, target: string | undefined): void {
    increment(this.stats.calls, operation);
    if (caller) increment(this.stats.byCaller, caller);
    if (target) increment((this.stats.byTarget[target] ??= {}), operation);
  }

  standalone(target: string): void {
    increment(this.stats.standalone, target);
  }

  throttled(operation: string): void {
    increment(this.stats.throttled, operation);
  }

  served(operation: string): void {
    increment(this.stats.served, operation);
  }

  /** `request` identifies the request's caller, target and input. */
  succeeded(operation: string, request: string): void {
    const key = `${operation} ${request}`;
    if (this.succeededRequests.has(key)) increment(this.stats.repeated, operation);
    this.succeededRequests.add(key);
  }

  error(code: string): void {
    increment(this.stats.errors, code);
  }

  snapshot(): SimStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty();
    this.succeededRequests.clear();
  }
}
