import { afterAll, vi } from 'vitest';

/**
 * The unit and end-to-end files share their worker's modules (vitest.config.ts): packages load once per worker, which
 * cuts the suite's CPU time by a third. The project's own modules are loaded afresh for every file, because tasks read
 * their configuration and environment and build their clients when imported, as in Lambda. What a file changes in the
 * process is put back when it ends, even when it fails before closing what it started.
 */
vi.resetModules();

// The globals as the worker started, kept across files: a simulated clock (local/clock.ts) replaces them.
const REAL_GLOBALS = Symbol.for('alternate-contacts-enforcer.test.real-globals');
const real = ((globalThis as Record<symbol, unknown>)[REAL_GLOBALS] ??= {
  Date: globalThis.Date,
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  random: Math.random,
}) as { Date: DateConstructor; setTimeout: typeof setTimeout; setInterval: typeof setInterval; random: () => number };
const environment = { ...process.env };

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
  vi.useRealTimers();
  vi.unstubAllGlobals();
  Object.assign(globalThis, { Date: real.Date, setTimeout: real.setTimeout, setInterval: real.setInterval });
  Math.random = real.random;
});
