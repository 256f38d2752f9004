import { subscribe } from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ClientRequest } from 'node:http';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReportFigures, type ReportFigures } from './report.ts';
import type { Report, WorkList } from '#shared/rules/model';
import { ACCOUNT_API_QUOTAS } from '#shared/rules/pacing';
import { PAYLOAD_LIMIT_BYTES } from '#shared/rules/run-limits';
import { costOfRun, type CostLine } from './cost.ts';
import { startLocalEnforcer } from '../local-run/enforcer.ts';
import { allStates, readDefinition } from '../local-run/engine.ts';
import { seededRandom } from '../simulator/clock.ts';
import { generatedOrganization } from '../local-run/generated-organization.ts';
import { MANAGEMENT_ACCOUNT_ID } from '../local-run/scenario.ts';
import { sequentialLoop } from '../local-run/sequential-loop.ts';
import { loadConfigOrExit } from '../local-run/config-file.ts';

/**
 * One whole-organization first run through the real definition, tasks and simulator, every wait on one simulated
 * clock (simulator/clock.ts). Prints what the run measured, and labels what it computes, with the formula.
 * Asserts nothing.
 */

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    speedup: { type: 'string', default: '10' },
    'sequential-speedup': { type: 'string', default: '50' },
    latency: { type: 'string', default: '100' },
    seed: { type: 'string', default: '7' },
    sequential: { type: 'boolean', default: true },
    // The report files of a run this size: their sizes, the Report task's time and memory, and report.html in Chromium.
    'report-files': { type: 'boolean', default: true },
    json: { type: 'string' },
    config: { type: 'string', default: 'config/alternate-contacts.yaml' },
    // This share of the successful Puts lose their response after the write landed (the connection drops): the SDK
    // retries them, and the redundant Puts below count what that costs.
    'lose-put-responses': { type: 'string', default: '0' },
    // This share of PutContacts invocations lose their output after their Puts landed (Lambda.ServiceException): the
    // state machine retries the task.
    'lose-put-outputs': { type: 'string', default: '0' },
  },
  allowNegative: true,
});
const accounts = Number(values.accounts);

