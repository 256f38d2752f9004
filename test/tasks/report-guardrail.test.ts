import { describe, expect, it } from 'vitest';
import { isGuarded } from '#shared/rules/guardrail';
import type { AccountResult, RunPlan, WorkList } from '#shared/rules/model';
import { buildReportModel } from '#shared/report/model';
import type { RunRecords } from '#shared/report/records';
import { digestOf } from '#shared/report/digest';
import { formatSummary } from '#shared/report/text';
import { renderCsv } from '#shared/report/csv';
import { renderHtml } from '#shared/report/html';
import { renderJson } from '#shared/report/json';

const plan: RunPlan = { status: 'RUN', runId: 'nightly-1', trigger: 'schedule', dryRun: false, claimKey: 'schedule:1' };
const work: WorkList = { runId: 'nightly-1', accountCount: 4, excludedCount: 0, chunks: [0], maxConcurrency: 2 };
const modelOf = (records: RunRecords, types: readonly ('SECURITY' | 'BILLING')[] = ['SECURITY', 'BILLING']) =>
  buildReportModel({ records, types, reportedAt: '2026-11-24T03:00:00.000Z', mode: 'enforce', configHash: 'a'.repeat(64) });
const buildReport = (records: RunRecords) => digestOf(modelOf(records));
const result = (accountId: string, accountName: string, types: AccountResult['types'], guarded?: boolean): AccountResult => ({
  accountId,
  accountName,
  status: 'OK',
  dryRun: false,
  types,
  ouPath: ['ou-ab12-cd34ef56'],
  sources: {},
  ...(guarded !== undefined && { guarded }),
});
const compliant = { action: 'UNCHANGED', applied: false } as const;
const updated = { action: 'UPDATE', fields: ['email'], applied: true } as const;
// Guarded and compliant; guarded with SECURITY (locked) updated; guarded with only BILLING (not locked) updated; unguarded and updated.
const results = [
  result('100000000001', 'alpha', { SECURITY: compliant, BILLING: compliant }, true),
  result('100000000002', 'beta', { SECURITY: updated, BILLING: compliant }, true),
  result('100000000003', 'gamma', { SECURITY: compliant, BILLING: updated }, true),
  result('100000000004', 'delta', { SECURITY: updated, BILLING: compliant }, false),
];
const records: RunRecords = { plan, work, chunks: [], results, lockedTypes: ['SECURITY'] };

describe('guardrail coverage in the report', () => {
  it('counts the guarded accounts of the run and calls out those whose locked types drifted anyway', () => {
    const report = buildReport(records);

    expect(report.guardrail).toEqual({ lockedTypes: ['SECURITY'], guarded: 3, accounts: 4, drifted: [{ accountId: '100000000002', accountName: 'beta', ouPath: ['ou-ab12-cd34ef56'], types: ['SECURITY'] }], omitted: 0 });
  });

  it('says "N of M accounts guarded" in the text that the CLI prints and SNS and Slack send, with the drifted accounts', () => {
    const text = formatSummary(buildReport(records));

    expect(text).toContain('Guardrail: 3 of 4 accounts guarded (the SCP locks SECURITY)');
    expect(text).toMatch(/Guarded accounts that drifted anyway[^\n]*\n {2}100000000002 \(beta\) under Root \/ ou-ab12-cd34ef56: SECURITY$/m);
    expect(text).not.toContain('100000000003 (gamma) under');
  });

  it('says nothing of a guardrail when none is configured', () => {
    const report = buildReport({ plan, work, chunks: [], results: results.map(({ guarded: _, ...rest }) => rest) });

    expect(report.guardrail).toBeUndefined();
    expect(formatSummary(report)).not.toContain('Guardrail');
  });

  it('caps the drifted list at 100, counting the rest', () => {
    const many = Array.from({ length: 130 }, (_, i) => result(String(200000000000 + i), `acct-${i}`, { SECURITY: updated }, true));

    const { guardrail } = buildReport({ ...records, results: many });

    expect(guardrail).toMatchObject({ guarded: 130, accounts: 130, omitted: 30 });
    expect(guardrail?.drifted).toHaveLength(100);
  });

  describe('the report files', () => {
    const compliance = modelOf(records);

    it('report.json: the run holds the coverage and every drifted guarded account, each entry whether it is guarded', () => {
      const json = JSON.parse(renderJson(compliance));

      expect(json.run.guardrail).toEqual({ lockedTypes: ['SECURITY'], guarded: 3, accounts: 4, drifted: [{ accountId: '100000000002', accountName: 'beta', ouPath: ['ou-ab12-cd34ef56'], types: ['SECURITY'] }] });
      expect(json.entries.filter((entry: { guarded: boolean }) => entry.guarded)).toHaveLength(6);
      expect(json.entries.find((entry: { accountId: string }) => entry.accountId === '100000000004').guarded).toBe(false);
    });

    it('report.csv: a guarded column, yes or no; empty without a guardrail', () => {
      const rows = renderCsv(compliance).trim().split('\r\n').slice(1);

      expect(rows.filter((row) => row.endsWith(',yes'))).toHaveLength(6);
      expect(rows.filter((row) => row.endsWith(',no'))).toHaveLength(2);
      const plain = modelOf({ plan, work, chunks: [], results: [result('100000000009', 'plain', { SECURITY: compliant })] }, ['SECURITY']);
      expect(renderCsv(plain).trim().split('\r\n')[1]).toMatch(/,UNCHANGED,,,$/);
    });

    it('report.html: the coverage, the drifted guarded accounts called out, and each guarded account marked', () => {
      const html = renderHtml(compliance);

      expect(html).toContain('Guardrail: <b>3 of 4 accounts guarded</b>');
      expect(html).toContain('Guarded accounts that drifted anyway');
      expect(html).toContain('<li>100000000002 (beta) under Root / ou-ab12-cd34ef56: SECURITY</li>');
      expect(html).toContain('["100000000001","alpha",[[0],[0]],1]');
      expect(html).toContain('["100000000004","delta",[');
    });
  });
});

describe('which accounts the guardrail binds', () => {
  const guardrail = { targets: ['ou-ab12-cd34ef56'], exemptPrincipalArns: [] };

  it.each([
    ['an account below the target OU', { id: '100000000001', ouPath: ['ou-ab12-cd34ef56', 'ou-ab12-pr0d0001'] }, true],
    ['an account in another OU', { id: '100000000002', ouPath: ['ou-ab12-sandb0x1'] }, false],
    ['an account directly under the root', { id: '100000000003', ouPath: [] }, false],
  ])('%s: %s', (_case, account, expected) => {
    expect(isGuarded(guardrail, account, '111111111111')).toBe(expected);
  });

  it('binds every member when the root is a target, never the management account', () => {
    const root = { targets: ['r-ab12'], exemptPrincipalArns: [] };

    expect(isGuarded(root, { id: '100000000003', ouPath: [] }, '111111111111')).toBe(true);
    expect(isGuarded(root, { id: '111111111111', ouPath: [] }, '111111111111')).toBe(false);
    expect(isGuarded(undefined, { id: '100000000003', ouPath: [] }, '111111111111')).toBe(false);
  });
});
