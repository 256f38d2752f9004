import { describe, expect, it } from 'vitest';
import { MalformedInputError } from '#shared/rules/errors';
import { parseRunInput } from '#shared/events/run-input';
import { deployInput } from '../../tasks/shared/events/triggers/deploy.ts';
import { BASE_CONFIG, lambdaContext, loadTask, mockIdempotencyTable } from './support.ts';

mockIdempotencyTable();
const HASH = 'b'.repeat(64);
// Each test deploys its own configuration: one hash is one claim, and a second run of it would be a duplicate.
const hash = (digit: string) => digit.repeat(64);
const planWith = async (triggers: Record<string, unknown>, input: unknown, mode: 'enforce' | 'audit' = 'enforce') => {
  const { handler } = await loadTask(() => import('../../tasks/resolve-targets.ts'), { ...BASE_CONFIG, mode, triggers });
  return handler({ input, executionName: `run-${Math.random()}` }, lambdaContext);
};

describe('the run a new stack\'s deploy starts (triggers.firstDeploy)', () => {
  it('is a dry run by default, though the mode is enforce', async () => {
    expect(await planWith({}, deployInput(HASH, { firstDeploy: true }))).toMatchObject({ status: 'RUN', trigger: 'deploy', dryRun: true });
  });

  it('writes only when the configuration opts in with firstDeploy: enforce', async () => {
    expect(await planWith({ firstDeploy: 'enforce' }, deployInput(hash('c'), { firstDeploy: true }))).toMatchObject({ status: 'RUN', dryRun: false });
  });

  it('stays a dry run in mode audit', async () => {
    expect(await planWith({}, deployInput(hash('d'), { firstDeploy: true }), 'audit')).toMatchObject({ dryRun: true });
  });

  it('does not change a later deploy\'s run, which writes in mode enforce', async () => {
    expect(await planWith({}, deployInput(hash('e')))).toMatchObject({ status: 'RUN', dryRun: false });
  });

  it('refuses a firstDeploy that is not true, naming the field', () => {
    const event = { ...deployInput(HASH), detail: { configHash: HASH, firstDeploy: false } };

    expect(() => parseRunInput(event)).toThrow(MalformedInputError);
    expect(() => parseRunInput(event)).toThrow('detail.firstDeploy: must be true, or left out');
  });
});
