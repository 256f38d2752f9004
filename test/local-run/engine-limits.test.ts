import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import type { TaskCall } from '../../local-run/engine.ts';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { EXAMPLE_CONFIG, LIMIT_ALLOWANCE_REAL_MS, reconcile, startHarness } from './harness.ts';

/**
 * The local engine holds the shipped definition to the limits AWS holds it to: each task's deployed function timeout
 * and the Express children's 5 minutes (each plus the engine's allowance for this machine's stalls).
 */

describe('the limits AWS enforces, in the local engine', () => {
  let enforcer: LocalEnforcer;
  /** The accounts of each chunk, as LoadChunk returned them. */
  const chunks = new Map<number, string[]>();
  const onTask = ({ state, input, output }: TaskCall) => {
    if (state === 'LoadChunk' && output) chunks.set((input as { chunk: number }).chunk, (output as { accounts: { id: string }[] }).accounts.map((account) => account.id));
  };
  beforeAll(async () => {
    enforcer = await startHarness({ organization: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), stallAllowanceRealMs: LIMIT_ALLOWANCE_REAL_MS, onTask });
  });
  afterAll(() => enforcer.close());

  it('stops a task at its deployed timeout and a chunk at 5 minutes, reports their accounts with the reason, and finishes every other chunk', async () => {
    // The first full chunk loaded: every Account API call takes 200 s, so its ten accounts cannot fit in one child
    // execution. In the next one, one account's calls take an hour, past its task's timeout; the rest are quick.
    let slow: string[] | undefined;
    let hung: string | undefined;
    let hungChunk: string[] | undefined;
    enforcer.simulator!.injectFaults(({ operation, target }) => {
      if (!operation.startsWith('account:') || !target) return undefined;
      const full = [...chunks.values()].filter((accounts) => accounts.length === 10);
      slow ??= full[0];
      hungChunk ??= full[1];
      hung ??= hungChunk?.[0];
      if (slow?.includes(target)) return { delayMs: 200_000 };
      return target === hung ? { delayMs: 3_600_000 } : undefined;
    });

    const report = await reconcile(enforcer);

    const slowChunks = new Set([...(slow ?? []), ...(hungChunk ?? [])]);
    expect(report.accountsProcessed).toBe(40);
    expect(report.failures).toContainEqual(expect.objectContaining({ accountId: hung, reason: 'Lambda.Unknown: Task timed out after 60 seconds' }));
    const others = report.failures.filter((failure) => failure.accountId !== hung);
    expect(others.length).toBeGreaterThan(0);
    // Only the two slow chunks' accounts: each past its own task's timeout, or not reached within its chunk's 5 minutes.
    for (const failure of others) expect(slowChunks.has(failure.accountId), failure.accountId).toBe(true);
    expect(others.map((failure) => failure.reason)).toContainEqual(expect.stringContaining('States.Timeout: the child execution ran past its 5 minutes'));
  });
});
