import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { loadConfig } from '#shared/rules/config';
import { CONTACT_TYPES } from '#shared/rules/contacts';
import type { AccountResult, Report, RunPlan, TargetAccount, WorkList } from '#shared/rules/model';
import { launchChromium } from '../local-run/chromium.ts';
import { startLocalEnforcer } from '../local-run/enforcer.ts';
import { saveReportFiles } from '../local-run/download-report-files.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID } from '../local-run/scenario.ts';

/**
 * The report files at scale: the real Report task over N stored account results (on dynalite, into the simulated
 * S3), then report.html in Chromium. Prints figures; asserts nothing. `npm run bench` can call benchReport().
 */

export interface ReportFigures {
  readonly accounts: number;
  readonly entries: number;
  readonly bytes: Record<'json' | 'csv' | 'html', number>;
  /** The Report task: wall time and the heap it grew by at its peak (the Lambda's memory need, above the runtime). */
  readonly taskMs: number;
  readonly taskPeakHeapMiB: number;
  /** report.html in Chromium: until the load event, until the first rows show, and one filter by outcome. */
  readonly htmlLoadMs: number;
  readonly htmlFirstRowsMs: number;
  readonly htmlFilterMs: number;
}

const OUS = Array.from({ length: 40 }, (_, i) => `ou-ab12-${String(i).padStart(8, '0')}`);
// Each OU's name, as list-accounts stores them beside the plan: the report names every OU on every path.
const OU_NAMES = Object.fromEntries(OUS.map((id, i) => [id, `${['Workloads', 'Platform', 'Sandbox', 'Security', 'Shared'][i % 5]}-${String(i).padStart(2, '0')}`]));

/** A deterministic, realistic mix: most accounts compliant, some assigned or updated, a few skipped or failed. */
function resultOf(index: number, runId: string): { account: TargetAccount; result: AccountResult } {
  const id = String(100_000_000_000 + index);
  const ouPath = index % 7 === 0 ? [] : [OUS[index % 5]!, OUS[5 + (index % OUS.length - 5 + OUS.length) % 35]!];
  const sources = { SECURITY: { layer: 'default' as const }, BILLING: { layer: 'default' as const }, OPERATIONS: { layer: 'ou' as const, id: OUS[1]! } };
  const types = Object.fromEntries(
    CONTACT_TYPES.map((type, t) => {
      const roll = (index * 7919 + t * 104_729) % 100;
      if (roll < 70) return [type, { action: 'UNCHANGED', applied: false }];
      if (roll < 85) return [type, { action: 'ASSIGN', applied: true }];
      if (roll < 95) return [type, { action: 'UPDATE', fields: ['email', 'phone'], applied: true }];
      if (roll < 98) return [type, { action: 'SKIP', fields: ['name'], reason: 'policy fill-missing leaves an existing contact alone', applied: false }];
      return [type, { action: 'FAILED', reason: `AccessDeniedError: User: arn:aws:sts::111111111111:assumed-role/AlternateContactsEnforcer-PutContacts/x is not authorized to perform: account:PutAlternateContact on resource ${id} with an explicit deny in a service control policy`, applied: false }];
    }),
  ) as AccountResult['types'];
  const failed = Object.values(types).some((outcome) => outcome.action === 'FAILED');
  const name = `workload-${String(index).padStart(5, '0')}-${['prod', 'staging', 'dev', 'sandbox'][index % 4]}`;
  return {
    account: { id, name, context: 'organization', desired: {}, recentlyJoined: false, ouPath, sources },
    result: { accountId: id, accountName: name, status: failed ? 'FAILED' : 'OK', dryRun: false, types, ouPath, sources },
  };
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(each));
}

export async function benchReport(accounts = 10_000): Promise<ReportFigures> {
  const config = loadConfig('config/alternate-contacts.yaml');
  const enforcer = await startLocalEnforcer({ config, target: 'simulator', organization: defaultOrganization(config), enforcerAccountId: MANAGEMENT_ACCOUNT_ID, logLevel: 'ERROR' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    // The run table and the Report task read the environment startLocalEnforcer set, so they load after it.
    const { putResult, writeChunks, writeOuNames } = await import('#shared/aws/run-table');
    const { handler } = await import('../tasks/report.ts');
    const runId = `bench-report-${accounts}`;
    const rows = Array.from({ length: accounts }, (_, index) => resultOf(index, runId));
    const chunks = Array.from({ length: Math.ceil(accounts / 10) }, (_, c) => rows.slice(c * 10, c * 10 + 10).map(({ account }) => account));
    const storing = performance.now();
    await writeChunks(runId, chunks);
    await writeOuNames(runId, { names: OU_NAMES });
    await inBatches(rows, 50, ({ result }) => putResult(runId, result));
    console.error(`stored ${accounts} results in ${Math.round(performance.now() - storing)} ms`);

    const plan: RunPlan = { status: 'RUN', runId, trigger: 'schedule', dryRun: false, claimKey: `bench:${runId}` };
    const work: WorkList = { runId, accountCount: accounts, excludedCount: 0, chunks: chunks.map((_, c) => c), maxConcurrency: 2 };
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const started = performance.now();
    const report: Report = await handler({ plan, work }, { awsRequestId: 'bench', getRemainingTimeInMillis: () => 300_000 } as Context);
    const taskMs = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);

    await saveReportFiles(enforcer, report, dir, process.cwd());
    const size = (name: string) => statSync(join(dir, name)).size;

    const browser = await launchChromium();
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      const opened = performance.now();
      await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
      const htmlLoadMs = performance.now() - opened;
      await page.locator('#matrix .row').first().waitFor();
      const htmlFirstRowsMs = performance.now() - opened;
      const filtering = performance.now();
      await page.selectOption('#outcome', 'FAILED');
      await page.locator('#matrix .row').first().waitFor();
      const htmlFilterMs = performance.now() - filtering;
      return {
        accounts,
        entries: accounts * CONTACT_TYPES.length,
        bytes: { json: size('report.json'), csv: size('report.csv'), html: size('report.html') },
        taskMs,
        taskPeakHeapMiB: (peak - baseline) / 2 ** 20,
        htmlLoadMs,
        htmlFirstRowsMs,
        htmlFilterMs,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await enforcer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReportFigures(f: ReportFigures): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  const ms = (value: number) => `${Math.round(value)} ms`;
  return [
    `Report files for ${f.accounts.toLocaleString('en')} accounts (${f.entries.toLocaleString('en')} entries)`,
    `  report.json ${mib(f.bytes.json)}, report.csv ${mib(f.bytes.csv)}, report.html ${mib(f.bytes.html)}`,
    `  Report task (read ${f.accounts} results, build, render, store to S3, deliver): ${ms(f.taskMs)}, heap peak +${f.taskPeakHeapMiB.toFixed(0)} MiB`,
    `  report.html in Chromium: load ${ms(f.htmlLoadMs)}, first rows ${ms(f.htmlFirstRowsMs)}, filter by outcome ${ms(f.htmlFilterMs)}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const accounts = Number(process.argv[2] ?? 10_000);
  const figures = await benchReport(accounts);
  // `npm run bench` runs this file in a child process and reads the figures from the last line.
  console.log(process.argv[3] === '--json' ? JSON.stringify(figures) : formatReportFigures(figures));
}
