/** One line of the preflight's report. */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIPPED';

export interface CheckResult {
  readonly id: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** FAIL: the exact command or setting that fixes it. */
  readonly fix?: string;
}

export const pass = (id: string, detail: string): CheckResult => ({ id, status: 'PASS', detail });
export const fail = (id: string, detail: string, fix: string): CheckResult => ({ id, status: 'FAIL', detail, fix });
export const warn = (id: string, detail: string): CheckResult => ({ id, status: 'WARN', detail });
export const skipped = (id: string, detail: string): CheckResult => ({ id, status: 'SKIPPED', detail });

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
