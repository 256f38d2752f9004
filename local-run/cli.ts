import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import { ConfigError, MalformedInputError } from '#shared/rules/errors';
import type { Report, WorkList } from '#shared/rules/model';
import { formatSummary } from '#shared/report/text';
import { executionInput, explain } from './cli-input.ts';
import { HELP, type Options, parseCommandLine, UsageError } from './cli-options.ts';
import { saveReportFiles } from './download-report-files.ts';
import { generatedOrganization } from './generated-organization.ts';
import { defaultOrganization, MANAGEMENT_ACCOUNT_ID, SECURITY_ACCOUNT_ID } from './scenario.ts';
import { applyEvent, savedOrganization, type SimState } from '../simulator/index.ts';

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
