import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Report } from '#shared/rules/model';
import { REPORT_FILE_NAMES } from '#shared/report/files';
import type { LocalEnforcer } from './enforcer.ts';
import { credentialsFor } from '../simulator/index.ts';

/**
 * Copies the run's report files out of the simulated bucket into `dir`: the very bytes the Report task stored, as an
 * operator would download them from the stack's bucket. Returns the line that says where they are.
 */
export async function saveReportFiles(enforcer: LocalEnforcer, report: Report, dir: string, cwd: string): Promise<string> {
  const files = report.files;
  if (files?.status === 'FAILED') return `Report files: not stored: ${files.error}`;
  if (files?.status !== 'STORED' || !enforcer.simulator) return 'Report files: none (a run against AWS stores them only from the deployed stack)';
  const [, bucket = '', prefix = ''] = /^s3:\/\/([^/]+)\/(.*)$/.exec(files.location) ?? [];
  const s3 = new S3Client({ endpoint: enforcer.simulator.url, region: 'us-east-1', credentials: credentialsFor(enforcer.enforcerAccountId) });
  mkdirSync(dir, { recursive: true });
  try {
    for (const name of REPORT_FILE_NAMES) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${name}` }));
      writeFileSync(join(dir, name), (await Body?.transformToByteArray()) ?? new Uint8Array());
    }
  } finally {
    s3.destroy();
  }
  const relativeDir = relative(cwd, dir);
  const shown = relativeDir.startsWith('..') ? resolve(dir) : relativeDir || '.';
  return `Report files: ${join(shown, 'report.html')} (also report.csv, report.json)`;
}
