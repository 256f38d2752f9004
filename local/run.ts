import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type EnforcerConfig, loadConfig } from '#shared/config';
import { ConfigError } from '#shared/errors';
import type { Report, WorkList } from '#shared/model';
import { formatSummary } from '#shared/report';
import { startLocalEnforcer } from './enforcer.ts';
import { saveReportFiles } from './report-files.ts';
import { defaultOrganization, generatedOrganization, MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from './scenario.ts';
import { loadState, saveState, type SimState } from './simulator/index.ts';

const HELP = `Run a whole reconciliation on this machine: the real state machine definition in a local engine, the real
tasks, and a simulated organization (or your AWS organization with --target aws).

Usage: npm start -- [options]

  --config FILE           configuration file (default: config/alternate-contacts.yaml)
  --accounts N            a generated organization of N accounts instead of the built-in 40
  --event FILE            start with an EventBridge event, e.g. ../shared/reference/events/*.json
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
  --verbose               the tasks' INFO logs
  --help                  this text

State is kept in .local-state/ between runs, so a second run sees the first run's writes.`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string', default: 'config/alternate-contacts.yaml' },
      accounts: { type: 'string' },
      event: { type: 'string' },
      input: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'report-json': { type: 'string' },
      'report-dir': { type: 'string' },
      topology: { type: 'string', default: 'single' },
      target: { type: 'string', default: 'simulator' },
      apply: { type: 'boolean', default: false },
      'management-role-arn': { type: 'string' },
      reset: { type: 'boolean', default: false },
      speedup: { type: 'string', default: '10' },
      'quota-scale': { type: 'string', default: '1' },
      latency: { type: 'string', default: '20' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
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
  if (values.event && values.input) throw new UsageError('--event and --input: give one or the other');
  const target = oneOf('target', values.target, ['simulator', 'aws'] as const);
  if (values.apply && target !== 'aws') throw new UsageError('--apply: only with --target aws (the simulator is always written)');
  if (target === 'aws' && values.accounts) throw new UsageError('--accounts: only with the simulator');
  return {
    ...values,
    target,
    topology: oneOf('topology', values.topology, ['single', 'delegated'] as const),
    accounts: values.accounts === undefined ? undefined : number('accounts', values.accounts, 1, 20_000, true),
    speedup: number('speedup', values.speedup, 1, 10_000),
    quotaScale: number('quota-scale', values['quota-scale'], 0.01, 100),
    latency: number('latency', values.latency, 0, 10_000, true),
  };
}

type Options = ReturnType<typeof parseCommandLine>;

/** The execution input: the event file, the console JSON, or `{}`. */
function executionInput(options: Options): unknown {
  if (options.event) {
    try {
      return JSON.parse(readFileSync(options.event, 'utf8'));
    } catch (error) {
      throw new UsageError(`--event: cannot read ${options.event} as JSON: ${(error as Error).message}`);
    }
  }
  try {
    return options.input ? JSON.parse(options.input) : {};
  } catch {
    throw new UsageError(`--input: not JSON: ${options.input}`);
  }
}

/**
 * An event cannot carry dryRun, and --input may hold an event as well as console input, so every dry run (and every
 * unapplied AWS run) runs in audit mode: no input can turn it into a write.
 */
function effectiveConfig(config: EnforcerConfig, options: Options): EnforcerConfig {
  const readOnly = options['dry-run'] || (options.target === 'aws' && !options.apply);
  return readOnly ? { ...config, mode: 'audit' } : config;
}

function organizationFor(options: Options, config: EnforcerConfig, stateFile: string): SimState {
  if (existsSync(stateFile)) return loadState(stateFile);
  return options.accounts ? generatedOrganization(config, options.accounts, 1) : defaultOrganization(config);
}

function progress(total: () => number) {
  let done = 0;
  return () => {
    done += 1;
    const all = total();
    if (process.stderr.isTTY) process.stderr.write(`\r  reconciled ${done}/${all} accounts`);
    else if (done === all || done % Math.max(1, Math.ceil(all / 10)) === 0) process.stderr.write(`  reconciled ${done}/${all} accounts\n`);
  };
}

async function main(argv: string[]): Promise<number> {
  const options = parseCommandLine(argv);
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  const config = effectiveConfig(loadConfig(options.config), options);
  const input = executionInput(options);
  const scenario = options.accounts ? `generated-${options.accounts}` : 'default';
  const stateDir = resolve('.local-state', options.target === 'aws' ? 'aws' : scenario);
  if (options.reset) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const stateFile = join(stateDir, 'organization.json');

  let accountCount = 0;
  const onRecorded = progress(() => accountCount);
  const enforcer = await startLocalEnforcer({
    config,
    target: options.target,
    organization: options.target === 'simulator' ? organizationFor(options, config, stateFile) : undefined,
    enforcerAccountId: options.topology === 'delegated' ? SECURITY_ACCOUNT_ID : MANAGEMENT_ACCOUNT_ID,
    managementRoleArn: options['management-role-arn'],
    dynamoPath: join(stateDir, 'dynamodb'),
    speedup: options.speedup,
    quotaScale: options.quotaScale,
    latencyMs: options.latency,
    logLevel: options.verbose ? 'INFO' : 'WARN',
    onTask: ({ state, output, error }) => {
      if (state === 'ListAccounts' && output) accountCount = (output as WorkList).accountCount;
      if (state === 'RecordResult' && !error) onRecorded();
    },
  });
  const where = options.target === 'aws' ? `AWS account ${enforcer.enforcerAccountId}` : `simulated organization (${options.topology} topology, time ×${options.speedup})`;
  console.error(`Alternate Contacts Enforcer: ${config.mode === 'audit' ? 'audit' : 'enforce'} run against the ${where}`);
  try {
    const started = Date.now();
    const execution = await enforcer.run(input);
    if (process.stderr.isTTY && accountCount) process.stderr.write('\n');
    if (execution.status === 'FAILED') {
      console.error(`Run failed: ${execution.error?.message}`);
      return 1;
    }
    const output = execution.output as Report | { plan: { status: string; reason?: string } };
    if (!('counts' in output)) {
      console.log(`Nothing to do: ${output.plan.reason ?? output.plan.status}`);
      return 0;
    }
    console.log(formatSummary(output));
    console.log(`\nDelivery: SNS ${output.delivery.sns}, Slack ${output.delivery.slack}. Took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    console.log(await saveReportFiles(enforcer, output, options['report-dir'] ?? join(stateDir, 'reports', output.runId)));
    if (options['report-json']) writeFileSync(options['report-json'], `${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } finally {
    if (enforcer.simulator) saveState(stateFile, enforcer.simulator.state);
    await enforcer.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof UsageError) console.error(error.message);
    else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) console.error(`${error.message}\nSee npm start -- --help`);
    else console.error(error);
    process.exit(error instanceof ConfigError ? 1 : 2);
  },
);
