import { mockClient } from 'aws-sdk-client-mock';

/** The mocks installed in this worker and not yet restored, kept on the worker's global so they outlive any one file. */
const INSTALLED = Symbol.for('alternate-contacts-enforcer.test.sdk-mocks');
const installed = ((globalThis as Record<symbol, unknown>)[INSTALLED] ??= new Set<{ restore(): void }>()) as Set<{ restore(): void }>;

/**
 * `mockClient`, restored before the worker's next file starts (test/fresh-modules.ts): test files share their worker's
 * SDK modules (vitest.config.ts), so a mock left in place would answer for the next file's real clients. A restore at
 * the next file's start also holds for a file that failed at import or in a hook, whose own afterAll never ran.
 */
export const mockSdkClient: typeof mockClient = (client, options) => {
  const stub = mockClient(client, options);
  installed.add(stub);
  return stub;
};

/** Restores every SDK mock still installed in this worker. */
export function restoreSdkMocks(): void {
  for (const stub of installed) stub.restore();
  installed.clear();
}
