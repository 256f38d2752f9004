import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** `npm start`'s flags: what each takes, and the refusal of a wrong command line before anything is read or run. */

export const HELP = `Run a whole reconciliation on this machine: the real state machine definition in a local engine, the real
tasks, and a simulated organization (or your AWS organization with --target aws).

Usage: npm start -- [options]

  --config FILE           configuration file (default: config/alternate-contacts.yaml)
  --accounts N            a generated organization of N accounts instead of the built-in 40
  --event FILE            start with an EventBridge event, e.g. events/*.json (events/README.md)
  --input JSON            start with console input: '{}', '{"accountIds":["222222222222"]}', '{"dryRun":true}'
  --dry-run               read and compare, write nothing
  --report-json FILE      also write the report as JSON (shape: README, "Report JSON")
  --report-dir DIR        write report.json, report.csv and report.html there
                          (default: .local-state/<organization>/reports/<runId>/)
  --topology single|delegated
                          simulator: run as the management account (single, default) or as the delegated
                          administrator 333333333333 with the management account behind a role (delegated)
  --target simulator|aws  aws: your own credentials and endpoint settings (AWS_PROFILE, AWS_ENDPOINT_URL, ...);
                          a dry run unless --apply
  --apply                 with --target aws: write the contacts
  --management-role-arn ARN
                          with --target aws from a delegated administrator: the management account's role
  --reset                 forget the saved organization and run history, start over
  --speedup N             simulated time runs N times faster: quotas refill and new accounts get ready faster,
                          retry pauses shrink (default 10)
  --quota-scale X         multiply the Account API quotas, e.g. 0.1 for a throttling storm (default 1)
  --latency MS            simulated latency per AWS call (default 20)
  --verbose               also print the tasks' own JSON logs (INFO and up); without it, the terminal shows
                          only the run's lines, and a refusal is its one line
  --help                  this text

State is kept in .local-state/ between runs, so a second run sees the first run's writes.

Exit codes: 0 the run finished (it may still report FAILED accounts); 1 nothing was written because the
configuration, the input or the event was refused, or the run failed; 2 the command line itself is wrong.`;

/** The command line itself is wrong: exit code 2, and nothing is read or run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  config: { type: 'string' },
  accounts: { type: 'string' },
  event: { type: 'string' },
  input: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'report-json': { type: 'string' },
  'report-dir': { type: 'string' },
  topology: { type: 'string' },
  target: { type: 'string' },
  apply: { type: 'boolean' },
  'management-role-arn': { type: 'string' },
  reset: { type: 'boolean' },
  speedup: { type: 'string' },
  'quota-scale': { type: 'string' },
  latency: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/**
 * Every flag once, and every value given in full: an unset shell variable (`--input "$INPUT"`) must not turn into
 * "no input", which is a whole-organization run, and a second `--input` must not quietly replace the first.
 */
function refuseBlankAndRepeated(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name}: given twice; give it once`);
    seen.add(token.name);
    if (token.value !== undefined && token.value.trim() === '') throw new UsageError(`--${token.name}: must not be empty or blank`);
  }
}

export function parseCommandLine(argv: string[], cwd: string) {
  const { values, tokens } = parseArgs({ args: argv, strict: true, allowPositionals: false, tokens: true, options: OPTIONS });
  refuseBlankAndRepeated(tokens);
  const number = (flag: string, text: string, min: number, max: number, integer = false) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new UsageError(`--${flag}: must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  const oneOf = <T extends string>(flag: string, value: string, allowed: readonly T[]): T => {
    if (!allowed.includes(value as T)) throw new UsageError(`--${flag}: must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  };
  if (values.event !== undefined && values.input !== undefined) throw new UsageError('--event and --input: give one or the other');
  const target = oneOf('target', values.target ?? 'simulator', ['simulator', 'aws'] as const);
  if (values.apply && target !== 'aws') throw new UsageError('--apply: only with --target aws (the simulator is always written)');
  if (target === 'aws' && values.accounts !== undefined) throw new UsageError('--accounts: only with the simulator');
  if (target !== 'aws' && values['management-role-arn'] !== undefined) throw new UsageError('--management-role-arn: only with --target aws');
  // Found out only after the run has written would be too late: the exit code would then say nothing was written.
  if (values['report-json'] !== undefined && !existsSync(dirname(resolve(cwd, values['report-json'])))) {
    throw new UsageError(`--report-json: the folder ${dirname(values['report-json'])} does not exist`);
  }
  return {
    config: values.config ?? 'config/alternate-contacts.yaml',
    event: values.event,
    input: values.input,
    dryRun: values['dry-run'] === true,
    reportJson: values['report-json'],
    reportDir: values['report-dir'],
    target,
    apply: values.apply === true,
    managementRoleArn: values['management-role-arn'],
    reset: values.reset === true,
    verbose: values.verbose === true,
    help: values.help === true,
    topology: oneOf('topology', values.topology ?? 'single', ['single', 'delegated'] as const),
    accounts: values.accounts === undefined ? undefined : number('accounts', values.accounts, 1, 20_000, true),
    speedup: number('speedup', values.speedup ?? '10', 1, 10_000),
    quotaScale: number('quota-scale', values['quota-scale'] ?? '1', 0.01, 100),
    latency: number('latency', values.latency ?? '20', 0, 10_000, true),
  };
}

export type Options = ReturnType<typeof parseCommandLine>;
