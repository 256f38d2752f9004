import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '#shared/rules/model';
import { CSV_HEADER, renderCsv, csvField } from '#shared/report/csv';
import { renderHtml } from '#shared/report/html';
import { renderJson } from '#shared/report/json';
import { renderReportFiles } from '#shared/report/files';
import { CONTACTS } from '../../support.ts';
import { modelOf as build, OU, plan, REPORTED_AT, result } from './fixtures.ts';

describe('the report model', () => {
  it.each([
    ['an unchanged contact', { action: 'UNCHANGED', applied: false }, { outcome: 'UNCHANGED', fields: [] }],
    ['an applied assignment', { action: 'ASSIGN', applied: true }, { outcome: 'ASSIGNED', applied: true, fields: [] }],
    ['an applied update, with its fields', { action: 'UPDATE', fields: ['email'], applied: true }, { outcome: 'UPDATED', applied: true, fields: ['email'] }],
    ['a missing contact in a dry run', { action: 'ASSIGN', applied: false }, { outcome: 'ASSIGNED', applied: false, reason: 'no contact set; a write would assign it' }],
    ['a different contact in a dry run', { action: 'UPDATE', fields: ['phone'], applied: false }, { outcome: 'UPDATED', applied: false, fields: ['phone'] }],
    ['a fill-missing skip, with its reason', { action: 'SKIP', fields: ['name'], reason: 'policy fill-missing', applied: false }, { outcome: 'SKIPPED', reason: 'policy fill-missing', fields: ['name'] }],
    ['a failure, with its error', { action: 'FAILED', reason: 'AccessDeniedError: no', applied: false }, { outcome: 'FAILED', reason: 'AccessDeniedError: no' }],
  ] as const)('reports %s', (_case, typeOutcome, expected) => {
    const [entry] = build([result('100000000001', 'alpha', { SECURITY: typeOutcome })]).entries;
    expect(entry).toMatchObject({ accountId: '100000000001', accountName: 'alpha', ouPath: [OU], type: 'SECURITY', source: { layer: 'default' }, ...expected });
  });

  it('reports a type the account ignores as SKIPPED and an account-wide error on every type without an outcome', () => {
    const report = build(
      [result('100000000001', 'alpha', { SECURITY: { action: 'UNCHANGED', applied: false } }), result('100000000002', 'beta', {}, { error: 'NoResult: chunk died' })],
      ['SECURITY', 'BILLING'],
    );
    expect(report.entries.map((e) => [e.accountId, e.type, e.outcome, e.reason, e.source.layer])).toEqual([
      ['100000000001', 'SECURITY', 'UNCHANGED', undefined, 'default'],
      ['100000000001', 'BILLING', 'SKIPPED', 'policy ignore: never read', 'account'],
      ['100000000002', 'SECURITY', 'FAILED', 'NoResult: chunk died', 'default'],
      ['100000000002', 'BILLING', 'FAILED', 'NoResult: chunk died', 'account'],
    ]);
  });

  it('has one entry per account and managed type, ordered by OU then name, and counts them per type and in total', () => {
    const unchanged = { action: 'UNCHANGED', applied: false } as const;
    const report = build(
      [
        result('100000000003', 'zeta', { SECURITY: unchanged, OPERATIONS: { action: 'FAILED', reason: 'x', applied: false } }),
        result('100000000002', 'beta', { SECURITY: { action: 'ASSIGN', applied: true }, OPERATIONS: unchanged }, { ouPath: [] }),
        result('100000000001', 'alpha', { SECURITY: unchanged, OPERATIONS: unchanged }),
      ],
      ['OPERATIONS', 'SECURITY'],
    );
    expect(report.entries.map((e) => `${e.accountName}/${e.type}`)).toEqual(['beta/SECURITY', 'beta/OPERATIONS', 'alpha/SECURITY', 'alpha/OPERATIONS', 'zeta/SECURITY', 'zeta/OPERATIONS']);
    expect(report.run).toMatchObject({ types: ['SECURITY', 'OPERATIONS'], accounts: 3, accountsFailed: 1, accountsChanged: 1, accountsDrifted: 0, accountsCompliant: 1, excluded: 2 });
    expect(report.run.counts.SECURITY).toMatchObject({ unchanged: 2, assigned: 1, failed: 0 });
    expect(report.run.counts.OPERATIONS).toMatchObject({ unchanged: 2, failed: 1 });
    expect(report.run.totals).toEqual({ unchanged: 4, assigned: 1, updated: 0, deleted: 0, skipped: 0, failed: 1 });
  });

  it('never carries a contact value, in any file', () => {
    const files = renderReportFiles(build([result('100000000001', 'alpha', { SECURITY: { action: 'UPDATE', fields: ['email', 'phone'], applied: true } })]));
    const values = Object.values(CONTACTS).flatMap((contact) => Object.values(contact));
    for (const file of files) for (const value of values) expect(file.body, file.name).not.toContain(value);
    const entryKeys = new Set(Object.keys(JSON.parse(files[0]!.body).entries[0]));
    expect([...entryKeys].sort()).toEqual(['accountId', 'accountName', 'applied', 'fields', 'ouPath', 'outcome', 'source', 'type']);
  });
});

