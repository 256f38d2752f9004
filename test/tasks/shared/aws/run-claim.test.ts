import { beforeEach, describe, expect, it } from 'vitest';
import type { RunPlan } from '#shared/rules/model';
import { lambdaContext, loadTask, mockIdempotencyTable } from '../../support.ts';

const { items } = mockIdempotencyTable();
const { claimRun, releaseClaim } = await loadTask(() => import('#shared/aws/run-claim'));

const plan = (runId: string): RunPlan => ({ status: 'RUN', runId, trigger: 'organizations', dryRun: false, accountIds: ['222222222222'], claimKey: 'account:222222222222' });

beforeEach(() => items.clear());

describe('run-claim', () => {
  it('returns the first plan to every later claim of the same key', async () => {
    await claimRun('account:222222222222', plan('first'), lambdaContext);

    const holder = await claimRun('account:222222222222', plan('second'), lambdaContext);

    expect(holder.runId).toBe('first');
  });

  it('stores the claim under the fixed run-claim prefix, whatever the function is called', async () => {
    await claimRun('account:222222222222', plan('first'), lambdaContext);

    expect([...items.keys()]).toEqual([expect.stringMatching(/^run-claim#/)]);
  });

  it('lets the next claim of a released key start a run of its own', async () => {
    await claimRun('account:222222222222', plan('first'), lambdaContext);
    await releaseClaim('account:222222222222');

    const holder = await claimRun('account:222222222222', plan('second'), lambdaContext);

    expect(holder.runId).toBe('second');
  });
});
