import type { EnforcerConfig } from '#shared/rules/config';
import { type PreflightTarget, runPreflightProcess } from '../preflight/command.ts';
import { installClock, uninstallClock } from '../simulator/clock.ts';
import { credentialsFor, type SimState, type Simulator, startSimulator } from '../simulator/index.ts';
import { defaultOrganization } from './scenario.ts';

/**
 * The launcher of `npm run preflight` (preflight/command.ts), which adds the one target the preflight may not import
 * itself: `--target simulator`, the built-in simulated organization.
 */

/** The account the preflight acts as on the simulator: the one the topology runs the enforcer in. */
export const simulatedCaller = (config: EnforcerConfig, state: SimState): string =>
  config.deployment?.topology === 'delegated' && config.deployment.enforcerAccountId ? config.deployment.enforcerAccountId : state.managementAccountId;

/** Points the SDK's default chain at the simulator, acting as `accountId`. */
export function useSimulator(simulator: Simulator, accountId: string): void {
  const { accessKeyId, secretAccessKey } = credentialsFor(accountId);
  Object.assign(process.env, { AWS_ENDPOINT_URL: simulator.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: 'us-east-1' });
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
}

/** Starts the default simulated organization for the configuration and points the SDK at it; the end stops it. */
export const simulatorTarget: PreflightTarget = async (config) => {
  const state = defaultOrganization(config, { newAccountReadyInMs: 0 });
  // Simulated time ten times faster, as `npm start` runs it: Organizations' 20 calls a second would otherwise pace the reads.
  installClock(10, 1);
  const simulator = await startSimulator({ state });
  useSimulator(simulator, simulatedCaller(config, state));
  return async () => {
    await simulator.close();
    uninstallClock();
  };
};

if (import.meta.url === `file://${process.argv[1]}`) runPreflightProcess({ simulator: simulatorTarget });
