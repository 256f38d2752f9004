import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import type { TaskCall } from '../../local-run/engine.ts';
import { defaultOrganization, NEW_ACCOUNT_ID, ROOT_ID, withAccountApiDenied, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import type { SimState } from '../../simulator/index.ts';
import { calls, contactOf, EXAMPLE_CONFIG, notReadyFor, reconcile, serve, startHarness } from '../local-run/harness.ts';
import { sampleEvent } from '../support/events.ts';

const SPEEDUP = 200;

function withAccount(state: SimState, id: string, change: (account: SimState['accounts'][number]) => void): SimState {
  change(state.accounts.find((account) => account.id === id)!);
  return state;
}

describe('a reconciliation under adverse conditions, end to end', () => {
  let enforcer: LocalEnforcer;
  /** Runs after each task, to change the world between two states of a run. */
  let afterTask: ((call: TaskCall) => void) | undefined;
  beforeAll(async () => {
    // The delegated topology: the enforcer runs in a member account, which the SCPs of the denial test bind.
    enforcer = await startHarness({ organization: defaultOrganization(EXAMPLE_CONFIG), topology: 'delegated', speedup: SPEEDUP, onTask: (call) => afterTask?.(call) });
  });
  afterEach(() => {
    afterTask = undefined;
  });
  afterAll(() => enforcer.close());

  it('retries a new account that is not ready for its first minutes, and ends it compliant', async () => {
    await serve(enforcer, defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }));
    // Not ready for 90 s of simulated time: several not-ready retries, well inside their budget. The window opens
    // again once the account is listed: on a loaded machine the states before it can take 90 s of simulated time.
    notReadyFor(enforcer, NEW_ACCOUNT_ID, 90_000);
    afterTask = ({ state }) => {
      if (state === 'ListAccounts') notReadyFor(enforcer, NEW_ACCOUNT_ID, 90_000);
    };

    const report = await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));

    expect(report.failures).toEqual([]);
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
    expect(enforcer.simulator!.stats().errors.AccessDeniedException).toBeGreaterThan(1);
  });

  it('reports an account that always fails with its reason, and finishes all the others', async () => {
    const denied = '500016001616';
    await serve(enforcer, withAccountApiDenied(defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), denied));

    const report = await reconcile(enforcer);

    expect(report.accountsFailed).toBe(1);
    expect(report.failures.length).toBeGreaterThan(0);
    for (const failure of report.failures) expect(failure).toMatchObject({ accountId: denied, reason: expect.stringContaining('explicit deny') });
    expect(report.accountsProcessed).toBe(40);
    expect(report.counts.SECURITY).toMatchObject({ assigned: 30, updated: 4, unchanged: 5 });
  });

  it('writes nothing for the second event of a new account that the first event already finished', async () => {
    await serve(enforcer, defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }));
    await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));
    enforcer.simulator!.resetStats();

    const second = await enforcer.run(sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(second.output).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringContaining('duplicate') } });
    expect(calls(enforcer, 'account:GetAlternateContact') + calls(enforcer, 'account:PutAlternateContact')).toBe(0);
  });

  it("applies the OU's overrides on Control Tower's event once the account has moved from the root into its OU", async () => {
    await serve(enforcer, withAccount(defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }), NEW_ACCOUNT_ID, (a) => {
      a.parentId = ROOT_ID;
    }));
    await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'OPERATIONS')?.name).toBe('Platform Operations');
    withAccount(enforcer.simulator!.state, NEW_ACCOUNT_ID, (a) => {
      a.parentId = WORKLOADS_OU_ID;
    });

    const second = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(second.counts.OPERATIONS).toMatchObject({ updated: 1 });
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'OPERATIONS')?.name).toBe('Workloads On-Call');
  });

  it('fails a run whose listing fails with that error, and lets the next event for the account run', async () => {
    await serve(enforcer, defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }));
    const state = enforcer.simulator!.state;
    const newAccount = state.accounts.find((a) => a.id === NEW_ACCOUNT_ID)!;
    // The account vanishes from Organizations between the claim and the listing.
    afterTask = ({ state: name }) => {
      if (name === 'ResolveTargets') state.accounts = state.accounts.filter((a) => a !== newAccount);
    };

    const first = await enforcer.run(sampleEvent('orgs-create-account-result-succeeded.json'));
    afterTask = undefined;
    state.accounts = [...state.accounts, newAccount];
    const second = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(first).toMatchObject({ status: 'FAILED', error: { message: expect.stringContaining('MalformedInputError') } });
    expect(second.accountsProcessed).toBe(1);
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
  });

  it('completes a new account on the second event when the first gave up because it was not ready', async () => {
    await serve(enforcer, defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }));
    // Not ready for an hour: longer than the not-ready retry budget of the first run.
    notReadyFor(enforcer, NEW_ACCOUNT_ID, 3_600_000);
    const first = await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));
    expect(first.failures).toEqual([expect.objectContaining({ accountId: NEW_ACCOUNT_ID, reason: expect.stringContaining('AccountNotReadyError') })]);
    // Twenty minutes later Control Tower's own event arrives, and by then the account is ready.
    withAccount(enforcer.simulator!.state, NEW_ACCOUNT_ID, (a) => {
      a.readyAt = new Date(0).toISOString();
    });

    const second = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(second.failures).toEqual([]);
    expect(second.counts.SECURITY?.assigned).toBe(1);
    expect(contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
  });
});

