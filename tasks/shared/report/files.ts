import { renderCsv } from './csv.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import type { ReportModel } from './model.ts';

export const REPORT_FILE_NAMES = ['report.json', 'report.csv', 'report.html'] as const;
export type ReportFileName = (typeof REPORT_FILE_NAMES)[number];

export interface ReportFile {
  readonly name: ReportFileName;
  readonly contentType: string;
  readonly body: string;
}

/** The three file views of one run's report model; the Report task and the local CLI both write exactly these. */
export function renderReportFiles(report: ReportModel): ReportFile[] {
  return [
    { name: 'report.json', contentType: 'application/json; charset=utf-8', body: renderJson(report) },
    // RFC 4180 registers text/csv with an optional header parameter: the file has one.
    { name: 'report.csv', contentType: 'text/csv; charset=utf-8; header=present', body: renderCsv(report) },
    { name: 'report.html', contentType: 'text/html; charset=utf-8', body: renderHtml(report) },
  ];
}
