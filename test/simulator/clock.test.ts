import { afterEach, describe, expect, it } from 'vitest';
import { type ClockBase, installClock, seededRandom, simulatedClock, uninstallClock } from '../../simulator/clock.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A base clock whose time moves only when a test says so, and whose timers are only recorded. */
interface FakeBase extends ClockBase {
  realNow: number;
  readonly timers: { ms: number; args: unknown[] }[];
}

function fakeBase(): FakeBase {
  const timers: FakeBase['timers'] = [];
  const base: FakeBase = {
    realNow: T0,
    timers,
    now: () => base.realNow,
    setTimeout: ((_callback: () => void, ms: number, ...args: unknown[]) => timers.push({ ms, args })) as unknown as typeof setTimeout,
    setInterval: ((_callback: () => void, ms: number) => timers.push({ ms, args: [] })) as unknown as typeof setInterval,
  };
  return base;
}

describe('simulated clock', () => {
  afterEach(() => uninstallClock());

  it('runs speedup times as fast as the real clock, from the real present', () => {
    const base = fakeBase();
    const clock = simulatedClock(50, base);

    base.realNow += 2_000;

    expect(clock.now()).toBe(T0 + 100_000);
  });

  it('keeps simulated time continuous when the speed-up changes', () => {
    const base = fakeBase();
    const clock = simulatedClock(10, base);
    base.realNow += 1_000;

    clock.setSpeedup(100);
    base.realNow += 1_000;

    expect(clock.now()).toBe(T0 + 10_000 + 100_000);
  });

  it('refuses a speed-up that is not a positive number', () => {
    expect(() => simulatedClock(0)).toThrow('speedup must be a positive number, got 0');
  });

  it('makes Date.now and new Date() read simulated time once installed, and leaves explicit dates alone', () => {
    const base = fakeBase();
    installClock(1000, 1, base);

    base.realNow += 60;

    expect(Date.now()).toBe(T0 + 60_000);
    expect(new Date().getTime()).toBe(T0 + 60_000);
    expect(new Date(0).getTime()).toBe(0);
    expect(new Date() instanceof Date).toBe(true);
  });

  it('shortens every timer by the speed-up, so a wait lasts its full simulated time', () => {
    const base = fakeBase();
    installClock(200, 1, base);

    setTimeout((_argument: string) => undefined, 20_000, 'argument');
    setInterval(() => undefined, 1_000);

    expect(base.timers).toEqual([
      { ms: 100, args: ['argument'] },
      { ms: 5, args: [] },
    ]);
  });

  it('restores the real clock, timers and Math.random when uninstalled', () => {
    const [realSetTimeout, realRandom] = [globalThis.setTimeout, Math.random];
    installClock(10, 1, fakeBase());

    uninstallClock();

    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1_000);
    expect([globalThis.setTimeout, Math.random]).toEqual([realSetTimeout, realRandom]);
  });

  it('allows one clock per process at a time', () => {
    installClock(10, 1, fakeBase());

    expect(() => installClock(10, 1, fakeBase())).toThrow('already installed');
  });

  it('seeds Math.random, so the retry jitter repeats from run to run', () => {
    installClock(10, 42, fakeBase());
    const first = [Math.random(), Math.random(), Math.random()];
    uninstallClock();
    installClock(10, 42, fakeBase());

    const again = [Math.random(), Math.random(), Math.random()];

    expect(again).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('draws jitter spread over [0, 1)', () => {
    const random = seededRandom(7);

    const draws = Array.from({ length: 10_000 }, random);

    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
