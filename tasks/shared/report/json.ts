import type { ReportModel } from './model.ts';

/** report.json: the model as it stands, the run pretty-printed and one entry per line, so it reads and diffs well. */
export function renderJson(report: ReportModel): string {
  const run = JSON.stringify(report.run, null, 2).replace(/\n/g, '\n  ');
  const entries = report.entries.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n');
  return `{\n  "schemaVersion": ${report.schemaVersion},\n  "run": ${run},\n  "entries": [${entries ? `\n${entries}\n  ` : ''}]\n}\n`;
}
