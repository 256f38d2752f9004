import type { DesiredSource } from '../rules/contacts.ts';
import type { ReportModel } from './model.ts';
import { ouPathText, ouText } from './ou-names.ts';

/**
 * report.csv's columns, in order. The run's id and time are on every row, so a year of files concatenates into one
 * table. `differing_fields` is `;`-separated; `ou_path` is `Root / Workloads (ou-…) / Prod (ou-…)` (an OU whose name could not
 * be read by its id alone); `guarded` is yes or no with a guardrail
 * configured (its SCP binds the account), empty without one.
 */
export const CSV_HEADER = [
  'run_id',
  'reported_at',
  'account_id',
  'account_name',
  'ou_path',
  'type',
  'desired_source',
  'outcome',
  'differing_fields',
  'reason',
  'guarded',
] as const;

// Excel reads a UTF-8 file without a byte order mark as the local code page and garbles non-ASCII account names;
// with it, Excel, LibreOffice and Google Sheets all read UTF-8. report.json is the file for programs.
const BYTE_ORDER_MARK = '\uFEFF';
// A cell a spreadsheet would run as a formula (OWASP "CSV Injection"): = + - @, and tab or carriage return, which
// some spreadsheets strip before looking. A leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: text that starts like a formula is defused, then quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** How a source reads in the CSV: `default`, `ou:Workloads (ou-ab12-cd34ef56)`, `tag`, `account`. */
export const sourceLabel = (source: DesiredSource, names: Readonly<Record<string, string>>): string =>
  source.layer === 'ou' ? `ou:${ouText(source.id, names)}` : source.layer;

/** report.csv: RFC 4180 (CRLF line ends, quoted fields), UTF-8 with a byte order mark, one row per entry. */
export function renderCsv({ run, entries }: ReportModel): string {
  const rows = entries.map((entry) =>
    [
      run.runId,
      run.reportedAt,
      entry.accountId,
      entry.accountName,
      ouPathText(entry.ouPath, run.ouNames),
      entry.type,
      sourceLabel(entry.source, run.ouNames),
      entry.outcome,
      entry.fields.join(';'),
      entry.reason ?? '',
      entry.guarded === undefined ? '' : entry.guarded ? 'yes' : 'no',
    ].map(csvField),
  );
  return `${BYTE_ORDER_MARK}${[CSV_HEADER, ...rows].map((row) => `${row.join(',')}\r\n`).join('')}`;
}
