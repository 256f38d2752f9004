import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '#shared/aws/env';
import type { Report } from '#shared/rules/model';
import { LOCAL_REPORT_BUCKET, type LocalEnforcer } from '../../local-run/enforcer.ts';
import { CLOSING_ACCOUNT_ID, defaultOrganization, SUSPENDED_ACCOUNT_ID } from '../../local-run/scenario.ts';
import { readCorpus } from '../support/corpus.ts';
import { startInProcess } from '../support/cli.ts';
import { calls, EXAMPLE_CONFIG, startHarness } from '../local-run/harness.ts';
import { sampleEvent } from '../support/events.ts';

const createAccountResult = sampleEvent('orgs-create-account-result-succeeded.json');
/** Without its account id, a joined event still needs the fields AWS documents: here joinedMethod is gone too. */
const joinedWithoutIdOrMethod = (() => {
  const event = sampleEvent('orgs-account-joined-organization.json') as { detail: { serviceEventDetails: Record<string, unknown> } };
  delete event.detail.serviceEventDetails['accountId'];
  delete event.detail.serviceEventDetails['joinedMethod'];
  return event;
})();
const scheduled = sampleEvent('scheduled-nightly.json');
const withAccount = (event: Record<string, unknown>, accountId: string) => JSON.parse(JSON.stringify(event).replaceAll('222222222222', accountId)) as unknown;
const nested = (depth: number) => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 1);

/**
 * Inputs that must stop the run before anything is written, each with the message the run must fail with.
 * JSON that is no object (0, null, "") never reaches ResolveTargets in the local engine, which cannot evaluate the
 * definition's `$` on it; `npm start` refuses such input before the engine starts (test/tasks/shared/events/run-input-corpus.test.ts).
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

  it.each(MALFORMED)('%s: reported as refused, then the run fails with MalformedInputError naming it, with zero Put calls and no contact changed', async (_case, input, message) => {
    const { published } = enforcer.simulator!.state;
    const before = published.length;

    const execution = await enforcer.run(input);

    expect(execution.status).toBe('FAILED');
    expect(execution.error?.name).toBe('MalformedInputError');
    expect(execution.error?.message).toContain(message);
    const sent = published.slice(before).map((notice) => notice.message.split('\n')[0]);
    expect(sent).toEqual([expect.stringMatching(/^Input refused: /)]);
    expect(sent[0]).toContain(message);
    expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
    expect(JSON.stringify(enforcer.simulator!.state.accounts.map((account) => account.contacts))).toBe(contactsBefore);
  });

  it('reports an AccountJoinedOrganization without its account id or joinedMethod in SNS, the report files, the run table and the Runs metric, then fails the run', async () => {
    const s3Before = { put: calls(enforcer, 's3:PutObject'), copy: calls(enforcer, 's3:CopyObject') };
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';

    const execution = await enforcer.run(joinedWithoutIdOrMethod, 'joined-without-id').finally(() => {
      process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
      vi.restoreAllMocks();
    });

    const missing = 'detail.serviceEventDetails.joinedMethod: must be INVITED or CREATED';
    expect(execution).toMatchObject({ status: 'FAILED', error: { name: 'MalformedInputError', message: expect.stringContaining(missing) } });
    expect(enforcer.simulator!.state.published.at(-1)).toMatchObject({
      subject: 'Alternate contacts: input refused, trigger account-joined [joined-without-id]',
      message: expect.stringContaining(`Input refused: ${missing}`),
    });
    const stored = await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(new GetCommand({ TableName: process.env[ENV.RUN_TABLE], Key: { runId: 'joined-without-id', item: 'REPORT' } }));
    const report = stored.Item?.['report'] as Report;
    expect(report).toMatchObject({ trigger: 'account-joined', refusal: { message: expect.stringContaining(missing), eventName: 'AccountJoinedOrganization' }, accountsProcessed: 0 });
    expect(report.files).toMatchObject({ status: 'STORED', location: expect.stringMatching(/\/joined-without-id\/$/) });
    expect(report.files).not.toHaveProperty('latest');
    const folder = (report.files as { location: string }).location.slice(`s3://${LOCAL_REPORT_BUCKET}/`.length);
    const json = await new S3Client({}).send(new GetObjectCommand({ Bucket: LOCAL_REPORT_BUCKET, Key: `${folder}report.json` }));
    expect(JSON.parse((await json.Body?.transformToString()) ?? '')).toMatchObject({ run: { refusal: { message: expect.stringContaining(missing) } }, entries: [] });
    expect({ put: calls(enforcer, 's3:PutObject') - s3Before.put, copy: calls(enforcer, 's3:CopyObject') - s3Before.copy }).toEqual({ put: 3, copy: 0 });
    const metric = lines.filter((line) => line.startsWith('{"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(metric).toContainEqual(expect.objectContaining({ Runs: 1, Trigger: 'account-joined', Status: 'REFUSED', RefusedInputs: 1 }));
    expect(calls(enforcer, 'account:PutAlternateContact')).toBe(0);
    expect(calls(enforcer, 'account:GetAlternateContact')).toBe(0);
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
  const sample = readCorpus(join(import.meta.dirname, '../tasks/shared/rules/config/invalid'), '.yaml').filter((_, index) => index % 6 === 0);

  it.each(sample)('$file: exit code 1, its message, and no organization was ever served or written', async ({ path, expected }) => {
    const { code, stderr, stdout } = await startInProcess('--config', path, '--reset');

    expect(code).toBe(1);
    expect(stderr).toContain(expected);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});
