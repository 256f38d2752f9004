import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '#shared/model';
import type { LocalEnforcer } from '../../local/enforcer.ts';
import { CLOSING_ACCOUNT_ID, defaultOrganization, SUSPENDED_ACCOUNT_ID } from '../../local/scenario.ts';
import { readCorpus } from '../support/corpus.ts';
import { startInProcess } from '../support/cli.ts';
import { calls, EXAMPLE_CONFIG, REFERENCE_EVENTS, startHarness } from './harness.ts';

const referenceEvent = (file: string) => JSON.parse(readFileSync(join(REFERENCE_EVENTS, file), 'utf8')) as Record<string, unknown>;
const createAccountResult = referenceEvent('orgs-create-account-result-succeeded.json');
const scheduled = referenceEvent('scheduled-nightly.json');
const withAccount = (event: Record<string, unknown>, accountId: string) => JSON.parse(JSON.stringify(event).replaceAll('222222222222', accountId)) as unknown;
const nested = (depth: number) => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 1);

/**
 * Inputs that must stop the run before anything is written, each with the message the run must fail with.
 * JSON that is no object (0, null, "") never reaches ResolveTargets in the local engine, which cannot evaluate the
 * definition's `$` on it; `npm start` refuses such input before the engine starts (test/tasks/run-input-corpus.test.ts).
 */
const MALFORMED: [string, unknown, string][] = [
  ['input nested 100 deep', { accountIds: ['222222222222'], dryRun: nested(100) }, 'nests deeper than 32 levels'],
  ['a scheduled event carrying dryRun', { ...scheduled, dryRun: true }, 'dryRun: is not a key of an EventBridge event'],
  ['a new-account event carrying accountIds', { ...createAccountResult, accountIds: ['222222222222'] }, 'accountIds: is not a key of an EventBridge event'],
  ['a console input with a misspelt key', { accountIds: ['222222222222'], dryrun: true }, 'dryrun: is not a known key'],
  ['a new-account event for an account outside the organization', withAccount(createAccountResult, '999999999999'), 'accountIds: 999999999999 is not an account of this organization'],
  ['a console input naming an account outside the organization', { accountIds: ['999999999999'] }, 'accountIds: 999999999999 is not an account of this organization'],
];

describe('malformed inputs through the real state machine', () => {
  let enforcer: LocalEnforcer;
  let contactsBefore: string;
  beforeAll(async () => {
    enforcer = await startHarness({ organization: defaultOrganization(EXAMPLE_CONFIG, { newAccountReadyInMs: 0 }) });
    contactsBefore = JSON.stringify(enforcer.simulator!.state.accounts.map((account) => account.contacts));
  });
  afterAll(() => enforcer.close());

  it.each(MALFORMED)('%s: the run fails with MalformedInputError naming it, with zero Put calls and no contact changed', async (_case, input, message) => {
    const execution = await enforcer.run(input);

    expect(execution.status).toBe('FAILED');
    expect(execution.error?.name).toBe('MalformedInputError');
    expect(execution.error?.message).toContain(message);
    expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
    expect(JSON.stringify(enforcer.simulator!.state.accounts.map((account) => account.contacts))).toBe(contactsBefore);
  });

  it.each([
    ['SUSPENDED', SUSPENDED_ACCOUNT_ID],
    ['PENDING_CLOSURE', CLOSING_ACCOUNT_ID],
  ])('reports a targeted %s account as skipped with its state, and writes nothing', async (state, accountId) => {
    const execution = await enforcer.run({ accountIds: [accountId] });

    const report = execution.output as Report;
    expect(report.accountsProcessed).toBe(0);
    expect(report.skippedAccounts).toEqual([expect.objectContaining({ accountId, reason: `account is ${state}, not ACTIVE` })]);
    expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
  });
});

describe('malformed configurations through npm start', () => {
  const sample = readCorpus(join(import.meta.dirname, '../config/invalid'), '.yaml').filter((_, index) => index % 6 === 0);

  it.each(sample)('$file: exit code 1, its message, and no organization was ever served or written', async ({ path, expected }) => {
    const { code, stderr, stdout } = await startInProcess('--config', path, '--reset');

    expect(code).toBe(1);
    expect(stderr).toContain(expected);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});
