import { installClock, uninstallClock } from '../../simulator/clock.ts';
import type { EnforcerConfig } from '#shared/rules/config';
import { type CheckResult, runChecks } from '../../preflight/checks.ts';
import { simulatedCaller, useSimulator } from '../../local-run/preflight.ts';
import { defaultOrganization } from '../../local-run/scenario.ts';
import { type SimState, type Simulator, startSimulator } from '../../simulator/index.ts';

export const CONFIG_FILE = 'config/alternate-contacts.yaml';

/** The calls preflight may make: reads only. A write to the simulator fails the tests that use this. */
export const READ_ONLY_CALL = /^[a-z]+:(Get|List|Describe)[A-Za-z]*$/;

export interface PreflightHarness {
  readonly simulator: Simulator;
  /** Runs every check against the default organization with one trap set by `trap`, and, optionally, another config. */
  run(trap?: (state: SimState) => void, config?: EnforcerConfig): Promise<CheckResult[]>;
  /** Runs the one check `id` the same way, for traps that concern it alone. */
  runCheck(id: string, trap?: (state: SimState) => void, config?: EnforcerConfig): Promise<CheckResult>;
  close(): Promise<void>;
}

/**
 * One simulator per test file, acting as the account the config's topology runs the enforcer in. The Account API
 * helpers keep module-scope clients, so each run restores the organization in place rather than starting a new one.
 */
export async function preflightHarness(config: EnforcerConfig): Promise<PreflightHarness> {
  const base = defaultOrganization(config, { newAccountReadyInMs: 0, now: Date.UTC(2026, 10, 24) });
  // Organizations' 20 calls a second would pace the ~40 reads of a run: simulated time runs fast so tests need not wait.
  installClock(1000, 1);
  const simulator = await startSimulator({ state: structuredClone(base) });
  useSimulator(simulator, simulatedCaller(config, base));
  const runWith = (trap: ((state: SimState) => void) | undefined, runConfig: EnforcerConfig, only?: string[]) => {
    const state = simulator.state as Record<string, unknown>;
    for (const key of Object.keys(state)) delete state[key];
    Object.assign(state, structuredClone(base));
    trap?.(simulator.state);
    return runChecks({ config: runConfig, configFile: CONFIG_FILE, only });
  };
  return {
    simulator,
    run: (trap, runConfig = config) => runWith(trap, runConfig),
    runCheck: async (id, trap, runConfig = config) => resultOf(await runWith(trap, runConfig, [id]), id),
    async close() {
      await simulator.close();
      uninstallClock();
    },
  };
}

export const resultOf = (results: readonly CheckResult[], id: string): CheckResult => {
  const result = results.find((r) => r.id === id);
  if (!result) throw new Error(`no check ${id} in ${results.map((r) => r.id).join(', ')}`);
  return result;
};

/** An SCP attached to `targets`, with one statement. */
export function scp(id: string, name: string, statement: Record<string, unknown>, targets: string[]) {
  return { id, name, description: '', awsManaged: false, content: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), targets };
}
