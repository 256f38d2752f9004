import { beforeEach, describe, expect, it } from 'vitest';
import { executionEnded } from '#shared/events/execution-ended';
import type { RunPlan } from '#shared/rules/model';
import { lambdaContext, loadTask } from './support.ts';
import { mockClaimTable } from './shared/aws/claim-table.ts';

const { items } = mockClaimTable();
const { claimRun } = await loadTask(() => import('#shared/aws/run-claim'));
const { handler } = await loadTask(() => import('../../tasks/release-claim.ts'));

const CLAIM_KEY = 'schedule:nightly@2026-11-21T03:00:00Z';
const plan = (runId: string): RunPlan => ({ status: 'RUN', runId, trigger: 'schedule', dryRun: false, claimKey: CLAIM_KEY });
const arn = (runId: string) => `arn:aws:states:us-east-1:111111111111:execution:enforcer:${runId}`;

beforeEach(() => items.clear());

describe('release-claim: an execution that ended without success', () => {
  it('frees the claim the ended run holds, whatever its trigger, so the next delivery of its event runs', async () => {
    await claimRun(CLAIM_KEY, plan('timed-out-run'), lambdaContext);

    await handler(executionEnded(arn('timed-out-run'), 'TIMED_OUT'), lambdaContext);

    expect(items.size).toBe(0);
    expect((await claimRun(CLAIM_KEY, plan('next-run'), lambdaContext)).runId).toBe('next-run');
  });

  it('leaves alone the claim of a run that is not the one that ended', async () => {
    await claimRun(CLAIM_KEY, plan('running'), lambdaContext);

    await handler(executionEnded(arn('other-run'), 'ABORTED'), lambdaContext);

    expect((await claimRun(CLAIM_KEY, plan('next-run'), lambdaContext)).runId).toBe('running');
  });
});
