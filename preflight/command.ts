import { parseArgs } from 'node:util';
import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import { ConfigError } from '#shared/rules/errors';
import { type CheckResult, runChecks } from './checks.ts';

/**
 * `npm run preflight`: read-only checks of the organization the enforcer is about to be deployed into, or was.
 * One line per check; exit 0 when nothing FAILED, 1 otherwise, 2 on a bad flag.
 * The command knows its targets by name; a target other than AWS is handed in by the launcher (local-run/preflight.ts
 * hands in the simulator), so the preflight itself never imports it.
 */

const USAGE = `Usage: npm run preflight -- [--target aws|simulator] [--config FILE]
  --target aws        (default) your credentials and endpoint settings, found as the AWS CLI finds them
                      (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...); run it as the account the topology requires
  --target simulator  the built-in simulated organization
  --config FILE       configuration (default config/alternate-contacts.yaml)`;

/** The longest check id, `account-api-organization`, and two spaces. */
const WIDTH = 26;

/** The report: `STATUS  check  detail`, and under each FAIL the fix. */
export function formatResults(results: readonly CheckResult[]): string {
  const lines = results.flatMap((r) => [`${r.status.padEnd(8)}${r.id.padEnd(WIDTH)}${r.detail}`, ...(r.fix ? [`${' '.repeat(8 + WIDTH)}fix: ${r.fix}`] : [])]);
  const failed = results.filter((r) => r.status === 'FAIL').length;
  lines.push('', failed === 0 ? 'Preflight: nothing FAILED.' : `Preflight: ${failed} check${failed === 1 ? '' : 's'} FAILED; each fix is printed under it.`);
  return lines.join('\n');
}

export const exitCodeOf = (results: readonly CheckResult[]): number => (results.some((r) => r.status === 'FAIL') ? 1 : 0);

/** Where the checks' AWS calls go: sets up the SDK's environment for them, and returns what ends it afterwards. */
export type PreflightTarget = (config: EnforcerConfig) => Promise<() => Promise<void>>;

/** Real AWS, through the SDK's default chain; the Account and Organizations events the enforcer needs live in us-east-1. */
export const awsTarget: PreflightTarget = async () => {
  process.env.AWS_REGION ??= 'us-east-1';
  return async () => {};
};

const TARGET_NAMES = ['aws', 'simulator'] as const;
type TargetName = (typeof TARGET_NAMES)[number];

/** Parses the flags, runs every check against the target, prints the report; returns the exit code. */
export async function preflightCommand(args: readonly string[], targets: Readonly<Record<Exclude<TargetName, 'aws'>, PreflightTarget>>): Promise<number> {
  let values: { target?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { target: { type: 'string', default: 'aws' }, config: { type: 'string', default: 'config/alternate-contacts.yaml' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!TARGET_NAMES.includes(values.target as TargetName)) {
    console.error(`--target must be aws or simulator\n${USAGE}`);
    return 2;
  }
  const configFile = values.config ?? 'config/alternate-contacts.yaml';
  const config = loadConfig(configFile);
  const target = values.target === 'aws' ? awsTarget : targets[values.target as Exclude<TargetName, 'aws'>];
  const end = await target(config);
  try {
    const results = await runChecks({ config, configFile });
    console.log(formatResults(results));
    return exitCodeOf(results);
  } finally {
    await end();
  }
}

/** Runs the command as the process: exits with its code; an invalid configuration prints its problems and exits 1. */
export function runPreflightProcess(targets: Parameters<typeof preflightCommand>[1]): void {
  preflightCommand(process.argv.slice(2), targets).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
