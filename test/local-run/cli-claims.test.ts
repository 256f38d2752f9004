import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT, TSX_NODE_FLAGS, withDefaults } from '../support/cli.ts';
import { SAMPLE_EVENTS_DIR } from '../support/events.ts';

/**
 * `npm start` in one folder, run after run, as an operator would: a preview (dry run) of each sample event followed
 * by the same event for real, and a run killed right after its claim followed by the event delivered again.
 */

const JOINED = join(SAMPLE_EVENTS_DIR, 'orgs-account-joined-organization.json');
const SAMPLES = readdirSync(SAMPLE_EVENTS_DIR).filter((file) => file.endsWith('.json'));

/** `npm start -- ...args` in-process in `cwd`, its modules loaded afresh as a new process would load them. */
async function npmStart(cwd: string, ...args: string[]) {
  vi.resetModules();
  const { main } = (await import('../../local-run/cli.ts')) as typeof import('../../local-run/cli.ts');
  let stdout = '';
  let stderr = '';
  const code = await main(withDefaults(args), { out: (text) => (stdout += text), err: (text) => (stderr += text), cwd, isTTY: false });
  return { code, stdout, stderr };
}

describe('npm start, run after run in one folder', () => {
  it.each(SAMPLES)('runs %s for real after a dry run of it: a preview never takes the claim a writing run needs', async (sample) => {
    const cwd = mkdtempSync(join(tmpdir(), 'enforcer-preview-'));

    const preview = await npmStart(cwd, '--dry-run', '--event', join(SAMPLE_EVENTS_DIR, sample));
    const real = await npmStart(cwd, '--event', join(SAMPLE_EVENTS_DIR, sample));

    expect(preview.code, preview.stderr).toBe(0);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).not.toContain('duplicate of run');
  });

  it('reconciles a joined account when its event is delivered again after the run that claimed it was killed', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'enforcer-killed-'));
    // A real process, slowed down (every AWS answer takes 1 s), killed as soon as it has claimed the account.
    const child = spawn(process.execPath, [...TSX_NODE_FLAGS, join(ROOT, 'local-run/run.ts'), ...withDefaults(['--event', JOINED, '--verbose', '--speedup', '1', '--latency', '1000'])], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('"Run resolved"')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the run ended (${code}) before it claimed the account`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const again = await npmStart(cwd, '--event', JOINED);

    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('trigger account-joined: 1 account, 0 failed');
    expect(again.stdout).toMatch(/ASSIGN SECURITY 222222222222/);
  });
});
