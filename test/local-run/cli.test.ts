import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/rules/config';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { applyEvent } from '../../simulator/index.ts';
import { EXAMPLE_CONFIG_FILE as CONFIG, ROOT, startInProcess as start, TSX_NODE_FLAGS, startWithFreshModules, withDefaults } from '../support/cli.ts';
import { SAMPLE_EVENTS_DIR } from '../support/events.ts';

const EXAMPLE_CONFIG = loadConfig(CONFIG);

/** The real command line, `npm start -- ...args` as a child process, in a fresh folder: where the process itself is under test. */
async function startProcess(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'enforcer-cli-'));
  const cli = [...TSX_NODE_FLAGS, join(ROOT, 'local-run/run.ts'), ...withDefaults(args)];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, cli, { cwd });
    return { code: 0, stdout, stderr, cwd };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr, cwd };
  }
}

const savedOrganization = (cwd: string) =>
  JSON.parse(readFileSync(join(cwd, '.local-state/default/organization.json'), 'utf8')) as { accounts: { id: string; contacts: Record<string, unknown> }[] };

describe('npm start', () => {
  it('prints the report with the SECURITY lines of the design brief, and writes the report JSON and the report files', async () => {
    const { code, stdout, cwd } = await start('--reset', '--report-json', 'report.json', '--report-dir', 'files');

    expect(code).toBe(0);
    expect(stdout).toMatch(/SECURITY\n {2}Accounts processed: 40\n {2}Assigned: 31\n {2}Updated: 4\n {2}Unchanged: 5\n {2}Skipped: 0\n {2}Failed: 0/);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      ['accountsFailed', 'accountsProcessed', 'changes', 'counts', 'delivery', 'dryRun', 'excluded', 'failures', 'files', 'omitted', 'runId', 'skippedAccounts', 'trigger'].sort(),
    );
    expect(report.skippedAccounts).toEqual([
      { accountId: '555500000001', accountName: 'legacy-billing', reason: 'account is SUSPENDED, not ACTIVE' },
      { accountId: '555500000002', accountName: 'old-marketing', reason: 'account is PENDING_CLOSURE, not ACTIVE' },
    ]);
    expect(stdout).toContain(`Report files: ${join('files', 'report.html')} (also report.csv, report.json)`);
    const files = JSON.parse(readFileSync(join(cwd, 'files/report.json'), 'utf8')) as { entries: { accountId: string; type: string }[] };
    expect(new Set(files.entries.map((e) => `${e.accountId}/${e.type}`)).size).toBe(40 * 3);
    expect(readFileSync(join(cwd, 'files/report.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(1 + 40 * 3);
    expect(readFileSync(join(cwd, 'files/report.html'), 'utf8')).toContain('<td data-type="SECURITY" data-outcome="ASSIGNED">31</td>');
  });

  it('documents every flag and the exit codes in --help', async () => {
    const { code, stdout } = await start('--help');

    expect(code).toBe(0);
    for (const flag of ['--accounts', '--event', '--input', '--dry-run', '--config', '--report-json', '--report-dir', '--target', '--apply', '--reset', '--verbose']) expect(stdout).toContain(flag);
    expect(stdout).toContain('Exit codes: 0');
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--accounts', 'many'], '--accounts: must be a whole number'],
    [['--target', 'azure'], '--target: must be one of simulator, aws'],
    [['--apply'], '--apply: only with --target aws'],
    [['--event', 'x.json', '--input', '{}'], '--event and --input'],
    [['--input', ''], '--input: must not be empty or blank'],
    [['--input', '   '], '--input: must not be empty or blank'],
    [['--input='], '--input: must not be empty or blank'],
    [['--event', ''], '--event: must not be empty or blank'],
    [['--config', ''], '--config: must not be empty or blank'],
    [['--report-json', ' '], '--report-json: must not be empty or blank'],
    [['--topology', ''], '--topology: must not be empty or blank'],
    [['--target', ''], '--target: must not be empty or blank'],
    [['--accounts', ''], '--accounts: must not be empty or blank'],
    [['--quota-scale', '\t'], '--quota-scale: must not be empty or blank'],
    [['--management-role-arn', ''], '--management-role-arn: must not be empty or blank'],
    [['--input', '{"accountIds": ["222222222222"]}', '--input', '{}'], '--input: given twice'],
    [['--dry-run', '--dry-run'], '--dry-run: given twice'],
    [['--dry-run=false'], "Option '--dry-run' does not take an argument"],
    [['--verbose', '--verbose'], '--verbose: given twice'],
    [['--verbose=yes'], "Option '--verbose' does not take an argument"],
    [['--input', '--dry-run'], "Option '--input' argument is ambiguous"],
    [['--management-role-arn', 'arn:aws:iam::111111111111:role/x'], '--management-role-arn: only with --target aws'],
  ])('refuses %j with a clear message and exit code 2, and runs nothing', async (args, message) => {
    const { code, stderr, stdout, cwd } = await start(...args);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('See npm start -- --help');
    expect(stdout).toBe('');
    expect(existsSync(join(cwd, '.local-state'))).toBe(false);
  });

  it('refuses a blank --latency, which would otherwise read as 0', async () => {
    const { code, stderr } = await start('--latency', '');

    expect(code).toBe(2);
    expect(stderr).toContain('--latency: must not be empty or blank');
  });

  it('refuses a bad configuration with its path and rule, exit code 1, and runs nothing', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'enforcer-config-')), 'bad.yaml');
    writeFileSync(bad, readFileSync(CONFIG, 'utf8').replace('phone: "+1 555 0100"', 'phone: "call us"'));

    const { code, stderr, stdout } = await start('--config', bad);

    expect(code).toBe(1);
    expect(stderr).toContain('contacts.SECURITY.phone: may hold only digits, spaces and ()+-');
    expect(stdout).not.toContain('Accounts processed');
  });

  it.each([
    ['an account override below a deleting default', 'contacts:\n  SECURITY: { policy: delete }\noverrides:\n  accounts:\n    "111122223333": { SECURITY: { email: mine@example.com } }\n', [
      'overrides.accounts.111122223333.SECURITY.email: is given under policy delete from contacts.SECURITY.policy',
    ]],
    ['aliases nine deep and nine wide before a valid configuration', readFileSync(join(ROOT, 'test/tasks/shared/rules/config/invalid/106-alias-bomb.yaml'), 'utf8'), [
      '(file): line 4: its aliases expand past 100 aliased values, the most allowed',
    ]],
  ])('refuses a configuration with %s, with or without --dry-run: its own message, no stack trace, nothing run', async (_case, text, expected) => {
    const file = join(mkdtempSync(join(tmpdir(), 'enforcer-config-')), 'config.yaml');
    writeFileSync(file, text);

    for (const args of [['--config', file], ['--config', file, '--dry-run']]) {
      const { code, stderr, stdout, cwd } = await start(...args);

      expect(code).toBe(1);
      expect(stderr).toContain(`Invalid configuration ${file}:`);
      for (const line of expected) expect(stderr).toContain(`  - ${line}`);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stdout).toBe('');
      expect(existsSync(join(cwd, '.local-state'))).toBe(false);
    }
  });

  it('fails a malformed input naming the field, exit code 1, and writes nothing: the engine never starts', async () => {
    const { code, stderr, cwd } = await start('--input', '{"accountIds": ["12345"]}');

    expect(code).toBe(1);
    expect(stderr).toContain('accountIds');
    expect(stderr).toContain('Run failed: MalformedInputError: accountIds.0: must be a 12-digit account id');
    expect(existsSync(join(cwd, '.local-state'))).toBe(false);
  });

  it.each([
    ['not JSON', ['--input', '{dryRun: true}'], 'Run failed: MalformedInputError: --input: is not JSON'],
    ['JSON that is no object', ['--input', '0'], 'Run failed: MalformedInputError: (root): must be an event or an object'],
    ['an event file that is not there', ['--event', 'missing.json'], 'Run failed: MalformedInputError: --event: cannot read missing.json (ENOENT)'],
    ['an event carrying dryRun', ['--input', '{"source": "aws.scheduler", "detail-type": "Scheduled Event", "time": "2026-11-21T03:00:00Z", "detail": {}, "dryRun": true}'], 'dryRun: is not a key of an EventBridge event'],
  ])('refuses %s with exit code 1, like any other malformed input', async (_case, args, message) => {
    const { code, stderr, cwd } = await start(...args);

    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(existsSync(join(cwd, '.local-state'))).toBe(false);
  });

  it('refuses console input given as --event, which must hold an EventBridge event', async () => {
    const event = join(mkdtempSync(join(tmpdir(), 'enforcer-event-')), 'event.json');
    writeFileSync(event, '{}');

    const { code, stderr } = await start('--event', event);

    expect(code).toBe(1);
    expect(stderr).toContain('holds console input, not an EventBridge event; give it with --input');
  });

  it('reconciles the account an AccountJoinedOrganization without its account id reports, and says how it found it', async () => {
    const corpusCase = readFileSync(join(ROOT, 'test/tasks/shared/events/run-input/118-run-joined-without-account-id.txt'), 'utf8');
    const event = corpusCase.slice(corpusCase.indexOf('\n') + 1);
    const file = join(mkdtempSync(join(tmpdir(), 'joined-')), 'joined-without-id.json');
    writeFileSync(file, event);
    const organization = defaultOrganization(EXAMPLE_CONFIG);
    applyEvent(organization, JSON.parse(event));
    applyEvent(organization, JSON.parse(event));

    const { code, stdout } = await startWithFreshModules('--event', file);

    expect(organization.accounts.filter((account) => account.joinedAt === '2026-11-21T14:07:40Z').map((account) => account.id)).toEqual(['777700000001']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Warning: AccountJoinedOrganization event \S+ \(CREATED, joinedTime 2026-11-21T14:07:40Z\) has no detail\.serviceEventDetails\.accountId/);
    expect(stdout).toContain('Reconciled instead the account that joined between 2026-11-21T13:52:40.000Z and 2026-11-21T14:22:40.000Z (Organizations JoinedTimestamp): 777700000001 (joined-777700000001).');
    expect(stdout).toContain('ASSIGN SECURITY 777700000001 (joined-777700000001)');
  });

  it('writes nothing with --dry-run when the --input is an event, which cannot carry dryRun', async () => {
    const scheduledEvent = readFileSync(join(SAMPLE_EVENTS_DIR, 'scheduled-nightly.json'), 'utf8');

    const { code, stdout, stderr, cwd } = await startWithFreshModules('--dry-run', '--input', scheduledEvent);

    expect(code).toBe(0);
    expect(stdout).toContain('DRY RUN');
    expect(stderr).toContain('Input: scheduled event');
    expect(savedOrganization(cwd).accounts.filter((a) => a.contacts.SECURITY).length).toBe(9);
  });
});

