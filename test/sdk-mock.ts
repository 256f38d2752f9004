import { mockClient } from 'aws-sdk-client-mock';
import { afterAll } from 'vitest';

/**
 * `mockClient`, restored when the test file ends: test files share their worker's SDK modules (vitest.config.ts),
 * so a mock left in place would answer for the next file's real clients.
 */
export const mockSdkClient: typeof mockClient = (client, options) => {
  const stub = mockClient(client, options);
  afterAll(() => {
    stub.restore();
  });
  return stub;
};
