import { beforeEach, describe, expect, it } from 'vitest';
import type { RunPlan } from '#shared/rules/model';
import { lambdaContext, loadTask } from '../../support.ts';
import { mockClaimTable } from './claim-table.ts';

const { items } = mockClaimTable();
const { claimRun, releaseClaim, releaseClaimOfRun } = await loadTask(() => import('#shared/aws/run-claim'));

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

    expect([...items.keys()].sort()).toEqual([expect.stringMatching(/^run-claim#/), 'run-claim-holder#first']);
  });

  it('lets the next claim of a released key start a run of its own', async () => {
    await claimRun('account:222222222222', plan('first'), lambdaContext);
    await releaseClaim('account:222222222222');

    const holder = await claimRun('account:222222222222', plan('second'), lambdaContext);

    expect(holder.runId).toBe('second');
  });

  it('releases, by the run id alone, the claim that run still holds, and forgets the holder', async () => {
    await claimRun('account:222222222222', plan('first'), lambdaContext);

    const released = await releaseClaimOfRun('first');

    expect(released).toBe('account:222222222222');
    expect(items.size).toBe(0);
  });

  it('leaves alone a claim that another run holds by now', async () => {
    await claimRun('account:222222222222', plan('first'), lambdaContext);
    await releaseClaim('account:222222222222');
    await claimRun('account:222222222222', plan('second'), lambdaContext);

    const released = await releaseClaimOfRun('first');

    expect(released).toBeUndefined();
    expect((await claimRun('account:222222222222', plan('third'), lambdaContext)).runId).toBe('second');
  });

  it('releases nothing for a run that holds no claim', async () => {
    expect(await releaseClaimOfRun('never-claimed')).toBeUndefined();
  });
});
