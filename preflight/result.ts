import { relative } from 'node:path';
import { describeError } from '#shared/rules/errors';

/** One line of the preflight's report. */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIPPED';

export interface CheckResult {
  readonly id: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** FAIL: the exact command or setting that fixes it. */
  readonly fix?: string;
}

export const pass = (id: string, detail: string): CheckResult => ({ id, status: 'PASS', detail });
export const fail = (id: string, detail: string, fix: string): CheckResult => ({ id, status: 'FAIL', detail, fix });
export const warn = (id: string, detail: string): CheckResult => ({ id, status: 'WARN', detail });
export const skipped = (id: string, detail: string): CheckResult => ({ id, status: 'SKIPPED', detail });

/**
 * The AWS answers that mean "cannot tell from here": the caller may not make this read, the API is not offered where
 * it was asked, or the Region is not enabled for the account. Only these make a check SKIPPED.
 * - AccessDenied(Exception), NotAuthorized, UnauthorizedOperation: IAM or an SCP refuses the read
 *   (https://docs.aws.amazon.com/organizations/latest/APIReference/CommonErrors.html, CloudFormation's and STS's
 *   AccessDenied, EC2-style UnauthorizedOperation).
 * - UnsupportedOperation(Exception), UnsupportedAPIEndpointException: the operation is not offered by this service or
 *   in this Region (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html,
 *   https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAWSServiceAccessForOrganization.html).
 * - OptInRequired, AuthFailure: the account has not opted in to the service or Region; a Region that is not enabled
 *   refuses the credentials (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 * Not on the list: invalid credentials (InvalidClientTokenId, UnrecognizedClientException), which the person running
 * the preflight must fix, and every other answer; those FAIL the check with AWS's words.
 */
const CANNOT_TELL_FROM_HERE = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'NotAuthorized',
  'UnauthorizedOperation',
  'UnsupportedOperation',
  'UnsupportedOperationException',
  'UnsupportedAPIEndpointException',
  'OptInRequired',
  'AuthFailure',
]);

/** An error that AWS answered with (the SDK's service exceptions carry the response's `$metadata`). */
const isAwsAnswer = (error: unknown): error is Error => error instanceof Error && '$metadata' in error;

/**
 * A check that threw: SKIPPED only when AWS answered that it cannot be told from here; any other AWS answer FAILs with
 * it, and anything else (a TypeError, a network error) FAILs as the preflight's own failure, with where it threw.
 */
export function resultOfError(id: string, error: unknown): CheckResult {
  if (isAwsAnswer(error) && CANNOT_TELL_FROM_HERE.has(error.name)) return skipped(id, `could not be made: ${describeError(error)}`);
  if (isAwsAnswer(error)) return fail(id, `AWS answered ${describeError(error)}`, 'act on that answer (credentials, Region, organization), then run the preflight again');
  return fail(id, `the check failed with ${describeError(error)}${thrownAt(error)}`, 'if the network and endpoint are fine, this is a defect in the preflight: report it with this line');
}

/** ` (at file:line:column)`, the innermost frame of the error's stack, or nothing. */
function thrownAt(error: unknown): string {
  const frame = error instanceof Error ? error.stack?.split('\n').find((line) => line.trim().startsWith('at ')) : undefined;
  const location = frame?.match(/\(?([^\s()]+:\d+:\d+)\)?$/)?.[1];
  return location ? ` (at ${relative(process.cwd(), location.replace(/^file:\/\//, ''))})` : '';
}
