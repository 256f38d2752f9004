import { join } from 'node:path';
import { expect } from 'vitest';
import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import type { Contact, ContactType } from '#shared/rules/contacts';
import type { Report } from '#shared/rules/model';
import { startLocalEnforcer, type LocalEnforcer } from '../../local-run/enforcer.ts';
import type { AslDefinition, TaskCall } from '../../local-run/engine.ts';
import { MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from '../../local-run/scenario.ts';
import type { SimState } from '../../simulator/index.ts';

export const EXAMPLE_CONFIG = loadConfig(join(import.meta.dirname, '../../config/alternate-contacts.yaml'));

export interface HarnessOptions {
  readonly organization: SimState;
  readonly topology?: 'single' | 'delegated';
  readonly config?: EnforcerConfig;
  readonly quotaScale?: number;
  readonly speedup?: number;
  readonly onTask?: (call: TaskCall) => void;
  readonly definition?: AslDefinition;
  readonly loseOutput?: (state: string) => boolean;
  /** A file that runs into a limit on purpose shortens the wait past it. @default the engine's */
  readonly stallAllowanceRealMs?: number;
}

/** The whole product in-process: local engine + real tasks + simulator + dynalite, in memory. */
/**
 * The stall allowance of a file that reaches a limit on purpose: its quick tasks stay far inside a second and a half of
 * this machine's time, and the wait past each limit it reaches is that much shorter than the engine's default.
 */
export const LIMIT_ALLOWANCE_REAL_MS = 1_500;

export async function startHarness(options: HarnessOptions): Promise<LocalEnforcer> {
  return startLocalEnforcer({
    config: options.config ?? EXAMPLE_CONFIG,
    target: 'simulator',
    organization: options.organization,
    enforcerAccountId: options.topology === 'delegated' ? SECURITY_ACCOUNT_ID : MANAGEMENT_ACCOUNT_ID,
    speedup: options.speedup ?? 200,
    quotaScale: options.quotaScale,
    latencyMs: 1,
    logLevel: 'ERROR',
    onTask: options.onTask,
    definition: options.definition,
    loseOutput: options.loseOutput,
    stallAllowanceRealMs: options.stallAllowanceRealMs,
  });
}

/** Runs one execution and returns its report; fails the test when the execution failed or reported nothing. */
export async function reconcile(enforcer: LocalEnforcer, input: unknown = {}): Promise<Report> {
  const execution = await enforcer.run(input);
  if (execution.status !== 'SUCCEEDED') throw new Error(`execution failed: ${JSON.stringify(execution.error)}`);
  return execution.output as Report;
}

/** Calls of one IAM action the simulator served, in total or on one account. */
export function calls(enforcer: LocalEnforcer, action: string, accountId?: string): number {
  const stats = enforcer.simulator!.stats();
  return accountId ? (stats.byTarget[accountId]?.[action] ?? 0) : (stats.calls[action] ?? 0);
}

export function contactOf(enforcer: LocalEnforcer, accountId: string, type: ContactType) {
  return enforcer.simulator!.state.accounts.find((account) => account.id === accountId)?.contacts[type];
}

/** Serves a fresh organization and forgets every earlier run, so one harness serves several scenarios. */
export async function serve(enforcer: LocalEnforcer, organization: SimState): Promise<void> {
  Object.assign(enforcer.simulator!.state, structuredClone(organization));
  enforcer.simulator!.resetStats();
  await enforcer.forgetHistory();
}

/** Equal as AWS contacts go: surrounding whitespace and the e-mail's case do not count. */
export function sameContact(a: Contact | undefined, b: Contact | undefined): boolean {
  const norm = (c: Contact | undefined) => c && { name: c.name.trim(), title: c.title.trim(), email: c.email.trim().toLowerCase(), phone: c.phone.trim() };
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** The account answers AccessDenied, as a just-created one does, for the next `ms` of simulated time. */
export function notReadyFor(enforcer: LocalEnforcer, accountId: string, ms: number): void {
  const account = enforcer.simulator!.state.accounts.find((a) => a.id === accountId)!;
  account.joinedAt = new Date().toISOString();
  account.readyAt = new Date(enforcer.simulator!.simulatedNow() + ms).toISOString();
}

/** Asserts the account was reached through the Account API, and only in standalone context (never with AccountId). */
export function expectOnlyStandaloneCalls(enforcer: LocalEnforcer, accountId: string): void {
  const stats = enforcer.simulator!.stats();
  const all = Object.entries(stats.byTarget[accountId] ?? {}).reduce((sum, [action, count]) => sum + (action.startsWith('account:') ? count : 0), 0);
  expect(all, `Account API calls on ${accountId}`).toBeGreaterThan(0);
  expect(stats.standalone[accountId] ?? 0, `standalone calls on ${accountId}`).toBe(all);
}
