import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CONFIG = join(ROOT, 'config/alternate-contacts.yaml');

/** `npm start -- ...args` in a fresh folder, so each case starts from its own .local-state. */
async function start(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'enforcer-cli-'));
  const cli = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'local/run.ts'), '--config', CONFIG, '--speedup', '200', '--latency', '0', ...args];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, cli, { cwd });
    return { code: 0, stdout, stderr, cwd };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr, cwd };
  }
}

describe('npm start', () => {
  it('prints the report with the SECURITY lines of the design brief, and writes the report JSON and the report files', async () => {
    const { code, stdout, cwd } = await start('--reset', '--report-json', 'report.json', '--report-dir', 'files');

    expect(code).toBe(0);
    expect(stdout).toMatch(/SECURITY\n {2}Accounts processed: 40\n {2}Assigned: 31\n {2}Updated: 4\n {2}Unchanged: 5\n {2}Skipped: 0\n {2}Failed: 0/);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      ['accountsFailed', 'accountsProcessed', 'changes', 'counts', 'delivery', 'dryRun', 'excluded', 'failures', 'files', 'omitted', 'runId', 'trigger'].sort(),
    );
    expect(stdout).toContain(`Report files: ${join('files', 'report.html')} (also report.csv, report.json)`);
    const files = JSON.parse(readFileSync(join(cwd, 'files/report.json'), 'utf8')) as { entries: { accountId: string; type: string }[] };
    expect(new Set(files.entries.map((e) => `${e.accountId}/${e.type}`)).size).toBe(40 * 3);
    expect(readFileSync(join(cwd, 'files/report.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(1 + 40 * 3);
    expect(readFileSync(join(cwd, 'files/report.html'), 'utf8')).toContain('<td data-type="SECURITY" data-outcome="ASSIGNED">31</td>');
  });

  it('documents every flag in --help', async () => {
    const { code, stdout } = await start('--help');

    expect(code).toBe(0);
    for (const flag of ['--accounts', '--event', '--input', '--dry-run', '--config', '--report-json', '--report-dir', '--target', '--apply', '--reset']) expect(stdout).toContain(flag);
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--accounts', 'many'], '--accounts: must be a whole number'],
    [['--target', 'azure'], '--target: must be one of simulator, aws'],
    [['--apply'], '--apply: only with --target aws'],
    [['--event', 'x.json', '--input', '{}'], '--event and --input'],
  ])('refuses %j with a clear message and exit code 2', async (args, message) => {
    const { code, stderr } = await start(...args);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('refuses a bad configuration with its path and rule, and runs nothing', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'enforcer-config-')), 'bad.yaml');
    writeFileSync(bad, readFileSync(CONFIG, 'utf8').replace('phone: "+1 555 0100"', 'phone: "call us"'));

    const { code, stderr, stdout } = await start('--config', bad);

    expect(code).toBe(1);
    expect(stderr).toContain('contacts.SECURITY.phone: may hold only digits, spaces and ()+-');
    expect(stdout).not.toContain('Accounts processed');
  });

  it('writes nothing with --dry-run when the --input is an event, which cannot carry dryRun', async () => {
    const scheduledEvent = readFileSync(join(ROOT, 'test/fixtures/events/scheduled.json'), 'utf8');

    const { code, stdout, cwd } = await start('--dry-run', '--input', scheduledEvent);

    expect(code).toBe(0);
    expect(stdout).toContain('DRY RUN');
    const saved = JSON.parse(readFileSync(join(cwd, '.local-state/default/organization.json'), 'utf8')) as { accounts: { id: string; contacts: Record<string, unknown> }[] };
    expect(saved.accounts.filter((a) => a.contacts.SECURITY).length).toBe(9);
  });

  it('fails a malformed input naming the field, and writes nothing', async () => {
    const { code, stderr, cwd } = await start('--input', '{"accountIds": ["12345"]}');

    expect(code).toBe(1);
    expect(stderr).toContain('accountIds');
    expect(stderr).toContain('Run failed: MalformedInputError: accountIds.0: must be a 12-digit account id');
    const saved = JSON.parse(readFileSync(join(cwd, '.local-state/default/organization.json'), 'utf8')) as { accounts: { id: string; contacts: Record<string, unknown> }[] };
    expect(saved.accounts.filter((a) => a.contacts.SECURITY).length).toBe(9);
  });
});
