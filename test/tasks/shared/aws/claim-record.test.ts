import { beforeEach, describe, expect, it } from 'vitest';
import { claimHolderRunId, claimRecordId } from '#shared/aws/claim-record';
import type { RunPlan } from '#shared/rules/model';
import { lambdaContext, loadTask } from '../../support.ts';
import { mockClaimTable } from './claim-table.ts';

const { items } = mockClaimTable();
const { claimRun } = await loadTask(() => import('#shared/aws/run-claim'));

const plan = (runId: string, claimKey: string): RunPlan => ({ status: 'RUN', runId, trigger: 'organizations', dryRun: false, claimKey });

beforeEach(() => items.clear());

describe('claim-record: the claim table as Powertools idempotency writes it', () => {
  it.each(['account:222222222222@r-ab12', 'schedule:nightly@2026-11-21T03:00:00Z', 'deploy:ünïcode "quoted"'])('names the record of %s by the very key Powertools writes', async (claimKey) => {
    await claimRun(claimKey, plan('first', claimKey), lambdaContext);

    expect([...items.keys()].filter((id) => !id.startsWith('run-claim-holder#'))).toEqual([claimRecordId(claimKey)]);
  });

  it('finds the holding run in the record Powertools completed', async () => {
    const claimKey = 'account:222222222222@r-ab12';
    await claimRun(claimKey, plan('first', claimKey), lambdaContext);

    expect(items.get(claimRecordId(claimKey))).toMatchObject({ status: { S: 'COMPLETED' }, data: { M: { runId: { S: 'first' } } } });
    expect(claimHolderRunId(items.get(claimRecordId(claimKey)))).toBe('first');
  });

  it('names no holder while the claim is still being taken, nor without a record', () => {
    expect(claimHolderRunId({ id: { S: claimRecordId('account:222222222222') }, status: { S: 'INPROGRESS' } })).toBeUndefined();
    expect(claimHolderRunId(undefined)).toBeUndefined();
  });
});