function reportFilesFigures(count: number): ReportFigures {
  const tsx = join(import.meta.dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const output = execFileSync(process.execPath, [tsx, join(import.meta.dirname, 'report.ts'), String(count), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ReportFigures;
}
const speedup = Number(values.speedup);
const latencyMs = Number(values.latency);
const config = loadConfigOrExit(values.config);
const organization = generatedOrganization(config, accounts, Number(values.seed));

const KIB = 1024;
// Above this share of the wall time on CPU, the single event loop runs late and its lateness, multiplied by the
// speed-up, becomes simulated time the quota did not cause.
const CPU_DISTORTS = 0.5;
// A timer firing later than this, in simulated ms, is a distortion as large as half an assumed AWS answer.
const LAG_DISTORTS_MS = 50;
const GET = 'account:GetAlternateContact';
const PUT = 'account:PutAlternateContact';
const DELETE = 'account:DeleteAlternateContact';

const largest = { input: {} as Record<string, number>, output: {} as Record<string, number> };
const invocations: Record<string, number> = {};
const taskMs: Record<string, number> = {};
const transitions: Record<string, number> = {};
const dynamoRequests: Record<string, number> = {};
let work: WorkList | undefined;
/** Simulated time each task state first and last returned: where the run's time goes. */
const phases: Record<string, { first: number; last: number }> = {};
const bytes = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

// Every DynamoDB request the tasks send, by operation (X-Amz-Target), for the cost model.
subscribe('http.client.request.start', (message) => {
  const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
  if (typeof target === 'string' && target.startsWith('DynamoDB_')) {
    const operation = target.split('.')[1] ?? target;
    dynamoRequests[operation] = (dynamoRequests[operation] ?? 0) + 1;
  }
});

const losePutOutputs = Number(values['lose-put-outputs']);
const loseOutput = seededRandom(Number(values.seed) + 2);
let lostPutOutputs = 0;

const enforcer = await startLocalEnforcer({
  loseOutput: (state) => state === 'PutContacts' && loseOutput() < losePutOutputs && ++lostPutOutputs > 0,
  config,
  target: 'simulator',
  organization,
  enforcerAccountId: MANAGEMENT_ACCOUNT_ID,
  speedup,
  seed: Number(values.seed),
  latencyMs,
  logLevel: 'ERROR',
  onTask: ({ state, input, output, durationMs }) => {
    invocations[state] = (invocations[state] ?? 0) + 1;
    taskMs[state] = (taskMs[state] ?? 0) + durationMs;
    largest.input[state] = Math.max(largest.input[state] ?? 0, bytes(input));
    largest.output[state] = Math.max(largest.output[state] ?? 0, bytes(output));
    if (state === 'ListAccounts' && output) work = output as WorkList;
    phases[state] ??= { first: clock.now(), last: 0 };
    phases[state]!.last = clock.now();
  },
  onTransition: (state) => {
    transitions[state] = (transitions[state] ?? 0) + 1;
  },
});
const clock = enforcer.clock!;
const started = clock.now();
const simulator = enforcer.simulator!;
const losePutResponses = Number(values['lose-put-responses']);
let lostPutResponses = 0;
if (losePutResponses > 0) {
  const lose = seededRandom(Number(values.seed) + 1);
  simulator.injectFaults(({ operation }) => {
    if (operation !== PUT || lose() >= losePutResponses) return undefined;
    lostPutResponses += 1;
    return 'lose-response';
  });
}

/** Runs `act`, measuring simulated time, wall time and this process's CPU time. */
async function measured<T>(act: () => Promise<T>) {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const [simulatedStart, wallStart, cpuStart] = [clock.now(), performance.now(), process.cpuUsage()];
  const result = await act();
  const cpu = process.cpuUsage(cpuStart);
  lag.disable();
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Event-loop lag, beyond the sampling resolution, is how late every timer fires: own CPU and other processes' both.
  const lagMs = Math.max(0, lag.mean / 1e6 - 10);
  return { result, simulatedSeconds: (clock.now() - simulatedStart) / 1000, wallSeconds, cpuSeconds, cpuShare: cpuSeconds / wallSeconds, lagMs };
}

const run = await measured(() => enforcer.run({}));
const execution = run.result;
if (execution.status !== 'SUCCEEDED' || !work) throw new Error(`run failed: ${JSON.stringify(execution.error)}`);
const report = execution.output as Report;
const stats = simulator.stats();

const count = (record: Record<string, number>, key: string) => record[key] ?? 0;
const accountCalls = Object.entries(stats.calls).filter(([op]) => op.startsWith('account:'));
const accountApiCalls = accountCalls.reduce((sum, [, n]) => sum + n, 0);
const accountApiThrottled = Object.entries(stats.throttled).filter(([op]) => op.startsWith('account:')).reduce((sum, [, n]) => sum + n, 0);
// Every request the quota let through counts against it (a Get of an unset contact too), once: repeats are not needed.
const getsNeeded = count(stats.served, GET) - count(stats.repeated, GET);
const putsNeeded = count(stats.served, PUT) - count(stats.repeated, PUT);
// A configuration with `delete` (bench --config) adds Deletes at 1/s, usually the tightest quota of the three.
const deletesNeeded = count(stats.served, DELETE) - count(stats.repeated, DELETE);
const floorSeconds = Math.max(
  getsNeeded / ACCOUNT_API_QUOTAS.GetAlternateContact.perSecond,
  putsNeeded / ACCOUNT_API_QUOTAS.PutAlternateContact.perSecond,
  deletesNeeded / ACCOUNT_API_QUOTAS.DeleteAlternateContact.perSecond,
);
// A configuration using tags reads each account's tags from Organizations: extra calls, inside ListAccounts' time.
const tagReads = count(stats.calls, 'organizations:ListTagsForResource');
const n = report.accountsProcessed;
const parentStates = new Set(Object.keys(readDefinition().States));
const childStateNames = allStates(readDefinition()).map(([name]) => name).filter((name) => !parentStates.has(name));
const sum = (record: Record<string, number>, keys?: Iterable<string>) => [...(keys ?? Object.keys(record))].reduce((total, key) => total + count(record, key), 0);
const childTransitions = sum(transitions, childStateNames);
const parentTransitions = sum(transitions, parentStates);
const children = work.chunks.length;
const lambdaInvocations = sum(invocations);
const cost = costOfRun({ parentTransitions, children, childTransitions, invocations, taskMs, dynamoRequests, lambdaInvocations });

let sequential: { simulatedSeconds: number; wallSeconds: number; cpuShare: number; lagMs: number; accounts: number; failed: number } | undefined;
if (values.sequential) {
  // The same organization as the run found it, served afresh; the loop paces itself only by latency and SDK retries.
  Object.assign(simulator.state, structuredClone(organization));
  simulator.resetStats();
  clock.setSpeedup(Number(values['sequential-speedup']));
  const loop = await measured(() => sequentialLoop(simulator, config, MANAGEMENT_ACCOUNT_ID));
  sequential = { ...loop, ...loop.result };
}
await enforcer.close();

const pct = (part: number, whole: number) => `${((part / Math.max(1, whole)) * 100).toFixed(1)}%`;
const kib = (size: number) => `${(size / KIB).toFixed(1)} KiB (${pct(size, PAYLOAD_LIMIT_BYTES)} of 256 KiB)`;
const usd = (value: number) => `USD ${value.toFixed(4)}`;
const warn = ({ cpuShare, lagMs }: { cpuShare: number; lagMs: number }, at: number) =>
  cpuShare > CPU_DISTORTS || lagMs * at > LAG_DISTORTS_MS
    ? `  WARNING: CPU ${pct(cpuShare, 1)} of wall, timers ${(lagMs * at).toFixed(0)} ms (simulated) late on average: this machine, not the quota, shaped part of the result; rerun with --speedup ${Math.max(1, Math.floor(at / 2))}\n`
    : '';
const costLine = ({ item, quantity, formula, usd: value }: CostLine) => `  ${item.padEnd(30)}${quantity.padEnd(34)}${usd(value).padEnd(14)}computed: ${formula}`;

console.log(`Benchmark: one whole-organization first run, ${accounts} generated accounts (seed ${values.seed})
Simulated time runs x${speedup}; every AWS answer takes ${latencyMs} ms of it (assumed); measured unless labelled computed.
${warn(run, speedup)}Run
  accounts reconciled            ${n} (${report.excluded} excluded, ${report.accountsFailed} failed)
  simulated time                 ${run.simulatedSeconds.toFixed(1)} s
  floor                          ${floorSeconds.toFixed(1)} s   computed: max(Gets needed ${getsNeeded} / 10, Puts needed ${putsNeeded} / 5, Deletes needed ${deletesNeeded} / 1), needed = served, not repeated
  ratio to floor                 ${(run.simulatedSeconds / floorSeconds).toFixed(3)}
  where the time goes            ${(['ListAccounts', 'GetContacts', 'PutContacts', 'RecordResult', 'Report'] as const).map((state) => `${state} ${(((phases[state]?.first ?? started) - started) / 1000).toFixed(0)}-${(((phases[state]?.last ?? started) - started) / 1000).toFixed(0)} s`).join(', ')}
  wall time, CPU time            ${run.wallSeconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU (${pct(run.cpuShare, 1)} of wall); timers late by ${(run.lagMs * speedup).toFixed(0)} ms simulated on average
Account API
  calls per account              ${(count(stats.calls, GET) / n).toFixed(2)} Get, ${(count(stats.calls, PUT) / n).toFixed(2)} Put (throttled ones included)
  throttled                      ${accountApiThrottled} of ${accountApiCalls} (${pct(accountApiThrottled, accountApiCalls)}): ${count(stats.throttled, GET)} Get, ${count(stats.throttled, PUT)} Put
  redundant Puts                 ${count(stats.repeated, PUT)} (successful Puts repeating an earlier one) under ${lostPutResponses} lost Put responses (--lose-put-responses ${losePutResponses}) and ${lostPutOutputs} lost PutContacts outputs (--lose-put-outputs ${losePutOutputs}); re-read Gets ${count(stats.repeated, GET)}
  Deletes                        ${count(stats.calls, DELETE)} (${count(stats.throttled, DELETE)} throttled, ${count(stats.repeated, DELETE)} repeated)
Organizations
  ListTagsForResource            ${tagReads} calls (${count(stats.throttled, 'organizations:ListTagsForResource')} throttled); ListAccounts ran ${(((phases.ListAccounts?.last ?? started) - started) / 1000).toFixed(1)} s
Step Functions
  Map concurrency                ${work.maxConcurrency} child executions of up to 10 accounts
  child executions (Express)     ${children}
  state transitions per child    ${(childTransitions / children).toFixed(1)} (entered + retried); parent ${parentTransitions}
  Lambda invocations             ${lambdaInvocations}, ${(lambdaInvocations / n).toFixed(2)} per account (${Object.entries(invocations).map(([s, c]) => `${s} ${c}`).join(', ')})
Largest payload per state        in / out
${Object.keys(largest.input)
  .sort((a, b) => Math.max(largest.input[b]!, largest.output[b]!) - Math.max(largest.input[a]!, largest.output[a]!))
  .map((state) => `  ${state.padEnd(30)} ${kib(largest.input[state]!)} / ${kib(largest.output[state]!)}`)
  .join('\n')}
Cost of this run at list prices (us-east-1, ${cost.pricesAsOf})
${cost.lines.map(costLine).join('\n')}
  total                                                             ${usd(cost.total)}
  one Lambda per chunk instead   ${usd(cost.perChunkTotal)}   computed: ${cost.perChunkFormula}
${
  sequential
    ? `Seed-style sequential loop on the same organization (x${values['sequential-speedup']})
${warn(sequential, Number(values['sequential-speedup']))}  simulated time                 ${sequential.simulatedSeconds.toFixed(1)} s for ${sequential.accounts} accounts (${sequential.failed} failed), ${sequential.wallSeconds.toFixed(1)} s wall
  sequential / enforcer          ${(sequential.simulatedSeconds / run.simulatedSeconds).toFixed(2)}`
    : ''
}`);

// In a process of its own: the tasks' module-scope clients still point at this run's simulator, now closed.
const reportFiles = values['report-files'] ? reportFilesFigures(accounts) : undefined;
if (reportFiles) console.log(formatReportFigures(reportFiles));

if (values.json) {
  const figures = {
    accounts,
    speedup,
    latencyMs,
    floorSeconds,
    simulatedSeconds: run.simulatedSeconds,
    ratioToFloor: run.simulatedSeconds / floorSeconds,
    throttledPercent: (accountApiThrottled / Math.max(1, accountApiCalls)) * 100,
    redundantPuts: count(stats.repeated, PUT),
    lostPutResponses,
    lostPutOutputs,
    failed: report.accountsFailed,
    cpuSeconds: run.cpuSeconds,
    wallSeconds: run.wallSeconds,
    cpuShareOfWall: run.cpuShare,
    timerLagSimulatedMs: run.lagMs * speedup,
    getsPerAccount: count(stats.calls, GET) / n,
    putsPerAccount: count(stats.calls, PUT) / n,
    childExecutions: children,
    transitionsPerChild: childTransitions / children,
    lambdaInvocationsPerAccount: lambdaInvocations / n,
    largestPayloadBytes: largest,
    costUsd: cost.total,
    costLines: cost.lines,
    sequentialSimulatedSeconds: sequential?.simulatedSeconds,
    sequentialRatio: sequential && sequential.simulatedSeconds / run.simulatedSeconds,
    reportFiles,
  };
  writeFileSync(values.json, `${JSON.stringify(figures, null, 2)}\n`);
}
