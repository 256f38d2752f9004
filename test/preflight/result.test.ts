import { CloudTrailServiceException, UnsupportedOperationException } from '@aws-sdk/client-cloudtrail';
import { AccessDeniedException, AWSOrganizationsNotInUseException, UnsupportedAPIEndpointException } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { resultOfError } from '../../preflight/result.ts';

const metadata = { $metadata: { httpStatusCode: 400 } };
/** An AWS answer with this error code, as the SDK raises it for a code its model does not name. */
const answered = (name: string, message: string) => new CloudTrailServiceException({ name, message, $fault: 'client', ...metadata });

describe('resultOfError: what a check that threw reports', () => {
  it.each([
    ['AccessDeniedException (Organizations)', new AccessDeniedException({ message: "You don't have permissions to access this resource.", ...metadata })],
    ['AccessDenied (STS, CloudFormation)', answered('AccessDenied', 'User is not authorized to perform: cloudformation:DescribeStacks')],
    ['UnsupportedOperationException (CloudTrail)', new UnsupportedOperationException({ message: 'This operation is not supported.', ...metadata })],
    ['UnsupportedAPIEndpointException (Organizations, this Region)', new UnsupportedAPIEndpointException({ message: "This action isn't available in the current AWS Region.", ...metadata })],
    ['OptInRequired (a Region or service not enabled)', answered('OptInRequired', 'The AWS access key ID needs a subscription for the service.')],
    ['AuthFailure (a Region not enabled)', answered('AuthFailure', 'AWS was not able to validate the provided access credentials.')],
  ])('SKIPPED with the answer for %s: it cannot be told from here', (_, error) => {
    expect(resultOfError('some-check', error)).toEqual({ id: 'some-check', status: 'SKIPPED', detail: `could not be made: ${error.name}: ${error.message}` });
  });

  it.each([
    ['AWSOrganizationsNotInUseException', new AWSOrganizationsNotInUseException({ message: 'Your account is not a member of an organization.', ...metadata })],
    ['InvalidClientTokenId (credentials that are not valid)', answered('InvalidClientTokenId', 'The security token included in the request is invalid.')],
    ['ThrottlingException', answered('ThrottlingException', 'Rate exceeded')],
  ])('FAIL with the answer for any other AWS answer: %s', (_, error) => {
    expect(resultOfError('some-check', error)).toMatchObject({ status: 'FAIL', detail: `AWS answered ${error.name}: ${error.message}`, fix: expect.any(String) });
  });

  it.each([
    ['a TypeError', () => (undefined as unknown as { accounts: unknown }).accounts],
    ['an Error named like an AWS answer that AWS never sent', () => {
      throw Object.assign(new Error('made up'), { name: 'AccessDeniedException' });
    }],
    ['a network failure', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    }],
  ])('FAIL, naming the error and where it was thrown, for %s', (_, crash) => {
    let thrown: unknown;
    try {
      crash();
    } catch (error) {
      thrown = error;
    }

    const result = resultOfError('some-check', thrown);

    expect(result.status).toBe('FAIL');
    expect(result.detail).toMatch(/^the check failed with \w+: .+ \(at test\/preflight\/result\.test\.ts:\d+:\d+\)$/);
  });

  it('FAIL for a thrown value that is no Error', () => {
    expect(resultOfError('some-check', 'a string')).toMatchObject({ status: 'FAIL', detail: 'the check failed with a string' });
  });
});
