import { beforeEach, describe, expect, it } from 'vitest';
import type { RunPlan } from '#shared/rules/model';
import { lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

const { items } = mockIdempotencyTable();
const { claimRun } = await loadTask(() => import('#shared/aws/run-claim'));
const { handler } = await loadTask(() => import('../../tasks/release-claim.ts'));

const plan = (trigger: RunPlan['trigger'], claimKey: string): RunPlan => ({ status: 'RUN', runId: 'failed-run', trigger, dryRun: false, claimKey });

beforeEach(() => items.clear());

describe('release-claim', () => {
  it.each([
    ['organizations', 'account:222222222222@r-ab12'],
    ['control-tower', 'account:222222222222@ou-ab12-cd34ef56'],
  ] as const)('frees the claim of a %s run that failed before its account', async (trigger, claimKey) => {
    await claimRun(claimKey, plan(trigger, claimKey), lambdaContext);

    await handler({ plan: plan(trigger, claimKey) }, lambdaContext);

    expect(items.size).toBe(0);
  });

  it('keeps the claim of a scheduled run: the next night runs anyway', async () => {
    const claimKey = 'schedule:nightly@2026-11-21T03:00:00Z';
    await claimRun(claimKey, plan('schedule', claimKey), lambdaContext);

    await handler({ plan: plan('schedule', claimKey) }, lambdaContext);

    expect(items.size).toBe(1);
  });
});
