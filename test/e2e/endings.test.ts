import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '#shared/rules/model';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { readDefinition, type TaskCall } from '../../local-run/engine.ts';
import { defaultOrganization, NEW_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { SimError } from '../../simulator/index.ts';
import { sampleEvent } from '../support/events.ts';
import { contactOf, EXAMPLE_CONFIG, reconcile, serve, startHarness } from '../local-run/harness.ts';

/**
 * No claim outlives its run, whatever ends the execution. Success keeps the claim (a second delivery is a duplicate);
 * a failure, a timeout or an abort releases it, so the next delivery of the same event runs. The shipped definition,
 * with a TimeoutSeconds short enough for a test to reach.
 */

const organization = () => defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });
const TIMEOUT_SECONDS = 600;

describe('every ending of an execution, end to end', () => {
  let enforcer: LocalEnforcer;
  let afterTask: ((call: TaskCall) => void) | undefined;
  beforeAll(async () => {
    enforcer = await startHarness({ organization: organization(), definition: { ...readDefinition(), TimeoutSeconds: TIMEOUT_SECONDS }, onTask: (call) => afterTask?.(call) });
  });
  afterEach(async () => {
    afterTask = undefined;
    enforcer.simulator!.injectFaults(undefined);
    await serve(enforcer, organization());
  });
  afterAll(() => enforcer.close());

  const isSecured = () => contactOf(enforcer, NEW_ACCOUNT_ID, 'SECURITY')?.email === 'security@example.com';

  it('keeps the claim of a run that succeeded: the same event delivered again is a duplicate', async () => {
    await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));

    const again = await enforcer.run(sampleEvent('orgs-create-account-result-succeeded.json'));

    expect(again.output).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringContaining('duplicate of run') } });
  });

  it('releases the claim of a run that failed, whatever its trigger: the schedule firing delivered again runs again', async () => {
    // Organizations fails every listing, so each run fails there: a second delivery that runs fails the same way,
    // where one that found the claim still held would end at once as a duplicate.
    enforcer.simulator!.injectFaults(({ operation }) =>
      operation.startsWith('organizations:List') ? { error: new SimError('ServiceException', 'AWS Organizations can\'t complete your request because of an internal service error.', 500), when: 'before' } : undefined,
    );

    const failed = await enforcer.run(sampleEvent('scheduled-nightly.json'));
    const again = await enforcer.run(sampleEvent('scheduled-nightly.json'));

    expect(failed).toMatchObject({ status: 'FAILED', error: { name: 'TransientError' } });
    expect(again).toMatchObject({ status: 'FAILED', error: { name: 'TransientError' } });
  });

  it('releases the claim of a run that timed out: the next event for the account reconciles it', async () => {
    enforcer.simulator!.injectFaults(({ target }) => (target === NEW_ACCOUNT_ID ? { delayMs: 10 * TIMEOUT_SECONDS * 1000 } : undefined));
    const timedOut = await enforcer.run(sampleEvent('orgs-create-account-result-succeeded.json'));
    enforcer.simulator!.injectFaults(undefined);

    const next = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(timedOut.status).toBe('TIMED_OUT');
    expect(next).toMatchObject({ accountsProcessed: 1, accountsFailed: 0 });
    expect(isSecured()).toBe(true);
  });

  it('releases the claim of a run that was aborted right after it claimed: the same event delivered again reconciles the account', async () => {
    let started: ReturnType<LocalEnforcer['start']> | undefined;
    afterTask = ({ state }) => {
      if (state === 'ResolveTargets') started?.abort();
    };
    started = enforcer.start(sampleEvent('orgs-create-account-result-succeeded.json'));
    const aborted = await started.result;
    afterTask = undefined;

    const again = (await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'))) as Report;

    expect(aborted.status).toBe('ABORTED');
    expect(again).toMatchObject({ accountsProcessed: 1, accountsFailed: 0 });
    expect(isSecured()).toBe(true);
  });
});
