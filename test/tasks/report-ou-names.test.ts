import { CopyObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccountResult } from '#shared/rules/model';
import { ENV } from '#shared/aws/env';
import { BUCKET, documents, lambdaContext, loadReport, plan, published, result, s3, slackText, storedFile, storeRun, target, useReportBench, work } from './report-support.ts';

useReportBench();

const WORKLOADS = 'ou-ab12-cd34ef56';
const PROD = 'ou-ab12-pr0dpr0d';
const PATH = [WORKLOADS, PROD];
const NAMED_PATH = `Root / Workloads (${WORKLOADS}) / Prod (${PROD})`;

// alpha is compliant, with SECURITY set by an override on Workloads; gamma was denied.
const placed = (id: string, name: string, types: AccountResult['types'], status: AccountResult['status'] = 'OK'): AccountResult => ({
  ...result(id, name, types, status, PATH),
  sources: { SECURITY: { layer: 'ou', id: WORKLOADS } },
});
const runResults = [
  placed('100000000001', 'alpha', { SECURITY: { action: 'UNCHANGED', applied: false }, BILLING: { action: 'UNCHANGED', applied: false } }),
  placed('100000000003', 'gamma', { SECURITY: { action: 'FAILED', reason: 'AccessDeniedError: explicit deny', applied: false }, BILLING: { action: 'UNCHANGED', applied: false } }, 'FAILED'),
];
const chunks = [[target('100000000001', 'alpha', PATH), target('100000000003', 'gamma', PATH)]];
const run = async () => {
  const { handler } = await loadReport({ [ENV.REPORT_BUCKET]: BUCKET });
  return handler({ plan, work: { ...work, accountCount: 2 } }, lambdaContext);
};

beforeEach(() => {
  s3.on(PutObjectCommand).resolves({});
  s3.on(CopyObjectCommand).resolves({});
});

describe('OU names in every view of the report', () => {
  beforeEach(() => storeRun(chunks, runResults, { names: { [WORKLOADS]: 'Workloads', [PROD]: 'Prod' } }));

  it('the text (SNS and Slack): a failed account under its OU path, each OU by name beside its id', async () => {
    await run();

    expect(published()?.Message).toContain(`  100000000003 (gamma) under ${NAMED_PATH}, SECURITY: AccessDeniedError: explicit deny`);
    expect(slackText()).toBe(published()?.Message);
  });

  it('the execution output: where each failed account sits, and those OUs\' names', async () => {
    const report = await run();

    expect(report.ouPaths).toEqual({ '100000000003': PATH });
    expect(report.ouNames).toEqual({ [WORKLOADS]: 'Workloads', [PROD]: 'Prod' });
    expect(report).not.toHaveProperty('ouNamesNote');
  });

  it("report.json: the run's OU names beside the entries' OU ids", async () => {
    await run();

    const json = JSON.parse(storedFile('report.json')) as { run: { ouNames: unknown }; entries: { ouPath: string[] }[] };
    expect(json.run.ouNames).toEqual({ [WORKLOADS]: 'Workloads', [PROD]: 'Prod' });
    expect(json.entries[0]?.ouPath).toEqual(PATH);
  });

  it('report.csv: the OU path and an OU override by name and id', async () => {
    await run();

    const [, row] = storedFile('report.csv').split('\r\n');
    expect(row).toContain(`,${NAMED_PATH},SECURITY,ou:Workloads (${WORKLOADS}),UNCHANGED,`);
  });

  it('report.html: each group headed by its OU path of names and ids, and an OU override by name', async () => {
    await run();

    const html = storedFile('report.html');
    expect(html).toContain(`[["${NAMED_PATH}",[`);
    expect(html).toContain(`"from OU Workloads (${WORKLOADS})"`);
  });
});

describe('an OU name that cannot be read', () => {
  const unread = { ouIds: [PROD], error: 'AccessDeniedException: not authorized to perform organizations:DescribeOrganizationalUnit' };
  const NOTE = `The name of OU ${PROD} could not be read (${unread.error}): those OUs show by id alone; nothing else in this report is affected.`;

  it('shows that OU by its id alone, the others by name, and says so once in each view', async () => {
    storeRun(chunks, runResults, { names: { [WORKLOADS]: 'Workloads' }, unread });

    const report = await run();

    const path = `Root / Workloads (${WORKLOADS}) / ${PROD}`;
    expect(published()?.Message).toContain(`  100000000003 (gamma) under ${path}, SECURITY:`);
    expect(published()?.Message?.split('\n')).toContain(`Note: ${NOTE}`);
    expect(report.ouNamesNote).toBe(NOTE);
    expect(storedFile('report.csv')).toContain(`,${path},`);
    expect((JSON.parse(storedFile('report.json')) as { run: unknown }).run).toMatchObject({ ouNames: { [WORKLOADS]: 'Workloads' }, ouNamesNote: NOTE });
    expect(storedFile('report.html')).toContain(`<p class="meta" data-note="ou-names">${NOTE}</p>`);
    expect(report).toMatchObject({ accountsProcessed: 2, accountsFailed: 1, delivery: { sns: 'SENT', slack: 'SENT' } });
  });

  it('reports by OU id alone, and says why, when the stored names cannot be read at all', async () => {
    storeRun(chunks, runResults);
    documents.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'OUNAMES#' } }).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));

    const report = await run();

    expect(published()?.Message).toContain(`  100000000003 (gamma) under Root / ${WORKLOADS} / ${PROD}, SECURITY:`);
    expect(report.ouNamesNote).toMatch(/^The OU names could not be read \(RunTableError: run table: reading the OU names failed: ProvisionedThroughputExceededException: Throughput exceeded\): those OUs show by id alone; nothing else in this report is affected\.$/);
    expect(report.bookkeepingErrors).toBeUndefined();
  });
});
