import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import { ConfigError, MalformedInputError } from '#shared/rules/errors';
import type { Report, WorkList } from '#shared/rules/model';
import { formatSummary } from '#shared/report/text';
import { duplicateKeyIn } from '#shared/rules/input-shape';
import { parseRunInput, type RunInput } from '#shared/events/run-input';
import { saveReportFiles } from './report-files.ts';
import { defaultOrganization, generatedOrganization, MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from './scenario.ts';
import { applyEvent, savedOrganization, type SimState } from '../simulator/index.ts';

const HELP = `Run a whole reconciliation on this machine: the real state machine definition in a local engine, the real
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
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Where the CLI reads and writes: the process's own streams, or a test's. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The folder that relative paths and .local-state/ are taken from. */
  readonly cwd: string;
  /** Progress redraws one line on a terminal, and prints every tenth on a pipe. */
  readonly isTTY: boolean;
}

export const EXIT = { finished: 0, refusedOrFailed: 1, usage: 2 } as const;

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

function parseCommandLine(argv: string[], cwd: string) {
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

type Options = ReturnType<typeof parseCommandLine>;

// Step Functions takes at most 256 KiB of execution input. https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
const MAX_INPUT_BYTES = 256 * 1024;

/** JSON text as the execution's input, or MalformedInputError naming the flag. */
function jsonInput(flag: string, text: string): unknown {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_INPUT_BYTES) throw new MalformedInputError(`${flag}: is ${Math.ceil(bytes / 1024)} KiB; Step Functions accepts at most 256 KiB of input`);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new MalformedInputError(`${flag}: is not JSON (${(error as Error).message})`);
  }
  const duplicate = duplicateKeyIn(text);
  if (duplicate) throw new MalformedInputError(duplicate);
  return input;
}

/** The execution input (the event file, the console JSON, or `{}`), parsed and checked before anything runs. */
function executionInput(options: Options, cwd: string): { input: unknown; run: RunInput } {
  let input: unknown = {};
  if (options.event !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, options.event), 'utf8');
    } catch (error) {
      throw new MalformedInputError(`--event: cannot read ${options.event} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    input = jsonInput('--event', text);
  } else if (options.input !== undefined) {
    input = jsonInput('--input', options.input);
  }
  const run = parseRunInput(input);
  if (options.event !== undefined && run.trigger === 'manual') {
    throw new MalformedInputError(`--event: ${options.event} holds console input, not an EventBridge event; give it with --input`);
  }
  return { input, run };
}

/** What the input asks for, in words, before the run starts. */
function explain(run: RunInput): string {
  switch (run.trigger) {
    case 'manual': {
      const accounts = run.accountIds ? `${run.accountIds.length === 1 ? 'account' : 'accounts'} ${run.accountIds.join(', ')}` : 'the whole organization';
      return `console input: ${accounts}${run.dryRun ? ', dry run' : ''}`;
    }
    case 'schedule':
      return `scheduled event ${run.firing}: the whole organization`;
    case 'control-tower':
    case 'organizations':
      return `${run.trigger === 'control-tower' ? 'Control Tower CreateManagedAccount' : 'Organizations CreateAccountResult'} event, state ${run.state}: ${run.accountId ? `account ${run.accountId}` : 'no account to reconcile'}`;
    case 'account-joined':
      return `Organizations AccountJoinedOrganization event (${run.joinedMethod}): ${
        'joinedSearch' in run ? `no account id, so the accounts that joined between ${run.joinedSearch.from} and ${run.joinedSearch.to}` : `account ${run.accountId}`
      }`;
    case 'account-moved':
      return `Organizations MoveAccount event: account ${run.accountId}, at the parent Organizations names now`;
    case 'contact-changed':
      return `Account ${run.contactType} contact changed at ${run.eventTime}: account ${run.accountId}`;
    case 'deploy':
      return `configuration ${run.configHash.slice(0, 12)} deployed${run.firstDeploy ? ' with a new stack' : ''}: the whole organization`;
    case 'tag-change':
      return `Organizations tag change on ${run.resourceId}: ${run.accountId ? `account ${run.accountId}` : 'not an account, nothing to reconcile'}`;
  }
}

/**
 * An event cannot carry dryRun, and --input may hold an event as well as console input, so every dry run (and every
 * unapplied AWS run) runs in audit mode: no input can turn it into a write.
 */
function effectiveConfig(config: EnforcerConfig, options: Options): EnforcerConfig {
  const readOnly = options.dryRun || (options.target === 'aws' && !options.apply);
  return readOnly ? { ...config, mode: 'audit' } : config;
}

function organizationFor(options: Options, config: EnforcerConfig, saved: ReturnType<typeof savedOrganization>): SimState {
  return saved.load() ?? (options.accounts ? generatedOrganization(config, options.accounts, 1) : defaultOrganization(config));
}

/** An event reports something done (a move, a join, a hand edit): the simulated organization is made to match first. */
function withEventApplied(organization: SimState, input: unknown, options: Options): SimState {
  if (options.event !== undefined) applyEvent(organization, input as Record<string, unknown>);
  return organization;
}

