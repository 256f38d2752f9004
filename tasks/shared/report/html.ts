import { createHash } from 'node:crypto';
import type { ContactType } from '../rules/contacts.ts';
import { OUTCOMES, type Refusal, type RunWarning, type TypeCounts } from '../rules/model.ts';
import { CLIENT_SCRIPT } from './html-client.ts';
import { countKey, type ReportEntry, type ReportModel } from './model.ts';
import { ouPathText, ouText } from './ou-names.ts';
import { receivedText, REFUSAL_OUTCOME } from './refusal.ts';

// Colour and text both carry the outcome, so the matrix stays readable in grey print and for colour-blind readers.
const STYLE = `
:root { font: 14px/1.4 system-ui, sans-serif; color: #1b1f24; }
body { margin: 0 auto; max-width: 1400px; padding: 16px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 20px 0 8px; }
h3 { font-size: 13px; margin: 14px 0 4px; padding: 4px 8px; background: #eef1f4; border-radius: 4px; }
.meta { color: #57606a; margin: 0 0 12px; } .meta b { color: #1b1f24; font-weight: 600; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
.tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 12px; min-width: 110px; }
.tile strong { display: block; font-size: 22px; }
table.counts { border-collapse: collapse; } .counts th, .counts td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: right; }
.counts th:first-child { text-align: left; }
.controls { position: sticky; top: 0; background: #fff; padding: 8px 0; display: flex; gap: 12px; align-items: center; z-index: 2; border-bottom: 1px solid #d0d7de; }
.controls input { min-width: 260px; }
.row { display: grid; grid-template-columns: 9em minmax(10em, 1fr) repeat(var(--types), minmax(11em, 1.3fr)); gap: 3px; min-height: 37px; margin-bottom: 3px; align-items: stretch; }
.row > span { padding: 2px 6px; overflow-wrap: anywhere; } .row .id { font-family: ui-monospace, monospace; }
.head { font-weight: 600; position: sticky; top: 44px; background: #fff; z-index: 1; min-height: 0; }
.cell { border-radius: 4px; font-size: 12px; } .cell b { display: block; font-size: 11px; letter-spacing: .03em; }
.cell small { display: block; } .cell .source { color: #57606a; } .dim { opacity: .3; }
.o-UNCHANGED { background: #dafbe1; } .o-ASSIGNED { background: #ddf4ff; } .o-UPDATED { background: #b6e3ff; }
.o-DELETED { background: #fbefff; } .o-SKIPPED { background: #eaeef2; } .cell.not-applied { background: #fff1c2; }
.o-FAILED { background: #ffd8d3; border-left: 4px solid #cf222e; }
.refused { border: 2px solid #cf222e; border-radius: 6px; background: #ffebe9; padding: 4px 16px; margin: 12px 0; }
.refused h2 { color: #a40e26; } .refused p { margin: 6px 0; overflow-wrap: anywhere; }
.warning { border: 2px solid #9a6700; border-radius: 6px; background: #fff8c5; padding: 4px 16px; margin: 12px 0; }
.warning h2 { color: #7d4e00; } .warning p { margin: 6px 0; overflow-wrap: anywhere; }
.legend span { padding: 2px 8px; border-radius: 4px; margin-right: 4px; font-size: 12px; }
.guard { display: block; font-size: 11px; color: #0550ae; } .guard-drift { border: 2px solid #bf8700; border-radius: 6px; background: #fff8c5; padding: 4px 16px; margin: 12px 0; }
@media print {
  :root { font-size: 10px; } body { max-width: none; padding: 0; } .controls, noscript { display: none; }
  .head { position: static; } .row, h3 { break-inside: avoid; } .block.placeholder { height: auto !important; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`;

