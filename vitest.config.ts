import { defineConfig } from 'vitest/config';

// Tuned for the 2-core machines this project is tested on (README, "Testing").
const shared = {
  // Worker threads start faster than child processes and measured about 10% quicker here; nothing under test calls
  // process.chdir, which threads cannot.
  pool: 'threads' as const,
  setupFiles: ['test/setup.ts'],
  // End-to-end runs drive the local engine and the simulator through real retries.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

/** The unit and end-to-end files; test/isolation.test.ts runs its broken cases with these very settings. */
export const UNIT_AND_E2E = {
  ...shared,
  name: 'unit-and-e2e',
  include: ['test/**/*.test.ts'],
  exclude: ['test/infra/**'],
  // Files share their worker's packages, loaded once; each file loads the project's own modules afresh and first puts
  // back whatever an earlier file in the worker left changed, even one that failed at import (test/fresh-modules.ts).
  isolate: false,
  setupFiles: [...shared.setupFiles, 'test/fresh-modules.ts'],
};

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores, which on a 2-core machine runs every file in a single
    // worker. Two workers keep both cores busy; the type check's process shares them.
    maxWorkers: 2,
    // The type check runs beside the tests and fails the run on a type error (test/type-check.ts).
    globalSetup: ['test/type-check.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // The infra files share their worker's module graph, so test/infra/synth.ts synthesizes each context once per
          // worker. (One worker for them alone would need its own sequence group, which vitest runs after the other.)
          isolate: false,
        },
      },
      { test: UNIT_AND_E2E },
    ],
  },
});