/** An RFC 4180 reader, to read the CSV back as a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && field === '' && text[i - 1] !== '"') {
      let j = i + 1;
      for (; j < text.length; j++) if (text[j] === '"') { if (text[j + 1] === '"') j++; else break; }
      field = text.slice(i + 1, j).replace(/""/g, '"');
      i = j;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('report.csv', () => {
  it.each([
    ['plain text', 'alpha', 'alpha'],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'a\nb', '"a\nb"'],
    ['a formula', '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['a plus', '+1 555', "'+1 555"],
    ['a minus', '-2+3', "'-2+3"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
  ])('writes %s safely', (_case, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('opens with a byte order mark and the documented header, with one CRLF-ended row per entry that reads back intact', () => {
    const report = build([
      result('100000000001', '=cmd|"/c calc"!A1', { SECURITY: { action: 'FAILED', reason: 'ValidationException: bad, "quoted"\nline', applied: false } }),
      result('100000000002', 'Zürich-prod', { SECURITY: { action: 'UPDATE', fields: ['email', 'phone'], applied: true } }),
    ]);
    const csv = renderCsv(report);

    expect(csv.startsWith('\uFEFFrun_id,reported_at,account_id,account_name,ou_path,type,desired_source,outcome,differing_fields,reason,guarded\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(csv.slice(1));
    expect(header).toEqual([...CSV_HEADER]);
    expect(rows).toEqual([
      ['nightly-1', REPORTED_AT, '100000000001', `'=cmd|"/c calc"!A1`, `Root / ${OU}`, 'SECURITY', 'default', 'FAILED', '', 'ValidationException: bad, "quoted"\nline', ''],
      ['nightly-1', REPORTED_AT, '100000000002', 'Zürich-prod', `Root / ${OU}`, 'SECURITY', 'default', 'UPDATED', 'email;phone', '', ''],
    ]);
  });
});

describe('report.json', () => {
  it("is the model's run and entries, one entry per line", () => {
    const report = build([result('100000000001', 'alpha', { SECURITY: { action: 'UNCHANGED', applied: false } }), result('100000000002', 'beta', { SECURITY: { action: 'ASSIGN', applied: true } })]);
    const json = renderJson(report);

    const { schemaVersion, run, entries } = report;
    expect(JSON.parse(json)).toEqual({ schemaVersion, run, entries });
    expect(json.split('\n').filter((line) => line.includes('"accountId"'))).toHaveLength(2);
    const empty = build([]);
    expect(JSON.parse(renderJson(empty))).toEqual({ schemaVersion: empty.schemaVersion, run: empty.run, entries: empty.entries });
  });
});

describe('report.html', () => {
  const hostile = result('100000000001', '</script><img src=x onerror=alert(1)>', { SECURITY: { action: 'FAILED', reason: '<b>denied</b>', applied: false } });
  const html = renderHtml(build([hostile, result('100000000002', 'beta', { SECURITY: { action: 'ASSIGN', applied: true } })]));

  it('loads nothing from the network and runs only its own script', () => {
    const markup = html.replace(/<script type="application\/json" id="report-data">.*?<\/script>/s, '');
    expect(markup).not.toMatch(/<(link|img|iframe)\b|\ssrc=|https?:\/\//i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'">/);
  });

  it('never lets an account name or a reason become markup', () => {
    expect(html).not.toContain('</script><img');
    expect(html).not.toContain('<b>denied</b>');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('shows the run and the counts per type and outcome in the summary', () => {
    expect(html).toContain('Run <b>nightly-1</b> · trigger <b>schedule</b> · reported <b>2026-11-24T03:00:00.000Z</b>');
    expect(html).toContain('<td data-type="SECURITY" data-outcome="FAILED">1</td>');
    expect(html).toContain('<td data-type="SECURITY" data-outcome="ASSIGNED">1</td>');
    expect(html).toContain('<div class="tile" data-total="changes"><strong>1</strong>changes</div>');
    for (const outcome of OUTCOMES) expect(html).toContain(`<option>${outcome}</option>`);
  });
});

describe('the files of a refused input', () => {
  const refusal = { message: 'source: must be one of aws.scheduler; "<img src=x onerror=alert(1)>": is not a known key', source: '</script><script>alert(1)</script>', eventId: 'e-1' };
  const files = Object.fromEntries(renderReportFiles(build([], ['SECURITY'], { plan: { ...plan, trigger: 'manual' }, refusal })).map((file) => [file.name, file.body]));

  it('carry the refusal in report.json\'s run, with no entry', () => {
    const json = JSON.parse(files['report.json'] ?? '') as { run: Record<string, unknown>; entries: unknown[] };
    expect(json.run).toMatchObject({ refusal, accounts: 0, accountsFailed: 0 });
    expect(json.entries).toEqual([]);
  });

  it('leave report.csv with its header alone', () => {
    expect(files['report.csv']).toBe(`\uFEFF${CSV_HEADER.join(',')}\r\n`);
  });

  it('show the refusal above the summary in report.html, as text, never as markup', () => {
    const html = files['report.html'] ?? '';
    expect(html).toMatch(/<section class="refused" role="alert">\n<h2>Input refused<\/h2>\n<p><b>source: must be one of aws\.scheduler; &quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;: is not a known key<\/b><\/p>/);
    expect(html).toContain('Received: source &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;, event id e-1');
    expect(html.indexOf('class="refused"')).toBeLessThan(html.indexOf('class="tiles"'));
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('show no refusal for a run that was not refused', () => {
    expect(renderHtml(build([]))).not.toContain('class="refused"');
  });
});
