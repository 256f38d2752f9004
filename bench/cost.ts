import { allStates, readDefinition } from '../local-run/engine.ts';

/**
 * What one run costs at list prices, line by line, from the bench's measured counts and (simulated) durations.
 * Prices: https://aws.amazon.com/step-functions/pricing/, https://aws.amazon.com/lambda/pricing/,
 * https://aws.amazon.com/dynamodb/pricing/on-demand/, https://aws.amazon.com/cloudwatch/pricing/ (us-east-1).
 */

const PRICES_AS_OF = 'prices as of 2025';
const PRICE = {
  standardTransition: 0.025 / 1000,
  expressRequest: 1 / 1e6,
  expressGbSecond: 0.00001667,
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  logsGb: 0.5,
};
// Express bills memory in 64 MB steps; a child of this size stays in the first.
const EXPRESS_GB = 64 / 1024;
// Lambda memory per task, as infra/constructs/alternate-contacts-enforcer.ts sizes it (SIZING; 256 MB otherwise).
const LAMBDA_GB: Record<string, number> = { ListAccounts: 1, Report: 1 };
const DEFAULT_LAMBDA_GB = 0.25;
// START, END and REPORT: the lines Lambda itself writes per invocation, about 300 bytes in all.
const PLATFORM_LOG_BYTES = 300;
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly formula: string;
  readonly usd: number;
}

export interface RunCounts {
  readonly parentTransitions: number;
  readonly children: number;
  readonly childTransitions: number;
  /** Lambda invocations per Task state. */
  readonly invocations: Record<string, number>;
  /** Summed invocation duration per Task state, simulated ms. */
  readonly taskMs: Record<string, number>;
  /** DynamoDB requests per operation. */
  readonly dynamoRequests: Record<string, number>;
  readonly lambdaInvocations: number;
}

export function costOfRun(counts: RunCounts) {
  const parentStates = new Set(Object.keys(readDefinition().States));
  const childTasks = allStates(readDefinition())
    .filter(([name, state]) => state.Type === 'Task' && !parentStates.has(name))
    .map(([name]) => name);
  const childTaskSeconds = childTasks.reduce((sum, state) => sum + (counts.taskMs[state] ?? 0), 0) / 1000;
  const lambdaGbSeconds = Object.entries(counts.taskMs).reduce((sum, [state, ms]) => sum + (ms / 1000) * (LAMBDA_GB[state] ?? DEFAULT_LAMBDA_GB), 0);
  const writes = Object.entries(counts.dynamoRequests).reduce((sum, [op, n]) => sum + (WRITES.has(op) ? n : 0), 0);
  const reads = Object.values(counts.dynamoRequests).reduce((sum, n) => sum + n, 0) - writes;
  const logGb = (counts.lambdaInvocations * PLATFORM_LOG_BYTES) / 1024 ** 3;
  const standardTransitions = counts.parentTransitions + counts.children;

  const lines: CostLine[] = [
    { item: 'Standard transitions', quantity: `${standardTransitions}`, formula: 'parent states entered + retried, + 1 per child started (map run)', usd: standardTransitions * PRICE.standardTransition },
    { item: 'Express requests', quantity: `${counts.children} children`, formula: 'USD 1.00 per million child executions', usd: counts.children * PRICE.expressRequest },
    { item: 'Express duration', quantity: `${childTaskSeconds.toFixed(0)} s x 64 MB`, formula: 'children\'s summed task time (simulated) x 64 MB x USD 0.00001667/GB-s', usd: childTaskSeconds * EXPRESS_GB * PRICE.expressGbSecond },
    { item: 'Lambda requests', quantity: `${counts.lambdaInvocations}`, formula: 'USD 0.20 per million invocations', usd: counts.lambdaInvocations * PRICE.lambdaRequest },
    { item: 'Lambda duration (arm64)', quantity: `${lambdaGbSeconds.toFixed(0)} GB-s`, formula: 'each invocation\'s simulated time x its memory x USD 0.0000133334/GB-s', usd: lambdaGbSeconds * PRICE.lambdaArmGbSecond },
    { item: 'DynamoDB on demand', quantity: `${writes} writes, ${reads} reads`, formula: '1 unit per request (items under 1 KB) x USD 0.625 / 0.125 per million', usd: writes * PRICE.dynamoWriteUnit + reads * PRICE.dynamoReadUnit },
    { item: 'CloudWatch Logs', quantity: `${(logGb * 1024).toFixed(1)} MB`, formula: '300 B of platform lines per invocation (task logs at WARN, state machine at ERROR: none on a clean run) x USD 0.50/GB', usd: logGb * PRICE.logsGb },
  ];
  const total = lines.reduce((sum, line) => sum + line.usd, 0);
  const childInvocations = childTasks.reduce((sum, state) => sum + (counts.invocations[state] ?? 0), 0);
  // One Lambda per chunk does the same calls and waits, so duration stays; only the child's invocations collapse to one.
  const perChunkTotal = total - (childInvocations - counts.children) * (PRICE.lambdaRequest + (PLATFORM_LOG_BYTES / 1024 ** 3) * PRICE.logsGb);
  const perChunkFormula = `total - (${childInvocations} child invocations - ${counts.children} chunks) x (request + its log lines); same calls, waits and duration`;
  return { lines, total, perChunkTotal, perChunkFormula, pricesAsOf: PRICES_AS_OF };
}
