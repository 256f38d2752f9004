import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_TYPES } from '#shared/rules/contacts';
import type { Report } from '#shared/rules/model';
import type { DynamoFault, DynamoRequest } from '../../local-run/dynamodb.ts';
import { TABLES } from '../../local-run/dynamodb.ts';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { seededRandom } from '../../simulator/clock.ts';
import { defaultOrganization, NEW_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { SimError, type SimFault, type SimRequest, type SimState } from '../../simulator/index.ts';
import { sampleEvent } from '../support/events.ts';
import { EXAMPLE_CONFIG, reconcile, serve, startHarness } from '../local-run/harness.ts';

/**
 * Faults injected at the wire, never in the task code: the local DynamoDB's proxy (run table, claim table) and the
 * simulator's HTTP layer (Account API). Each case asserts the invariants of "nothing lost": every account reported,
 * compliant or FAILED with its reason, no contact with a value nobody asked for, and no claim left behind.
 */

const organization = (): SimState => defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });
type Contacts = Record<string, SimState['accounts'][number]['contacts']>;
const contactsOf = (state: SimState): Contacts => Object.fromEntries(state.accounts.map((account) => [account.id, structuredClone(account.contacts)]));

describe('bookkeeping and AWS faults, end to end: nothing lost', () => {
  let enforcer: LocalEnforcer;
  /** A clean run's report and the contacts it leaves: what every faulty run is held to. */
  let clean: { report: Report; contacts: Contacts };
  let before: Contacts;
  /** Whether a task's output is lost on its way back to the state machine (Lambda.ServiceException). */
  let loseOutput: (state: string) => boolean = () => false;
  /** What the Report task was last handed: the chunks' outputs among it. */
  let reportInput: { outcomes?: unknown[] } | undefined;

  const runTable = (operation: string, bodyHas?: string) => (request: DynamoRequest) =>
    request.table === TABLES.run.name && request.operation === operation && (bodyHas === undefined || request.body.includes(bodyHas));

  /** Every account reported, compliant or FAILED with its reason, and each contact either as a clean run leaves it or untouched. */
  function expectNothingLost(report: Report): void {
    expect(report.accountsProcessed).toBe(clean.report.accountsProcessed);
    for (const failure of report.failures) expect(failure.reason).toMatch(/\w/);
    expect(report.failures.map((failure) => failure.reason).join('\n')).not.toContain('chunk ended before the account was recorded');
    const failed = new Set(report.failures.map((failure) => failure.accountId));
    const after = contactsOf(enforcer.simulator!.state);
    for (const [accountId, contacts] of Object.entries(after)) {
      for (const type of CONTACT_TYPES) {
        const allowed = failed.has(accountId) ? [clean.contacts[accountId]?.[type], before[accountId]?.[type]] : [clean.contacts[accountId]?.[type]];
        expect(allowed, `${accountId} ${type}`).toContainEqual(contacts[type]);
      }
    }
  }

  beforeAll(async () => {
    enforcer = await startHarness({
      organization: organization(),
      loseOutput: (state) => loseOutput(state),
      onTask: ({ state, input }) => {
        if (state === 'Report') reportInput = input as typeof reportInput;
      },
    });
    before = contactsOf(enforcer.simulator!.state);
    clean = { report: await reconcile(enforcer), contacts: contactsOf(enforcer.simulator!.state) };
    expect(clean.report.failures, 'the clean run every faulty run is held to').toEqual([]);
    cleanOutcomes = reportInput?.outcomes;
    await serve(enforcer, organization());
  });
  let cleanOutcomes: unknown[] | undefined;

  it('ends every chunk of a clean run as a child that succeeded: one {} per account, no error', () => {
    expect(cleanOutcomes?.length).toBeGreaterThan(1);
    for (const outcome of cleanOutcomes!) {
      expect(Array.isArray(outcome), JSON.stringify(outcome)).toBe(true);
      for (const entry of outcome as unknown[]) expect(entry).toEqual({});
    }
  });
  afterEach(async () => {
    loseOutput = () => false;
    enforcer.dynamo.injectFaults(undefined);
    enforcer.simulator!.injectFaults(undefined);
    await serve(enforcer, organization());
  });
  afterAll(() => enforcer.close());

  it('reports an account whose result the run table will not take with its real outcome and the DynamoDB error, and goes on with its chunk', async () => {
    const changed = [...new Set(clean.report.changes.map((change) => change.accountId))];
    const lost = [changed[0]!, changed[Math.floor(changed.length / 2)]!, changed.at(-1)!];
    enforcer.dynamo.injectFaults((request) => (lost.some((id) => runTable('PutItem', `ACCOUNT#${id}`)(request)) ? 'unavailable' : undefined));

    const report = await reconcile(enforcer);

    expectNothingLost(report);
    expect(report.failures.map((failure) => failure.accountId).sort()).toEqual([...lost].sort());
    for (const failure of report.failures) expect(failure.reason).toMatch(/result not stored: RunTableError: run table: storing the result of \d{12} failed: InternalServerError/);
    // Their writes landed and are counted as what they were: the outcome is real, only the bookkeeping failed.
    expect(report.counts.SECURITY).toMatchObject({ assigned: clean.report.counts.SECURITY!.assigned, updated: clean.report.counts.SECURITY!.updated });
    expect(contactsOf(enforcer.simulator!.state)).toEqual(clean.contacts);
  });

  it('reports the accounts of a chunk it cannot load with the error, and reconciles every other chunk', async () => {
    enforcer.dynamo.injectFaults((request) => (runTable('GetItem', 'CHUNK#000001')(request) ? 'throttled' : undefined));

    const report = await reconcile(enforcer);

    expectNothingLost(report);
    expect(report.failures.length).toBeGreaterThan(0);
    for (const failure of report.failures) expect(failure.reason).toMatch(/could not finish it: RunTableError: run table: reading chunk 1 failed: ThrottlingException/);
    expect(report.accountsFailed).toBeLessThanOrEqual(10);
  });

  it("retries Report's reads through a short outage and delivers the whole report", async () => {
    let refused = 0;
    enforcer.dynamo.injectFaults((request) => (runTable('Query')(request) && refused++ < 4 ? 'unavailable' : undefined));

    const report = await reconcile(enforcer);

    expect(refused).toBeGreaterThan(1);
    expect(report.bookkeepingErrors).toBeUndefined();
    expect(report.accountsFailed).toBe(0);
    expectNothingLost(report);
  });

  it('delivers a report that says what it could not read when the run table stays down through Report, and releases the claim', async () => {
    enforcer.dynamo.injectFaults((request) => (runTable('Query')(request) ? 'unavailable' : undefined));
    const published = enforcer.simulator!.state.published.length;

    const first = await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));
    enforcer.dynamo.injectFaults(undefined);
    const second = await reconcile(enforcer, sampleEvent('ct-create-managed-account-succeeded.json'));

    expect(first.bookkeepingErrors).toEqual([
      expect.stringContaining('could not read the plan: RunTableError'),
      expect.stringContaining('could not read the results: RunTableError'),
      '1 planned accounts cannot be named: each is counted FAILED',
    ]);
    expect(first).toMatchObject({ accountsProcessed: 1, accountsFailed: 1 });
    expect(enforcer.simulator!.state.published.slice(published)[0]?.message).toContain('Run records NOT complete');
    // The claim was released: Control Tower's event for the same account runs, and finds it done.
    expect(second).toMatchObject({ accountsProcessed: 1, accountsFailed: 0 });
    expect(contactsOf(enforcer.simulator!.state)[NEW_ACCOUNT_ID]).toEqual(clean.contacts[NEW_ACCOUNT_ID]);
  });

  it('claims the run once a short claim-table outage has passed', async () => {
    let refused = 0;
    enforcer.dynamo.injectFaults((request) => (request.table === TABLES.idempotency.name && refused++ < 3 ? 'unavailable' : undefined));

    const report = await reconcile(enforcer, sampleEvent('orgs-create-account-result-succeeded.json'));

    expect(refused).toBeGreaterThan(1);
    expect(report).toMatchObject({ accountsProcessed: 1, accountsFailed: 0 });
  });

  it('loses nothing to Account API 500s before and after a write, throttles and lost responses', async () => {
    const random = seededRandom(20);
    const kinds: (() => SimFault)[] = [
      () => ({ error: new SimError('InternalServerException', 'Internal failure', 500), when: 'before' }),
      () => ({ error: new SimError('InternalServerException', 'Internal failure', 500), when: 'after' }),
      () => ({ error: new SimError('TooManyRequestsException', 'Rate exceeded', 429), when: 'before' }),
      () => 'lose-response',
    ];
    let injected = 0;
    enforcer.simulator!.injectFaults(({ operation }: SimRequest) => {
      if (!operation.startsWith('account:') || random() > 0.25) return undefined;
      injected += 1;
      return kinds[Math.floor(random() * kinds.length)]!();
    });

    const report = await reconcile(enforcer);

    expect(injected).toBeGreaterThan(20);
    expectNothingLost(report);
  });

  it("loses nothing when PutContacts' output is lost after its Puts landed, and repeats only those Puts", async () => {
    let lost = 0;
    loseOutput = (state) => state === 'PutContacts' && lost++ % 4 === 0;

    const report = await reconcile(enforcer);

    expect(lost).toBeGreaterThan(5);
    expect(report.accountsFailed).toBe(0);
    expectNothingLost(report);
    expect(enforcer.simulator!.stats().repeated['account:PutAlternateContact']).toBeGreaterThan(0);
  });

  it('loses nothing when DynamoDB applies a result write and the response is lost', async () => {
    let lost = 0;
    enforcer.dynamo.injectFaults((request): DynamoFault | undefined => (runTable('PutItem', 'ACCOUNT#')(request) && lost++ % 3 === 0 ? 'lose-response' : undefined));

    const report = await reconcile(enforcer);

    expect(lost).toBeGreaterThan(10);
    expect(report.accountsFailed).toBe(0);
    expectNothingLost(report);
  });
});
