import { parseArgs } from 'node:util';
import { loadConfig } from '#shared/config';
import type { Report, WorkList } from '#shared/model';
import { startLocalEnforcer } from './enforcer.ts';
import { allStates, readDefinition } from './engine.ts';
import { generatedOrganization, MANAGEMENT_ACCOUNT_ID } from './scenario.ts';

/**
 * Scale and speed figures for one whole-organization run, measured through the real definition, tasks and simulator:
 * payload sizes against Step Functions' 256 KiB limit, the parent's history against 25,000 events, Account API calls
 * per account against the quota, and the run's duration at the real quota. Prints figures; asserts nothing.
 */

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    speedup: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '0' },
    config: { type: 'string', default: 'config/alternate-contacts.yaml' },
  },
});
const accounts = Number(values.accounts);
const speedup = Number(values.speedup);
const config = loadConfig(values.config);

const KIB = 1024;
const PAYLOAD_LIMIT = 256 * KIB;
const biggest: Record<string, number> = {};
let work: WorkList | undefined;
const invocations: Record<string, number> = {};

const enforcer = await startLocalEnforcer({
  config,
  target: 'simulator',
  organization: generatedOrganization(config, accounts, 7),
  enforcerAccountId: MANAGEMENT_ACCOUNT_ID,
  speedup,
  latencyMs: Number(values.latency),
  logLevel: 'ERROR',
  onTask: ({ state, input, output }) => {
    invocations[state] = (invocations[state] ?? 0) + 1;
    const size = Buffer.byteLength(JSON.stringify({ input, output }));
    biggest[state] = Math.max(biggest[state] ?? 0, size);
    if (state === 'ListAccounts' && output) work = output as WorkList;
  },
});

const started = performance.now();
const execution = await enforcer.run({});
const seconds = (performance.now() - started) / 1000;
if (execution.status !== 'SUCCEEDED' || !work) throw new Error(`run failed: ${JSON.stringify(execution.error)}`);
const report = execution.output as Report;
const stats = enforcer.simulator!.stats();
await enforcer.close();

const gets = stats.calls['account:GetAlternateContact'] ?? 0;
const puts = stats.calls['account:PutAlternateContact'] ?? 0;
const throttled = Object.values(stats.throttled).reduce((a, b) => a + b, 0);
const n = report.accountsProcessed;
// Each Get and Put was served at the simulated quota; at the real one the slower of the two sets the pace.
const quotaSeconds = Math.max((gets - (stats.throttled['account:GetAlternateContact'] ?? 0)) / 10, (puts - (stats.throttled['account:PutAlternateContact'] ?? 0)) / 5);
const parentStates = Object.keys(readDefinition().States);
const childStates = allStates(readDefinition()).length - parentStates.length;
const ms = (s: number) => `${s.toFixed(1)} s`;
const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KiB (${((bytes / PAYLOAD_LIMIT) * 100).toFixed(1)}% of 256 KiB)`;

console.log(`Benchmark: one whole-organization run, ${accounts} generated accounts, simulated time x${speedup}
  accounts reconciled           ${n} (${report.excluded} excluded, ${report.accountsFailed} failed)
  wall time on this machine     ${ms(seconds)} (${(n / seconds).toFixed(0)} accounts/s through engine + tasks + simulator)
  Account API calls             ${gets} Get, ${puts} Put, ${throttled} throttled and retried
  per account                   ${(gets / n).toFixed(2)} Get, ${(puts / n).toFixed(2)} Put
  Get rate in simulated time    ${(gets / (seconds * speedup)).toFixed(2)}/s against a quota of 10/s (below it, this machine, not the quota, set the pace)
  duration at the real quota    ${ms(quotaSeconds)} (${(quotaSeconds / 60).toFixed(1)} min; floor 3N/10 = ${ms((3 * n) / 10)})
  Map concurrency               ${work.maxConcurrency} chunk executions of 10 accounts
Payloads (largest input+output of any one invocation)
${Object.entries(biggest)
  .sort(([, a], [, b]) => b - a)
  .map(([state, bytes]) => `  ${state.padEnd(30)}${kib(bytes)}`)
  .join('\n')}
Step Functions history
  parent states                 ${parentStates.length}; the Distributed Map adds its map-run events, not one per item
  child executions (Express)    ${work.chunks.length}, ${childStates} states each, no history limit
  Lambda invocations            ${Object.values(invocations).reduce((a, b) => a + b, 0)} (${Object.entries(invocations).map(([s, c]) => `${s} ${c}`).join(', ')})`);