function progress(io: CliIo, total: () => number) {
  let done = 0;
  return () => {
    done += 1;
    const all = total();
    if (io.isTTY) io.err(`\r  reconciled ${done}/${all} accounts`);
    else if (done === all || done % Math.max(1, Math.ceil(all / 10)) === 0) io.err(`  reconciled ${done}/${all} accounts\n`);
  };
}

/** How long the run took on this machine, and in simulated time when a simulated clock ran. */
function took(started: { wall: number; simulated: number }, simulated: boolean): string {
  const wall = `${((performance.now() - started.wall) / 1000).toFixed(1)} s`;
  return simulated ? `${wall} (${((Date.now() - started.simulated) / 1000).toFixed(1)} s of simulated time)` : wall;
}

async function runEnforcer(options: Options, io: CliIo): Promise<number> {
  const config = effectiveConfig(loadConfig(resolve(io.cwd, options.config)), options);
  const { input, run } = executionInput(options, io.cwd);
  const scenario = options.accounts ? `generated-${options.accounts}` : 'default';
  const stateDir = resolve(io.cwd, '.local-state', options.target === 'aws' ? 'aws' : scenario);
  if (options.reset) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  // Each contact write is journalled as it lands, so a run killed halfway leaves what AWS would (journal.ts).
  const saved = savedOrganization(join(stateDir, 'organization.json'));

  let accountCount = 0;
  const onRecorded = progress(io, () => accountCount);
  // Loaded only once the flags and the input are known good: a usage error answers without loading the engine, the
  // tasks and the AWS SDK.
  const { startLocalEnforcer } = await import('./enforcer.ts');
  const enforcer = await startLocalEnforcer({
    config,
    target: options.target,
    organization: options.target === 'simulator' ? withEventApplied(organizationFor(options, config, saved), input, options) : undefined,
    onContactWrite: (account) => saved.recordWrite(account),
    enforcerAccountId: options.topology === 'delegated' ? SECURITY_ACCOUNT_ID : MANAGEMENT_ACCOUNT_ID,
    managementRoleArn: options.managementRoleArn,
    dynamoPath: join(stateDir, 'dynamodb'),
    executionsPath: join(stateDir, 'executions'),
    speedup: options.speedup,
    quotaScale: options.quotaScale,
    latencyMs: options.latency,
    // The tasks log for CloudWatch, one JSON line each; at a terminal the refusal or the report says it already.
    logLevel: options.verbose ? 'INFO' : 'SILENT',
    onTask: ({ state, output, error }) => {
      if (state === 'ListAccounts' && output) accountCount = (output as WorkList).accountCount;
      if (state === 'RecordResult' && !error) onRecorded();
    },
  });
  const where = options.target === 'aws' ? `AWS account ${enforcer.enforcerAccountId}` : `simulated organization (${options.topology} topology, time ×${options.speedup})`;
  io.err(`Alternate Contacts Enforcer: ${config.mode === 'audit' ? 'audit' : 'enforce'} run against the ${where}\nInput: ${explain(run)}\n`);
  try {
    // Wall time from performance.now, which the simulated clock leaves real; simulated time from Date, which it scales.
    const started = { wall: performance.now(), simulated: Date.now() };
    const execution = await enforcer.run(input);
    if (io.isTTY && accountCount) io.err('\n');
    if (execution.status === 'FAILED') {
      io.err(`Run failed: ${execution.error?.message}\n`);
      return EXIT.refusedOrFailed;
    }
    const output = execution.output as Report | { plan: { status: string; reason?: string } };
    if (!('counts' in output)) {
      io.out(`Nothing to do: ${output.plan.reason ?? output.plan.status}\n`);
      return EXIT.finished;
    }
    io.out(`${formatSummary(output)}\n`);
    io.out(`\nDelivery: SNS ${output.delivery.sns}, Slack ${output.delivery.slack}. Took ${took(started, enforcer.clock !== undefined)}.\n`);
    io.out(`${await saveReportFiles(enforcer, output, resolve(io.cwd, options.reportDir ?? join(stateDir, 'reports', output.runId)), io.cwd)}\n`);
    if (options.reportJson) writeFileSync(resolve(io.cwd, options.reportJson), `${JSON.stringify(output, null, 2)}\n`);
    return EXIT.finished;
  } finally {
    if (enforcer.simulator) saved.save(enforcer.simulator.state);
    await enforcer.close();
  }
}

const isParseArgsError = (error: unknown): error is Error => error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');

/**
 * `npm start`: parses the command line, checks the configuration and the input, then runs the enforcer. Returns
 * the exit code, and never throws: every refusal is one message, never a stack trace.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const options = parseCommandLine(argv, io.cwd);
    if (options.help) {
      io.out(`${HELP}\n`);
      return EXIT.finished;
    }
    return await runEnforcer(options, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`${error.message}\nSee npm start -- --help\n`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) io.err(`${error.message}\nNothing was run.\n`);
    else if (error instanceof MalformedInputError) io.err(`Run failed: MalformedInputError: ${error.message}\nNothing was run.\n`);
    else io.err(`Run failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return EXIT.refusedOrFailed;
  }
}
