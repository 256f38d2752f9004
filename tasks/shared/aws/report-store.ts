import { CopyObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ReportFilesOutcome } from '../rules/model.ts';
import { renderReportFiles, type ReportFile } from '../report/files.ts';
import type { ReportModel } from '../report/model.ts';
import { describeError } from '../rules/errors.ts';

const s3 = new S3Client({});

/** Where one run's report files are: the run's own folder, and `latest/`, which every run overwrites. */
export interface ReportLocation {
  readonly bucket: string;
  /** `reports/<yyyy>/<mm>/<dd>/<runId>/` */
  readonly prefix: string;
  /** Set when this run replaced latest/: whole-organization runs only. */
  readonly latestPrefix?: string;
  /** The run's folder in the S3 console. */
  readonly consoleUrl: string;
}

export const LATEST_PREFIX = 'latest/';

/** The run's folder, dated by the report's time in UTC, so a year's reports list by day. */
function runPrefix(runId: string, reportedAt: string): string {
  const [yyyy, mm, dd] = reportedAt.slice(0, 10).split('-');
  return `reports/${yyyy}/${mm}/${dd}/${runId}/`;
}

/** x-amz-copy-source is URL-encoded, each path segment on its own. */
const copySourceKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/**
 * Writes the files under the run's folder, then, for a whole-organization run, copies them to latest/: a run for one
 * new account must not replace the organization's picture. A copy rather than a second upload: latest/
 * is byte for byte the run's file, and the copy is a server-side operation however large the report.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
 */
async function storeReportFiles(
  bucket: string,
  { runId, reportedAt, updateLatest }: { runId: string; reportedAt: string; updateLatest: boolean },
  files: readonly ReportFile[],
): Promise<ReportLocation> {
  const prefix = runPrefix(runId, reportedAt);
  await Promise.all(
    files.map(({ name, contentType, body }) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body, ContentType: contentType, Metadata: { 'run-id': runId } })),
    ),
  );
  if (updateLatest) {
    await Promise.all(
      files.map(({ name }) =>
        s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${LATEST_PREFIX}${name}`, CopySource: `${bucket}/${copySourceKey(`${prefix}${name}`)}` })),
      ),
    );
  }
  const consoleUrl = `https://us-east-1.console.aws.amazon.com/s3/buckets/${bucket}?region=us-east-1&prefix=${encodeURIComponent(prefix)}`;
  return { bucket, prefix, ...(updateLatest && { latestPrefix: LATEST_PREFIX }), consoleUrl };
}

/**
 * Renders and stores the model's files; never throws: a failure to store them is the outcome, named in the report and
 * its messages. latest/ shows the whole organization, so only a whole-organization run that was not refused replaces it.
 */
export async function storeReportModel(bucket: string, model: ReportModel, wholeOrganization: boolean): Promise<ReportFilesOutcome> {
  try {
    const { runId, reportedAt, refusal } = model.run;
    const stored = await storeReportFiles(bucket, { runId, reportedAt, updateLatest: wholeOrganization && !refusal }, renderReportFiles(model));
    const { prefix, latestPrefix, consoleUrl } = stored;
    return { status: 'STORED', location: `s3://${bucket}/${prefix}`, ...(latestPrefix && { latest: `s3://${bucket}/${latestPrefix}` }), consoleUrl };
  } catch (error) {
    return { status: 'FAILED', error: describeError(error) };
  }
}
