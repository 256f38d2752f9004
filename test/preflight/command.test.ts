import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { ConfigError } from '#shared/rules/errors';
import { type PreflightTarget, preflightCommand } from '../../preflight/command.ts';

/** The command's own decisions, made before any check runs: flags, usage, exit codes. */
const unusedTarget: PreflightTarget = vi.fn(async () => async () => {});
let printed: MockInstance<typeof console.log>;
let errors: MockInstance<typeof console.error>;

beforeEach(() => {
  printed = vi.spyOn(console, 'log').mockImplementation(() => {});
  errors = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('npm run preflight', () => {
  it('prints its usage for --help and exits 0', async () => {
    expect(await preflightCommand(['--help'], { simulator: unusedTarget })).toBe(0);
    expect(printed.mock.calls[0]?.[0]).toMatch(/^Usage: npm run preflight -- \[--target aws\|simulator\] \[--config FILE\]/);
  });

  it.each([
    ['an unknown flag', ['--bogus'], "Unknown option '--bogus'"],
    ['an unknown target', ['--target', 'moon'], '--target must be aws or simulator'],
  ])('exits 2 on %s, with the usage', async (_, args, message) => {
    expect(await preflightCommand(args, { simulator: unusedTarget })).toBe(2);
    expect(errors.mock.calls[0]?.[0]).toContain(message);
    expect(errors.mock.calls[0]?.[0]).toContain('Usage:');
  });

  it('refuses a configuration it cannot read before starting any target', async () => {
    await expect(preflightCommand(['--target', 'simulator', '--config', 'no-such-file.yaml'], { simulator: unusedTarget })).rejects.toBeInstanceOf(ConfigError);
    expect(unusedTarget).not.toHaveBeenCalled();
  });
});
