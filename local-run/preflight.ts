import { parseArgs } from 'node:util';
import { installClock, uninstallClock } from '../simulator/clock.ts';
import { type EnforcerConfig, loadConfig } from '#shared/rules/config';
import { ConfigError } from '#shared/rules/errors';
import { type CheckResult, runChecks } from '../preflight/checks.ts';
import { defaultOrganization } from './scenario.ts';
import { credentialsFor, type SimState, type Simulator, startSimulator } from '../simulator/index.ts';

/**
 * `npm run preflight`: read-only checks of the organization the enforcer is about to be deployed into, or was.
 * One line per check; exit 0 when nothing FAILED, 1 otherwise, 2 on a bad flag.
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

/** The account the preflight acts as on the simulator: the one the topology runs the enforcer in. */
export const simulatedCaller = (config: EnforcerConfig, state: SimState): string =>
  config.deployment?.topology === 'delegated' && config.deployment.enforcerAccountId ? config.deployment.enforcerAccountId : state.managementAccountId;

/** Points the SDK's default chain at the simulator, acting as `accountId`. */
export function useSimulator(simulator: Simulator, accountId: string): void {
  const { accessKeyId, secretAccessKey } = credentialsFor(accountId);
  Object.assign(process.env, { AWS_ENDPOINT_URL: simulator.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: 'us-east-1' });
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
}

async function main(): Promise<number> {
  let values: { target?: string; config?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
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
  if (values.target !== 'aws' && values.target !== 'simulator') {
    console.error(`--target must be aws or simulator\n${USAGE}`);
    return 2;
  }
  const configFile = values.config ?? 'config/alternate-contacts.yaml';
  const config = loadConfig(configFile);
  let simulator: Simulator | undefined;
  if (values.target === 'simulator') {
    const state = defaultOrganization(config, { newAccountReadyInMs: 0 });
    // Simulated time ten times faster, as `npm start` runs it: Organizations' 20 calls a second would otherwise pace the reads.
    installClock(10, 1);
    simulator = await startSimulator({ state });
    useSimulator(simulator, simulatedCaller(config, state));
  } else {
    process.env.AWS_REGION ??= 'us-east-1';
  }
  try {
    const results = await runChecks({ config, configFile });
    console.log(formatResults(results));
    return exitCodeOf(results);
  } finally {
    await simulator?.close();
    if (simulator) uninstallClock();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
