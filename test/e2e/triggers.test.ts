import { AccountClient, DeleteAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveDesired } from '#shared/rules/config';
import { desiredStateHash } from '#shared/rules/config-hash';
import { CONTACT_TYPES, type ContactType, contactOf as wantedContact } from '#shared/rules/contacts';
import { deployInput } from '../../tasks/shared/events/triggers/deploy.ts';
import { LOCAL_REPORT_BUCKET, type LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID, SANDBOX_ACCOUNT_ID, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import { applyEvent, credentialsFor, ouPaths, type SimState } from '../../simulator/index.ts';
import { contactOf, EXAMPLE_CONFIG, sameContact, serve, startHarness } from '../local-run/harness.ts';
import { sampleEvent } from '../support/events.ts';

type Event = Record<string, any>;

/** The default organization with every account's contacts already as the configuration wants them. */
function reconciledOrganization(): SimState {
  const state = defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 });
  const paths = ouPaths(state);
  for (const account of state.accounts) {
    const desired = resolveDesired(EXAMPLE_CONFIG, account.id, paths.get(account.id) ?? []);
    account.contacts = Object.fromEntries(Object.entries(desired).map(([type, d]) => [type, { ...wantedContact(d)! }]));
  }
  return state;
}

describe('end to end: the event triggers', () => {
  let enforcer: LocalEnforcer;
  const desiredOf = (accountId: string, type: ContactType) => {
    return wantedContact(resolveDesired(EXAMPLE_CONFIG, accountId, ouPaths(enforcer.simulator!.state).get(accountId) ?? [])[type])!;
  };
  const isAsConfigured = (accountId: string) => CONTACT_TYPES.every((type) => sameContact(contactOf(enforcer, accountId, type), desiredOf(accountId, type)));
  /** The accounts the Account API was called on, in organization or standalone context. */
  const touched = () =>
    Object.entries(enforcer.simulator!.stats().byTarget)
      .filter(([, actions]) => Object.keys(actions).some((action) => action.startsWith('account:')))
      .map(([accountId]) => accountId);
  /** A person's Account API client: the member itself (standalone context) or the management account. */
  const personIn = (accountId: string) => new AccountClient({ endpoint: enforcer.simulator!.url, region: 'us-east-1', credentials: credentialsFor(accountId) });
  const run = async (input: unknown) => {
    const execution = await enforcer.run(input);
    expect(execution.status, JSON.stringify(execution.error)).toBe('SUCCEEDED');
    return execution.output as Event;
  };
  const lastEvent = () => enforcer.simulator!.events().at(-1) as Event;
  const member = () => enforcer.simulator!.state.accounts.find((account) => account.parentId !== 'r-ab12' && account.id !== SANDBOX_ACCOUNT_ID && account.status === 'ACTIVE' && account.parentId.startsWith('ou-ab12-pr'))!;

  beforeAll(async () => {
    enforcer = await startHarness({ organization: reconciledOrganization() });
  });
  afterAll(() => enforcer.close());
  beforeEach(() => serve(enforcer, reconciledOrganization()));

  it('reconciles an invited account when it joins, and only that account', async () => {
    const joined = sampleEvent<Event>('orgs-account-joined-organization.json');
    joined.detail.serviceEventDetails.accountId = '777700000001';
    applyEvent(enforcer.simulator!.state, joined);

    const report = await run(joined);

    expect(report).toMatchObject({ trigger: 'account-joined', accountsProcessed: 1, accountsFailed: 0 });
    expect(isAsConfigured('777700000001')).toBe(true);
    expect(touched()).toEqual(['777700000001']);
  });

  describe('an AccountJoinedOrganization event without its account id', () => {
    const JOINED_TIME = '2026-11-21T14:07:40Z';
    const minutes = (offset: number) => new Date(Date.parse(JOINED_TIME) + offset * 60_000).toISOString();
    /** The sample event, its account id removed: only what AWS documents is left in serviceEventDetails. */
    const withoutId = () => {
      const event = sampleEvent<Event>('orgs-account-joined-organization.json');
      delete event.detail.serviceEventDetails.accountId;
      return event;
    };
    /** Accounts that joined around the event, with no contact set: in the window, and just outside it. */
    const joinedAround = (state: SimState) => {
      const joined = (id: string, offset: number, parentId: string) => ({
        id,
        name: `joined-${id}`,
        email: `aws+joined-${id}@example.com`,
        status: 'ACTIVE' as const,
        parentId,
        joinedAt: minutes(offset),
        joinedMethod: 'INVITED' as const,
        contacts: {},
      });
      state.accounts.push(joined('777700000001', 0, 'r-ab12'), joined('777700000002', 9, WORKLOADS_OU_ID), joined('777700000003', -16, 'r-ab12'), joined('777700000004', 16, WORKLOADS_OU_ID));
      return state;
    };

    beforeEach(() => serve(enforcer, joinedAround(reconciledOrganization())));

    it('does not fail: it reconciles the accounts that joined within 15 minutes of joinedTime, and nothing else', async () => {
      const report = await run(withoutId());

      expect(report).toMatchObject({ trigger: 'account-joined', accountsProcessed: 2, accountsFailed: 0 });
      expect(touched().sort()).toEqual(['777700000001', '777700000002']);
      expect(isAsConfigured('777700000001') && isAsConfigured('777700000002')).toBe(true);
      expect(contactOf(enforcer, '777700000003', 'SECURITY')).toBeUndefined();
      expect(contactOf(enforcer, '777700000004', 'SECURITY')).toBeUndefined();
    });

    it('names what it did once, in the report, the SNS message and the report files', async () => {
      const event = withoutId();

      const report = await run(event);

      const [warning] = report.warnings;
      expect(report.warnings).toHaveLength(1);
      expect(warning.message).toContain(`AccountJoinedOrganization event ${event.detail.eventID} (INVITED, joinedTime ${JOINED_TIME}) has no detail.serviceEventDetails.accountId`);
      expect(warning.message).toContain(`Reconciled instead the 2 accounts that joined between ${minutes(-15)} and ${minutes(15)}`);
      expect(warning.message).toContain('777700000001 (joined-777700000001), 777700000002 (joined-777700000002)');
      const published = enforcer.simulator!.state.published.at(-1)!.message;
      expect(published.startsWith(`Warning: ${warning.message}\n`)).toBe(true);
      expect(published.split('Warning: ')).toHaveLength(2);
      expect(report.files).not.toHaveProperty('latest');
      const folder = String(report.files.location).slice(`s3://${LOCAL_REPORT_BUCKET}/`.length);
      const file = async (name: string) => (await new S3Client({}).send(new GetObjectCommand({ Bucket: LOCAL_REPORT_BUCKET, Key: `${folder}${name}` }))).Body!.transformToString();
      expect(JSON.parse(await file('report.json')).run.warnings).toEqual(report.warnings);
      expect(await file('report.html')).toContain('<h2>Warning</h2>');
    });

    it('runs once however often the event is delivered', async () => {
      await run(withoutId());
      enforcer.simulator!.resetStats();

      const again = await run(withoutId());

      expect(again).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringContaining('duplicate of run') } });
      expect(touched()).toEqual([]);
    });
  });

  it('applies the Workloads OPERATIONS override to an account moved into Workloads', async () => {
    const moved = sampleEvent<Event>('orgs-move-account.json');
    const before = contactOf(enforcer, SANDBOX_ACCOUNT_ID, 'OPERATIONS');
    applyEvent(enforcer.simulator!.state, moved);

    const report = await run(moved);

    expect(report).toMatchObject({ trigger: 'account-moved', accountsProcessed: 1, accountsFailed: 0 });
    expect(contactOf(enforcer, SANDBOX_ACCOUNT_ID, 'OPERATIONS')).toMatchObject({ name: 'Workloads On-Call', email: 'workloads-oncall@example.com' });
    expect(before?.name).not.toBe('Workloads On-Call');
    expect(moved.detail.requestParameters.destinationParentId).toBe(WORKLOADS_OU_ID);
  });

  it('reverts a hand edit of a member\'s SECURITY contact, touching only that account', async () => {
    const { id } = member();
    await personIn(id).send(new PutAlternateContactCommand({ AlternateContactType: 'SECURITY', Name: 'Sam Dev', Title: 'Developer', EmailAddress: 'sam@example.org', PhoneNumber: '+1 555 0111' }));
    const edit = lastEvent();
    enforcer.simulator!.resetStats();

    const report = await run(edit);

    expect(edit).toMatchObject({ account: id, detail: { eventName: 'PutAlternateContact', requestParameters: { alternateContactType: 'SECURITY' } } });
    expect(report).toMatchObject({ trigger: 'contact-changed', accountsProcessed: 1, accountsFailed: 0 });
    expect(sameContact(contactOf(enforcer, id, 'SECURITY'), desiredOf(id, 'SECURITY'))).toBe(true);
    expect(touched()).toEqual([id]);
  });

  it('restores a contact deleted by hand from the management account, in organization context', async () => {
    const { id } = member();
    await personIn(MANAGEMENT_ACCOUNT_ID).send(new DeleteAlternateContactCommand({ AccountId: id, AlternateContactType: 'OPERATIONS' }));
    const deletion = lastEvent();

    await run(deletion);

    expect(deletion).toMatchObject({ account: MANAGEMENT_ACCOUNT_ID, detail: { requestParameters: { accountId: id } } });
    expect(sameContact(contactOf(enforcer, id, 'OPERATIONS'), desiredOf(id, 'OPERATIONS'))).toBe(true);
  });

  it('starts nothing for the enforcer\'s own write', async () => {
    const { id } = member();
    await personIn(id).send(new DeleteAlternateContactCommand({ AlternateContactType: 'SECURITY' }));
    await run(lastEvent());
    const own = lastEvent();
    enforcer.simulator!.resetStats();

    const output = await run(own);

    expect(own.detail.requestParameters).toMatchObject({ accountId: id, alternateContactType: 'SECURITY' });
    expect(output).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringContaining("the enforcer's own write") } });
    expect(touched()).toEqual([]);
  });

  it('makes a burst of three edits to one account, across a claim bucket\'s boundary, at most two runs', async () => {
    const { id } = member();
    const person = personIn(id);
    const burst: Event[] = [];
    for (const type of CONTACT_TYPES) {
      await person.send(new PutAlternateContactCommand({ AlternateContactType: type, Name: 'Sam Dev', Title: 'Developer', EmailAddress: 'sam@example.org', PhoneNumber: '+1 555 0111' }));
      burst.push(lastEvent());
    }
    // Within one minute, the middle edit at a 2-minute boundary: the worst case for the bucketed claim.
    burst.forEach((event, i) => (event.detail.eventTime = new Date(Date.UTC(2026, 10, 22, 10, 41, 40) + i * 25_000).toISOString()));

    const outputs = [];
    for (const event of burst) outputs.push(await run(event));

    expect(outputs.filter((output) => output.trigger === 'contact-changed').length).toBe(2);
    // BILLING is fill-missing in the example configuration: a contact someone set is theirs to keep.
    expect(sameContact(contactOf(enforcer, id, 'SECURITY'), desiredOf(id, 'SECURITY'))).toBe(true);
    expect(sameContact(contactOf(enforcer, id, 'OPERATIONS'), desiredOf(id, 'OPERATIONS'))).toBe(true);
  });

  it('runs the whole organization once for a changed configuration, and nothing for the same one deployed again', async () => {
    const deploy = deployInput(desiredStateHash(EXAMPLE_CONFIG));
    // A few accounts keep the test cheap; the run still lists the whole organization.
    const small = reconciledOrganization();
    small.accounts = small.accounts.slice(0, 6);
    await serve(enforcer, small);

    const first = await run(deploy);
    const again = await run(deploy);

    expect(first).toMatchObject({ trigger: 'deploy', accountsFailed: 0 });
    expect(first.accountsProcessed).toBe(small.accounts.filter((account) => account.status === 'ACTIVE').length);
    expect(again).toMatchObject({ plan: { status: 'SKIPPED', reason: expect.stringContaining('duplicate of run') } });
  });
});