/** The page allows only its own inline style and script: it loads nothing, and no injected script could run. */
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(CLIENT_SCRIPT)}`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** What a cell says under its outcome: the reason, then the differing fields. */
function detailOf(entry: ReportEntry): string {
  const fields = entry.fields.length > 0 ? `fields: ${entry.fields.join(', ')}` : '';
  return [entry.reason, fields].filter(Boolean).join('; ');
}

const sourceText = (entry: ReportEntry, names: Readonly<Record<string, string>>) =>
  entry.source.layer === 'default' ? '' : entry.source.layer === 'ou' ? `from OU ${ouText(entry.source.id, names)}` : `from ${entry.source.layer} override`;

/** Outcome index, detail, source, and 1 for a change a dry run did not apply. */
type Cell = [number, string?, string?, 1?];
/** Account id, name, one cell per type, and 1 when the guardrail binds the account. */
type AccountRow = [string, string, Cell[], 1?];

/** The page's data: accounts grouped by OU path (by name and id), each with one compact cell per type. */
function pageData({ run, entries }: ReportModel) {
  const groups = new Map<string, Map<string, AccountRow>>();
  for (const entry of entries) {
    const ou = ouPathText(entry.ouPath, run.ouNames);
    const group = groups.get(ou) ?? new Map<string, AccountRow>();
    groups.set(ou, group);
    const row: AccountRow = group.get(entry.accountId) ?? (entry.guarded ? [entry.accountId, entry.accountName, [], 1] : [entry.accountId, entry.accountName, []]);
    group.set(entry.accountId, row);
    const [detail, source] = [detailOf(entry), sourceText(entry, run.ouNames)];
    const cell: Cell = [OUTCOMES.indexOf(entry.outcome)];
    if (detail || source || entry.applied === false) cell.push(detail);
    if (source || entry.applied === false) cell.push(source);
    if (entry.applied === false) cell.push(1);
    row[2][run.types.indexOf(entry.type)] = cell;
  }
  return { types: run.types, outcomes: OUTCOMES, total: run.accounts, groups: [...groups].map(([ou, rows]) => [ou, [...rows.values()]]) };
}

// Inside <script>, "</script" or "<!--" would end or confuse the element: no "<" may appear raw.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const tile = (label: string, value: number, key: string) => `<div class="tile" data-total="${key}"><strong>${value}</strong>${label}</div>`;

function countsTable(types: readonly ContactType[], counts: ReportModel['run']['counts']): string {
  const head = `<tr><th>Type</th>${OUTCOMES.map((o) => `<th class="o-${o}">${o}</th>`).join('')}</tr>`;
  const rows = types.map(
    (type) => `<tr><th>${type}</th>${OUTCOMES.map((o) => `<td data-type="${type}" data-outcome="${o}">${counts[type]?.[countKey(o)] ?? 0}</td>`).join('')}</tr>`,
  );
  return `<table class="counts">${head}${rows.join('')}</table>`;
}

/** A refused input, first thing on the page: no account is listed below, and this says why. */
const refusalBanner = (refusal: Refusal) => `<section class="refused" role="alert">
<h2>Input refused</h2>
<p><b>${escapeHtml(refusal.message)}</b></p>
<p>Received: ${escapeHtml(receivedText(refusal))}</p>
<p>${REFUSAL_OUTCOME}</p>
</section>`;

/** The run's warnings, once each, above the counts. */
const warningBanner = (warnings: readonly RunWarning[]) => `<section class="warning" role="status">
<h2>Warning</h2>
${warnings.map((warning) => `<p data-warning="${warning.code}">${escapeHtml(warning.message)}</p>`).join('\n')}
</section>`;

const changes = (totals: TypeCounts) => totals.assigned + totals.updated + totals.deleted;

/** The guardrail's coverage, and every guarded account that drifted anyway, called out above the matrix. */
function guardrailSection(guardrail: NonNullable<ReportModel['run']['guardrail']>, names: Readonly<Record<string, string>>): string {
  const coverage = `<p class="meta">Guardrail: <b>${guardrail.guarded} of ${guardrail.accounts} accounts guarded</b> · the SCP locks ${guardrail.lockedTypes.join(', ')}</p>`;
  if (guardrail.drifted.length === 0) return coverage;
  const items = guardrail.drifted
    .map((d) => `<li>${escapeHtml(d.accountId)} (${escapeHtml(d.accountName)}) under ${escapeHtml(ouPathText(d.ouPath, names))}: ${d.types.join(', ')}</li>`)
    .join('');
  return `${coverage}<section class="guard-drift" role="alert"><h2>Guarded accounts that drifted anyway</h2>
<p>Only the enforcer and the exempt principals may change these contacts: check who did, and where the guardrail is attached.</p><ul>${items}</ul></section>`;
}

/** report.html: one self-contained page (no network): the summary, then the accounts × types matrix by OU. */
export function renderHtml(report: ReportModel): string {
  const { run } = report;
  const mode = `${run.mode}${run.dryRun ? ', dry run: nothing written' : ''}`;
  const title = `Alternate contacts compliance: ${run.runId}`;
  const columns = ['Account', 'Name', ...run.types].map((name) => `<span>${name}</span>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>Alternate contacts compliance</h1>
<p class="meta">Run <b>${escapeHtml(run.runId)}</b> · trigger <b>${run.trigger}</b> · reported <b>${run.reportedAt}</b> · mode <b>${mode}</b> · configuration <b title="SHA-256 ${run.configHash}">${run.configHash.slice(0, 12)}</b></p>
${run.refusal ? refusalBanner(run.refusal) : ''}${run.warnings ? warningBanner(run.warnings) : ''}<div class="tiles">
${tile('accounts', run.accounts, 'accounts')}${tile('compliant accounts', run.accountsCompliant, 'accountsCompliant')}${tile('changed accounts', run.accountsChanged, 'accountsChanged')}${tile('drifted accounts (not written)', run.accountsDrifted, 'accountsDrifted')}${tile('failed accounts', run.accountsFailed, 'accountsFailed')}${tile('excluded accounts', run.excluded, 'excluded')}
</div>
<div class="tiles">
${tile(run.dryRun ? 'changes (not written: dry run)' : 'changes', changes(run.totals), 'changes')}${tile('failures', run.totals.failed, 'failures')}${tile('skipped', run.totals.skipped, 'skipped')}
</div>
${run.ouNamesNote ? `<p class="meta" data-note="ou-names">${escapeHtml(run.ouNamesNote)}</p>\n` : ''}${run.guardrail ? guardrailSection(run.guardrail, run.ouNames) : ''}<h2>Per type</h2>
${countsTable(run.types, run.counts)}
<h2>Accounts × types</h2>
<div class="controls">
<label>Outcome <select id="outcome"><option value="">all</option>${OUTCOMES.map((o) => `<option>${o}</option>`).join('')}</select></label>
<label>Account <input id="search" type="search" placeholder="id or name"></label>
<span id="shown"></span>
</div>
<div class="row head">${columns}</div>
<div id="matrix"><noscript>The matrix needs JavaScript; report.csv holds the same entries.</noscript></div>
<script type="application/json" id="report-data">${scriptJson(pageData(report))}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
