/**
 * One simulated clock for a whole local run. Everything that waits in a local run waits on `Date` and the global
 * timers: the simulator's token buckets and latency, the local engine's Retry pauses (aws-local-stepfunctions sleeps
 * with setTimeout), the AWS SDK's own retry backoff and adaptive rate limiter, Powertools idempotency expiry and
 * not-ready windows. Installing this clock makes all of them run `speedup` times faster than the wall clock, so
 * simulated time means the same thing at every speed-up: a throttle costs its real (simulated) backoff, no more.
 *
 * Process-wide rather than injected: the SDK's retry sleep and rate limiter, the engine's Retry and Powertools take no
 * clock, and one installer cannot miss a waiter the way per-component injection can.
 * `performance.now` stays real: it measures this machine (wall and CPU time), which is what the bench reports it for.
 * Seeded `Math.random` makes the jitter (the engine's FULL jitter, the SDK's backoff jitter) repeat from run to run.
 */

export interface ClockBase {
  /** Real milliseconds since the epoch. */
  now(): number;
  setTimeout: typeof globalThis.setTimeout;
  setInterval: typeof globalThis.setInterval;
}

export interface SimulatedClock {
  readonly speedup: number;
  /** Simulated milliseconds since the epoch: time runs `speedup` times as fast as the base since the clock started. */
  now(): number;
  /** Real milliseconds a wait of `simulatedMs` takes. */
  realMs(simulatedMs: number): number;
  /** Runs faster or slower from now on; simulated time stays continuous. Timers already set keep their real delay. */
  setSpeedup(speedup: number): void;
}

const REAL: ClockBase = { now: Date.now, setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval };
const RealDate = Date;
const realRandom = Math.random;

function checkedSpeedup(speedup: number): number {
  if (!(speedup > 0) || !Number.isFinite(speedup)) throw new Error(`speedup must be a positive number, got ${speedup}`);
  return speedup;
}

/** A clock that starts at the base's present and runs `speedup` times as fast. */
export function simulatedClock(speedup: number, base: Pick<ClockBase, 'now'> = REAL): SimulatedClock {
  let rate = checkedSpeedup(speedup);
  let realAnchor = base.now();
  let simulatedAnchor = realAnchor;
  const now = () => simulatedAnchor + (base.now() - realAnchor) * rate;
  return {
    get speedup() {
      return rate;
    },
    now,
    realMs: (simulatedMs) => Math.max(0, simulatedMs) / rate,
    setSpeedup(next) {
      simulatedAnchor = now();
      realAnchor = base.now();
      rate = checkedSpeedup(next);
    },
  };
}

/** mulberry32: a small, fast, seedable PRNG, enough for jitter and generated organizations alike. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let installed: SimulatedClock | undefined;

/**
 * Makes `Date.now()`, `new Date()`, `setTimeout` and `setInterval` run on simulated time in this process, and seeds
 * `Math.random`. Returns the clock; `uninstallClock` restores the real ones. One clock per process at a time.
 */
export function installClock(speedup: number, seed: number, base: ClockBase = REAL): SimulatedClock {
  if (installed) throw new Error('a simulated clock is already installed in this process');
  const clock = simulatedClock(speedup, base);
  const scaled = <T extends typeof setTimeout | typeof setInterval>(timer: T) =>
    ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => timer(callback, clock.realMs(ms ?? 0), ...args)) as unknown as T;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [clock.now()] : args, newTarget) as object,
    apply: () => new RealDate(clock.now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? clock.now : Reflect.get(target, key, receiver)),
  });
  globalThis.setTimeout = Object.assign(scaled(base.setTimeout), base.setTimeout);
  globalThis.setInterval = Object.assign(scaled(base.setInterval), base.setInterval);
  Math.random = seededRandom(seed);
  installed = clock;
  return clock;
}

/** The clock installed in this process, if any. */
export function installedClock(): SimulatedClock | undefined {
  return installed;
}

/** Restores the real clock, timers and Math.random. */
export function uninstallClock(): void {
  globalThis.Date = RealDate;
  globalThis.setTimeout = REAL.setTimeout;
  globalThis.setInterval = REAL.setInterval;
  Math.random = realRandom;
  installed = undefined;
}

/** Waits `ms` of simulated time (real time when no clock is installed). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, ms));
}