describe('npm start, as a real process', () => {
  it('shows a refused event as its one line, and the tasks\' JSON logs only with --verbose', async () => {
    const event = join(mkdtempSync(join(tmpdir(), 'enforcer-event-')), 'event.json');
    writeFileSync(event, readFileSync(join(SAMPLE_EVENTS_DIR, 'orgs-create-account-result-succeeded.json'), 'utf8').replaceAll('222222222222', '999999999999'));
    const refusal = 'Run failed: MalformedInputError: accountIds: 999999999999 is not an account of this organization';

    const [quiet, verbose] = await Promise.all([startProcess('--event', event), startProcess('--event', event, '--verbose')]);

    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr.trimEnd().split('\n').at(-1)).toBe(refusal);
    expect(`${quiet.stdout}${quiet.stderr}`).not.toContain('{"level"');
    expect(verbose.code).toBe(1);
    // Powertools writes ERROR lines to stderr and INFO lines to stdout.
    expect(verbose.stderr).toMatch(/^\{"level":"ERROR","message":"Input refused; nothing runs"/m);
    expect(verbose.stdout).toMatch(/^\{"level":"INFO","message":"Run resolved"/m);
    expect(verbose.stderr.trimEnd().split('\n').at(-1)).toBe(refusal);
  });

  it('exits 2 on a blank flag from the real command line, as an unset shell variable gives it', async () => {
    const { code, stderr, cwd } = await startProcess('--input', '');

    expect(code).toBe(2);
    expect(stderr).toContain('--input: must not be empty or blank');
    expect(existsSync(join(cwd, '.local-state'))).toBe(false);
  });
});
