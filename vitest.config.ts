import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // End-to-end runs drive the local engine and the simulator through real retries.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
