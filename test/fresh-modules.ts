import { afterAll, vi } from 'vitest';
import { restoreSdkMocks } from './sdk-mock.ts';

/**
 * The unit and end-to-end files share their worker's modules (vitest.config.ts): packages load once per worker, which
 * cuts the suite's CPU time by a third. The project's own modules are loaded afresh for every file, because tasks read
 * their configuration and environment and build their clients when imported, as in Lambda.
 *
 * What a file changes in the process (environment, clock, timers, globals, SDK mocks) is put back before the next file
 * in the worker starts, not only when the file ends: a file that fails at import or in a hook never reaches its own
 * afterAll, and what it left would otherwise fail every file after it (test/isolation.test.ts proves this).
 */

// The process as the worker started, kept across files on the worker's global (this module is loaded once per file).
const WORKER_START = Symbol.for('alternate-contacts-enforcer.test.worker-start');
const start = ((globalThis as Record<symbol, unknown>)[WORKER_START] ??= {
  environment: { ...process.env },
  Date: globalThis.Date,
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  random: Math.random,
}) as { environment: NodeJS.ProcessEnv; Date: DateConstructor; setTimeout: typeof setTimeout; setInterval: typeof setInterval; random: () => number };

function restoreWorkerStart(): void {
  restoreSdkMocks();
  for (const name of Object.keys(process.env)) if (!(name in start.environment)) delete process.env[name];
  Object.assign(process.env, start.environment);
  vi.useRealTimers();
  vi.unstubAllGlobals();
  Object.assign(globalThis, { Date: start.Date, setTimeout: start.setTimeout, setInterval: start.setInterval });
  Math.random = start.random;
}

restoreWorkerStart();
vi.resetModules();
// Also when the file ends, so that nothing of it outlives the run in a worker that has no next file.
afterAll(restoreWorkerStart);
