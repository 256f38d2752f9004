import { AccountClient, type AccountClientConfig, DeleteAlternateContactCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#shared/rules/config';
import type { Report } from '#shared/rules/model';
import { formatSummary } from '#shared/report/text';
import type { LocalEnforcer } from '../../local-run/enforcer.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID, ROOT_ID, SANDBOX_ACCOUNT_ID, SECURITY_ACCOUNT_ID, SECURITY_OU_ID, WORKLOADS_OU_ID } from '../../local-run/scenario.ts';
import { credentialsFor, ouPaths } from '../../simulator/index.ts';
import { contactOf, EXAMPLE_CONFIG, reconcile, startHarness } from '../local-run/harness.ts';

const BREAK_GLASS_ROLE = 'BreakGlass';
// The Security OU holds the delegated administrator the enforcer runs in: the guardrail binds its account too.
const CONFIG = parseConfig({ ...EXAMPLE_CONFIG, guardrail: { targets: [SECURITY_OU_ID, WORKLOADS_OU_ID], exemptPrincipalArns: [`arn:aws:iam::*:role/${BREAK_GLASS_ROLE}`] } });
const HAND_EDIT = { AlternateContactType: 'SECURITY' as const, Name: 'Someone Else', Title: 'Intern', EmailAddress: 'someone@example.net', PhoneNumber: '+1 555 0999' };
const SCP_DENIAL = /^User: arn:aws:iam::\d{12}:user\/simulator is not authorized to perform: account:(Put|Delete)AlternateContact on resource: arn:aws:account::\d{12}:account with an explicit deny in a service control policy: arn:aws:organizations::111111111111:policy\/o-[a-z0-9]+\/service_control_policy\/p-contactguardrail$/;

describe('the contact guardrail, enforced by the simulated organization, end to end (delegated topology)', () => {
  let enforcer: LocalEnforcer;
  let report: Report;
  const state = () => enforcer.simulator!.state;
  const guardrail = () => state().policies!.find((policy) => policy.name === 'AlternateContactsEnforcer-ContactGuardrail')!;
  const client = (credentials: AccountClientConfig['credentials']) =>
    new AccountClient({ endpoint: enforcer.simulator!.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  /** A person signed in to the account itself: a standalone call, bound by the SCPs above that account. */
  const personIn = (accountId: string) => client(credentialsFor(accountId));
  const workloadsMember = () => state().accounts.find((account) => ouPaths(state()).get(account.id)?.includes(WORKLOADS_OU_ID) && account.status === 'ACTIVE')!;

  beforeAll(async () => {
    enforcer = await startHarness({ organization: defaultOrganization(CONFIG, { newAccountReadyInMs: 0 }), topology: 'delegated', config: CONFIG });
    report = await reconcile(enforcer);
  });
  afterAll(() => enforcer.close());

  it('is attached where the configuration says, as a deploy attaches it', () => {
    expect(guardrail().targets).toEqual([SECURITY_OU_ID, WORKLOADS_OU_ID]);
  });

  it('lets the enforcer write, from a delegated administrator inside a target, in organization context and in its own account', () => {
    expect(report.accountsFailed).toBe(0);
    expect(report.failures).toEqual([]);
    expect(report.counts.SECURITY).toMatchObject({ assigned: 31, updated: 4, failed: 0 });
    expect(contactOf(enforcer, SECURITY_ACCOUNT_ID, 'SECURITY')?.email).toBe('security@example.com');
    expect(contactOf(enforcer, workloadsMember().id, 'SECURITY')?.email).toBe('security@example.com');
  });

  it('reports how many accounts it guards, from their OU paths, and calls out the guarded accounts that drifted', () => {
    const paths = ouPaths(state());
    const inScope = state().accounts.filter((account) => account.status === 'ACTIVE' && !paths.get(account.id)?.includes('ou-ab12-qu4r4nt1'));
    const guarded = inScope.filter((account) => [SECURITY_OU_ID, WORKLOADS_OU_ID].some((ou) => paths.get(account.id)?.includes(ou)));

    expect(report.guardrail).toMatchObject({ lockedTypes: ['SECURITY', 'BILLING', 'OPERATIONS'], guarded: guarded.length, accounts: report.accountsProcessed });
    expect(guarded.length).toBeGreaterThan(10);
    // The first run after the guardrail is attached finds the drift from before it: each guarded account is named.
    expect(report.guardrail!.drifted.map((d) => d.accountId)).toContain(workloadsMember().id);
    expect(report.guardrail!.drifted.map((d) => d.accountId)).not.toContain(MANAGEMENT_ACCOUNT_ID);
    // What `npm start` prints, and SNS and Slack send.
    expect(formatSummary(report)).toContain(`Guardrail: ${guarded.length} of ${report.accountsProcessed} accounts guarded (the SCP locks SECURITY, BILLING, OPERATIONS)`);
  });

  it("refuses a member's own Put and Delete of a locked type, naming the service control policy, and changes nothing", async () => {
    const member = workloadsMember().id;
    const before = contactOf(enforcer, member, 'SECURITY');

    const put = personIn(member).send(new PutAlternateContactCommand(HAND_EDIT));
    await expect(put).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(SCP_DENIAL) });
    const remove = personIn(member).send(new DeleteAlternateContactCommand({ AlternateContactType: 'SECURITY' }));
    await expect(remove).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(SCP_DENIAL) });

    expect(contactOf(enforcer, member, 'SECURITY')).toEqual(before);
  });

  it('lets an exempt principal (break-glass) of a guarded member edit', async () => {
    const member = workloadsMember().id;
    const session = enforcer.simulator!.roleSession(`arn:aws:iam::${member}:role/${BREAK_GLASS_ROLE}`, 'incident-42');

    await client(session).send(new PutAlternateContactCommand(HAND_EDIT));

    expect(contactOf(enforcer, member, 'SECURITY')?.email).toBe(HAND_EDIT.EmailAddress);
    // Repaired at the next run, which calls the account out: a guarded contact changed all the same.
    const next = await reconcile(enforcer, { accountIds: [member] });
    expect(next.guardrail).toMatchObject({ guarded: 1, accounts: 1, drifted: [{ accountId: member, types: ['SECURITY'] }] });
    expect(contactOf(enforcer, member, 'SECURITY')?.email).toBe('security@example.com');
  });

  it('leaves accounts outside the targets free to edit', async () => {
    await personIn(SANDBOX_ACCOUNT_ID).send(new PutAlternateContactCommand(HAND_EDIT));

    expect(contactOf(enforcer, SANDBOX_ACCOUNT_ID, 'SECURITY')?.email).toBe(HAND_EDIT.EmailAddress);
  });

  it('never binds the management account, even attached to the root, while every member below the root is bound', async () => {
    guardrail().targets.push(ROOT_ID);
    try {
      await personIn(MANAGEMENT_ACCOUNT_ID).send(new PutAlternateContactCommand(HAND_EDIT));
      expect(contactOf(enforcer, MANAGEMENT_ACCOUNT_ID, 'SECURITY')?.email).toBe(HAND_EDIT.EmailAddress);
      await expect(personIn(SANDBOX_ACCOUNT_ID).send(new PutAlternateContactCommand(HAND_EDIT))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      guardrail().targets.pop();
    }
  });

  it("would stop the enforcer's own writes without its exemption: the delegated administrator is bound by the SCPs above it", async () => {
    const exempting = guardrail().content;
    guardrail().content = exempting.replace(/"ArnNotLike":\{"aws:PrincipalArn":\[[^\]]*\]\}/, '"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/BreakGlass"]}');
    try {
      const member = workloadsMember();
      member.contacts.SECURITY = { name: 'Drifted', title: 'Drifted', email: 'drifted@example.net', phone: '+1 555 0000' };
      const wrong = { ...HAND_EDIT, AccountId: member.id };
      await expect(client(credentialsFor(SECURITY_ACCOUNT_ID)).send(new PutAlternateContactCommand(wrong))).rejects.toMatchObject({ message: expect.stringContaining(`on resource: arn:aws:account::${MANAGEMENT_ACCOUNT_ID}:account/`) });

      const rerun = await reconcile(enforcer, { accountIds: [member.id] });

      expect(rerun.failures[0]?.reason).toMatch(/explicit deny in a service control policy: arn:aws:organizations::/);
    } finally {
      guardrail().content = exempting;
    }
  });
});
