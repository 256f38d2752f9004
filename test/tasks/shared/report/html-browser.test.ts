import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '#shared/rules/model';
import type { ReportModel } from '#shared/report/model';
import { launchChromium } from '../../../../local-run/chromium.ts';
import { LOCAL_REPORT_BUCKET } from '../../../../local-run/enforcer.ts';
import { saveReportFiles } from '../../../../local-run/download-report-files.ts';
import { defaultOrganization, withAccountApiDenied } from '../../../../local-run/scenario.ts';
import { credentialsFor } from '../../../../simulator/index.ts';
import { EXAMPLE_CONFIG, reconcile, startHarness } from '../../../local-run/harness.ts';

/**
 * report.html from a real local run, in the Chromium or Chrome that local-run/chromium.ts finds, driven by playwright-core:
 * nothing downloads a browser. One launch for the whole file. With no browser, or one that cannot start, the test
 * fails with one line saying what to install or what went wrong; it never skips.
 */
const OUTPUT_DIR = join(import.meta.dirname, '../../../../../test-results/report-browser');
const DENIED_ACCOUNT = '500016001616';

let report: Report;
let files: Pick<ReportModel, 'schemaVersion' | 'run' | 'entries'>;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** The bucket's objects under each key the run wrote, read before the simulator closes. */
const stored = new Map<string, string>();
const FILE_NAMES = ['report.json', 'report.csv', 'report.html'];

beforeAll(async () => {
  const organization = withAccountApiDenied(defaultOrganization(EXAMPLE_CONFIG), DENIED_ACCOUNT);
  // The SCP binds the enforcer only from a member account: the delegated topology.
  const enforcer = await startHarness({ organization, topology: 'delegated' });
  try {
    report = await reconcile(enforcer);
    rmSync(OUTPUT_DIR, { recursive: true, force: true });
    await saveReportFiles(enforcer, report, OUTPUT_DIR, process.cwd());
    files = JSON.parse(readFileSync(join(OUTPUT_DIR, 'report.json'), 'utf8')) as typeof files;
    const s3 = new S3Client({ endpoint: enforcer.simulator!.url, region: 'us-east-1', credentials: credentialsFor(enforcer.enforcerAccountId) });
    const day = files.run.reportedAt.slice(0, 10).replace(/-/g, '/');
    for (const key of FILE_NAMES.flatMap((name) => [`reports/${day}/${report.runId}/${name}`, `latest/${name}`])) {
      stored.set(key, (await s3.send(new GetObjectCommand({ Bucket: LOCAL_REPORT_BUCKET, Key: key })).then((got) => got.Body?.transformToString())) ?? '');
    }
    s3.destroy();
  } finally {
    // Closing the harness restores the real clock: Chromium's launch and page timeouts must run in real time.
    await enforcer.close();
  }

  browser = await launchChromium();
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`file://${join(OUTPUT_DIR, 'report.html')}`);
});

afterAll(async () => {
  await browser?.close();
});

describe('the report files of a local run', () => {
  it("are in the simulated bucket under the run's dated folder and, byte for byte, under latest/", () => {
    const day = files.run.reportedAt.slice(0, 10).replace(/-/g, '/');

    expect(report.files).toMatchObject({ status: 'STORED', location: `s3://${LOCAL_REPORT_BUCKET}/reports/${day}/${report.runId}/` });
    for (const name of FILE_NAMES) {
      const dated = stored.get(`reports/${day}/${report.runId}/${name}`);
      expect(dated, name).toBe(readFileSync(join(OUTPUT_DIR, name), 'utf8'));
      expect(stored.get(`latest/${name}`), name).toBe(dated);
    }
  });
});

describe('report.html in Chromium', () => {
  it('shows summary figures equal to the report counts', async () => {
    const shown = await page.locator('td[data-type]').evaluateAll((cells) =>
      Object.fromEntries(cells.map((cell) => [`${cell.getAttribute('data-type')} ${cell.getAttribute('data-outcome')}`, Number(cell.textContent)])),
    );
    const tiles = await page.locator('[data-total]').evaluateAll((all) => Object.fromEntries(all.map((tile) => [tile.getAttribute('data-total'), Number(tile.querySelector('strong')?.textContent)])));

    expect(shown).toEqual(Object.fromEntries(files.run.types.flatMap((type) => Object.entries(files.run.counts[type]!).map(([outcome, count]) => [`${type} ${outcome.toUpperCase()}`, count]))));
    // The same run as the execution's own report tells it.
    for (const [type, counts] of Object.entries(report.counts)) {
      expect([shown[`${type} ASSIGNED`], shown[`${type} UPDATED`], shown[`${type} FAILED`]], type).toEqual([counts.assigned, counts.updated, counts.failed]);
    }
    expect(tiles).toMatchObject({ accounts: report.accountsProcessed, accountsFailed: report.accountsFailed, excluded: report.excluded, failures: files.run.totals.failed });
    expect(await page.locator('.meta').innerText()).toContain(`trigger ${report.trigger}`);
  });

  it('shows every account once per type', async () => {
    await page.evaluate("window.dispatchEvent(new Event('beforeprint'))");

    const cells = await page.locator('#matrix .row').evaluateAll((rows) =>
      rows.flatMap((row) => [...row.querySelectorAll('.cell')].map((cell) => `${row.getAttribute('data-account')}/${cell.getAttribute('data-type')}`)),
    );
    expect(report.accountsProcessed).toBe(40);
    expect(cells).toHaveLength(40 * 3);
    expect(new Set(cells)).toEqual(new Set(files.entries.map((entry) => `${entry.accountId}/${entry.type}`)));
    expect(pageErrors).toEqual([]);
  });

  it('shows a FAILED cell with its reason', async () => {
    const failed = files.entries.find((entry) => entry.accountId === DENIED_ACCOUNT && entry.outcome === 'FAILED')!;
    const cell = page.locator(`.row[data-account="${DENIED_ACCOUNT}"] .cell[data-type="${failed.type}"]`);

    expect(failed.reason).toMatch(/AccessDenied.*explicit deny in a service control policy/);
    expect(await cell.innerText()).toContain('FAILED');
    expect(await cell.innerText()).toContain(failed.reason);
  });

  it('names each OU: every group heads with its path from the root, each OU by name beside its id', async () => {
    const headings = await page.locator('#matrix h3').allInnerTexts();
    const named = Object.entries(files.run.ouNames);

    expect(named.length).toBeGreaterThan(0);
    for (const [ouId, name] of named) expect(headings.some((heading) => heading.includes(`${name} (${ouId})`)), ouId).toBe(true);
    for (const heading of headings) expect(heading).toMatch(/^Root( \/ [^/()]+ \(ou-[a-z0-9]+-[a-z0-9]+\))* \(\d+ accounts?\)$/);
  });

  it('hides every other account when filtered by an outcome, and saves a screenshot', async () => {
    const withFailure = new Set(files.entries.filter((entry) => entry.outcome === 'FAILED').map((entry) => entry.accountId));
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'report.png'), fullPage: false });

    await page.selectOption('#outcome', 'FAILED');
    // Rows are drawn as their block nears the viewport: wait until none is left undrawn.
    await expect.poll(() => page.locator('#matrix .placeholder').count()).toBe(0);

    const shown = await page.locator('#matrix .row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-account')));
    expect(new Set(shown)).toEqual(withFailure);
    expect(await page.locator('#shown').innerText()).toBe(`${withFailure.size} of 40 accounts shown`);
    await page.screenshot({ path: join(OUTPUT_DIR, 'report-failed.png'), fullPage: false });
  });
});
